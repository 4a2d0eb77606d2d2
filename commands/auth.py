"""Account commands: register, log in, refresh, log out.

Each handler's parameters after the command are its dependencies, bound by
``jobwise.bootstrap``. Handlers append to the event store and return once the
read models include the change (``read_your_writes``).
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from commands.saving import ReadYourWrites, save
from jobwise.auth.passwords import PasswordHasher, check_password_policy
from jobwise.auth.revocations import RevocationCache
from jobwise.auth.tokens import TokenInvalid, TokenPair, TokenService
from jobwise.domain.events import EventMetadata, new_id, utc_now
from jobwise.domain.user import (
    EmailReserved,
    RefreshRefused,
    User,
    email_stream,
    normalize_email,
)
from jobwise.errors import Conflict, RateLimited, Unauthorized, ValidationFailed
from jobwise.eventstore import ConcurrencyError, EventStore
from jobwise.messagebus import Handler
from jobwise.ratelimit import Decision, FailureThrottle

# A reservation whose user never got registered (a crash in between) is freed after this.
ORPHANED_RESERVATION = timedelta(minutes=5)
INVALID_CREDENTIALS = "Email or password is incorrect."


@dataclass(frozen=True)
class Client:
    """Where a command came from, kept in each event's metadata for audits."""

    ip: str | None = None
    user_agent: str | None = None
    request_id: str | None = None

    def metadata(self, user_id: str) -> EventMetadata:
        return EventMetadata(
            user_id=user_id,
            request_id=self.request_id,
            correlation_id=self.request_id,
            ip=self.ip,
            user_agent=self.user_agent,
        )


@dataclass(frozen=True)
class RegisterUser:
    email: str
    password: str
    full_name: str
    client: Client


@dataclass(frozen=True)
class LogIn:
    email: str
    password: str
    client: Client


@dataclass(frozen=True)
class RefreshSession:
    refresh_token: str
    client: Client


@dataclass(frozen=True)
class LogOut:
    user_id: str
    session_id: str
    client: Client


@dataclass(frozen=True)
class SessionIssued:
    user_id: str
    tokens: TokenPair


class EmailTaken(Conflict):
    code, message = "email_taken", "An account with this email already exists."


class InvalidCredentials(Unauthorized):
    code, message = "invalid_credentials", INVALID_CREDENTIALS


RegistrationLimit = Callable[[str | None], Awaitable[None]]
"""Raises ``RateLimited`` once a client address has registered its hourly allowance."""


async def register_user(
    command: RegisterUser,
    store: EventStore,
    hasher: PasswordHasher,
    tokens: TokenService,
    read_your_writes: ReadYourWrites,
    registration_limit: RegistrationLimit,
) -> SessionIssued:
    await registration_limit(command.client.ip)
    problems = check_password_policy(command.password)
    if problems:
        raise ValidationFailed(
            details={
                "fields": [
                    {
                        "field": "password",
                        "message": problem,
                        "type": "password_policy",
                        "location": "body",
                    }
                    for problem in problems
                ]
            }
        )
    user_id = new_id()
    await _reserve_email(store, normalize_email(command.email), user_id, command.client)
    user = User.register(
        user_id,
        command.email.strip(),
        command.full_name.strip(),
        await hasher.hash(command.password),
    )
    return await _start_session(user, store, tokens, read_your_writes, command.client)


async def _reserve_email(store: EventStore, email: str, user_id: str, client: Client) -> None:
    """Claim ``email`` through its own stream: the unique (stream, version) decides races."""
    stream = email_stream(email)
    history = await store.read_stream(stream)
    if history and not await _orphaned(store, history[-1].data["user_id"], history[-1].recorded_at):
        raise EmailTaken()
    claim = EmailReserved(email=email, user_id=user_id).to_new_event()
    try:
        await store.append(
            stream,
            [claim],
            len(history),
            stream_type="email_reservation",
            metadata=client.metadata(user_id),
        )
    except ConcurrencyError:
        raise EmailTaken() from None


async def _orphaned(store: EventStore, owner: str, reserved_at: datetime) -> bool:
    if await store.read_stream(owner, to_version=1):
        return False
    return utc_now() - reserved_at > ORPHANED_RESERVATION


async def log_in(
    command: LogIn,
    store: EventStore,
    hasher: PasswordHasher,
    tokens: TokenService,
    login_throttle: FailureThrottle,
    address_throttle: FailureThrottle,
    read_your_writes: ReadYourWrites,
) -> SessionIssued:
    email = normalize_email(command.email)
    account_key, address_key = f"account:{email}", f"ip:{command.client.ip or 'unknown'}"
    # Each attempt is counted as a failure before the password is checked, in one atomic
    # step, so a burst of concurrent guesses gets no more checks than the lock allows.
    account = await login_throttle.attempt(account_key)
    if not account.allowed:
        raise _throttled(account.decision)
    address = await address_throttle.attempt(address_key)
    if not address.allowed:
        if account.token is not None:  # this guess was never checked: it is no failure
            await login_throttle.forgive(account_key, account.token)
        raise _throttled(address.decision)
    user = await _user_by_email(store, email)
    if user is None:
        await hasher.verify_dummy(command.password)  # the same work as a wrong password
        raise InvalidCredentials()
    valid, upgraded_hash = await hasher.verify(command.password, user.password_hash)
    if not valid:
        raise InvalidCredentials()
    await login_throttle.reset(account_key)
    if address.token is not None:
        await address_throttle.forgive(address_key, address.token)
    for _attempt in range(5):
        if upgraded_hash:
            user.change_password_hash(upgraded_hash, "rehash")
        try:
            return await _start_session(user, store, tokens, read_your_writes, command.client)
        except ConcurrencyError:
            # Another login or refresh of this account landed first; sessions are
            # independent, so start ours on top of it.
            user = User.from_history(user.id, await store.read_stream(user.id))
    raise Conflict("The account is busy; try again.")


def _throttled(decision: Decision) -> RateLimited:
    retry_after = max(1, math.ceil(decision.retry_after))
    return RateLimited(
        "Too many failed logins; try again later.",
        details={"retry_after": retry_after},
        headers={"Retry-After": str(retry_after)},
    )


async def _user_by_email(store: EventStore, email: str) -> User | None:
    reservations = await store.read_stream(email_stream(email))
    if not reservations:
        return None
    owner = reservations[-1].data["user_id"]
    user = User.from_history(owner, await store.read_stream(owner))
    return user if user.exists else None


async def _start_session(
    user: User,
    store: EventStore,
    tokens: TokenService,
    read_your_writes: ReadYourWrites,
    client: Client,
) -> SessionIssued:
    session_id = new_id()
    pair = tokens.issue_pair(user.id, session_id)
    user.start_session(session_id, pair.refresh_jti, pair.refresh_expires_at)
    await _save(user, store, read_your_writes, client)
    return SessionIssued(user.id, pair)


async def refresh_session(
    command: RefreshSession,
    store: EventStore,
    tokens: TokenService,
    revocations: RevocationCache,
    read_your_writes: ReadYourWrites,
) -> SessionIssued:
    claims = tokens.decode(command.refresh_token, "refresh")
    user = User.from_history(claims.sub, await store.read_stream(claims.sub))
    pair = tokens.issue_pair(user.id, claims.sid)
    try:
        user.refresh_session(claims.sid, claims.jti, pair.refresh_jti, pair.refresh_expires_at)
    except RefreshRefused as refused:
        if user.pending_events():  # the reuse revoked the session: keep that, tell everyone
            await _save(user, store, read_your_writes, command.client)
            await revocations.revoke(claims.sid)
        raise TokenInvalid() from refused
    try:
        await _save(user, store, read_your_writes, command.client)
    except ConcurrencyError:
        # Two refreshes of one token at once: the other one won this race.
        raise TokenInvalid() from None
    return SessionIssued(user.id, pair)


async def log_out(
    command: LogOut,
    store: EventStore,
    revocations: RevocationCache,
    read_your_writes: ReadYourWrites,
) -> None:
    # Refused at once on this process and, through pub/sub, on every other one;
    # the event below makes it permanent.
    await revocations.revoke(command.session_id)
    for _attempt in range(5):
        user = User.from_history(command.user_id, await store.read_stream(command.user_id))
        user.revoke_session(command.session_id, "logout")
        if not user.pending_events():
            return
        try:
            await _save(user, store, read_your_writes, command.client)
            return
        except ConcurrencyError:
            continue  # a refresh landed meanwhile: revoke on top of it
    raise Conflict("The session changed while logging out; try again.")


async def _save(
    user: User, store: EventStore, read_your_writes: ReadYourWrites, client: Client
) -> None:
    await save(user, store, read_your_writes, client.metadata(user.id))


HANDLERS: dict[type, Handler] = {
    RegisterUser: register_user,
    LogIn: log_in,
    RefreshSession: refresh_session,
    LogOut: log_out,
}
