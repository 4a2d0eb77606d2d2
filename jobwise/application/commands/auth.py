"""Account commands: register, log in, refresh, log out.

Each handler's parameters after the command are its dependencies, bound by
``jobwise.bootstrap``. Handlers save through the ``Repository``, which returns
once the read models include the change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from jobwise.adapters.auth.passwords import PasswordHasher, check_password_policy
from jobwise.adapters.auth.revocations import RevocationCache
from jobwise.adapters.auth.tokens import TokenInvalid, TokenPair, TokenService
from jobwise.adapters.eventstore import ConcurrencyError, EventStore
from jobwise.adapters.keys import EmailStreams
from jobwise.adapters.ratelimit import Decision, FailureThrottle, RateLimiter
from jobwise.application.limits import Limits, spend_registration
from jobwise.application.messagebus import Handler
from jobwise.application.repository import Repository
from jobwise.domain.erasure import EmailReleased, is_erased
from jobwise.domain.errors import (
    FieldProblem,
    InvalidInput,
    RuleViolation,
    Throttled,
    Unauthenticated,
)
from jobwise.domain.events import EventMetadata, RecordedEvent, new_id, utc_now
from jobwise.domain.user import (
    EmailReserved,
    RefreshRefused,
    User,
    email_stream,
    normalize_email,
)

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


class EmailTaken(RuleViolation):
    code, message = "email_taken", "An account with this email already exists."


class InvalidCredentials(Unauthenticated):
    code, message = "invalid_credentials", INVALID_CREDENTIALS


async def register_user(
    command: RegisterUser,
    repository: Repository,
    hasher: PasswordHasher,
    tokens: TokenService,
    limiter: RateLimiter,
    limits: Limits,
    email_streams: EmailStreams,
) -> SessionIssued:
    await spend_registration(limiter, limits, command.client.ip)
    problems = check_password_policy(command.password)
    if problems:
        raise InvalidInput(
            "The password does not meet the policy.",
            [FieldProblem("password", problem, "password_policy") for problem in problems],
        )
    user_id = new_id()
    email = normalize_email(command.email)
    await _reserve_email(repository.store, email_streams, email, user_id, command.client)
    user = User.register(
        user_id,
        command.email.strip(),
        command.full_name.strip(),
        await hasher.hash(command.password),
    )
    pair = _start_session(user, tokens)
    await repository.save(user, command.client.metadata(user.id))
    return SessionIssued(user.id, pair)


async def _reserve_email(
    store: EventStore, email_streams: EmailStreams, email: str, user_id: str, client: Client
) -> None:
    """Claim ``email`` through its own stream: the unique (stream, version) decides races."""
    legacy = await store.read_stream(email_stream(email))  # named by the address, before
    if legacy and not await _released(store, legacy, legacy=True):
        raise EmailTaken()
    stream = await email_streams.stream_of(email)
    history = await store.read_stream(stream)
    if history and not await _released(store, history, legacy=False):
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


async def _released(store: EventStore, history: list[RecordedEvent], *, legacy: bool) -> bool:
    """The address is free again: its account was erased, or never got registered."""
    last = history[-1]
    if last.type == EmailReleased.topic:
        return True
    if is_erased(last):
        # A stream named by the address is never written again (its name would keep the
        # address in the log): its owner's erasure frees it. Else the release is coming.
        return legacy
    return await _orphaned(store, last.data["user_id"], last.recorded_at)


async def _orphaned(store: EventStore, owner: str, reserved_at: datetime) -> bool:
    if await store.read_stream(owner, to_version=1):
        return False
    return utc_now() - reserved_at > ORPHANED_RESERVATION


async def log_in(
    command: LogIn,
    repository: Repository,
    hasher: PasswordHasher,
    tokens: TokenService,
    login_throttle: FailureThrottle,
    address_throttle: FailureThrottle,
    email_streams: EmailStreams,
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
    user = await user_by_email(repository, email_streams, email)
    if user is None:
        await hasher.verify_dummy(command.password)  # the same work as a wrong password
        raise InvalidCredentials()
    valid, upgraded_hash = await hasher.verify(command.password, user.password_hash)
    if not valid:
        raise InvalidCredentials()
    await login_throttle.reset(account_key)
    if address.token is not None:
        await address_throttle.forgive(address_key, address.token)

    def start(current: User) -> SessionIssued:
        # Sessions are independent: a login or refresh that landed first is no conflict.
        if upgraded_hash:
            current.change_password_hash(upgraded_hash, "rehash")
        return SessionIssued(current.id, _start_session(current, tokens))

    return await repository.change(User, user.id, start, command.client.metadata(user.id))


def _throttled(decision: Decision) -> Throttled:
    return Throttled(
        "Too many failed logins; try again later.", max(1, math.ceil(decision.retry_after))
    )


async def user_by_email(
    repository: Repository, email_streams: EmailStreams, email: str
) -> User | None:
    """The live account registered with the normalized ``email``, if any."""
    user_id = await email_streams.holder(repository.store, email)
    if user_id is None:
        return None
    user = await repository.load(User, user_id)
    return user if user.exists else None


def _start_session(user: User, tokens: TokenService) -> TokenPair:
    session_id = new_id()
    pair = tokens.issue_pair(user.id, session_id)
    user.start_session(session_id, pair.refresh_jti, pair.refresh_expires_at)
    return pair


async def refresh_session(
    command: RefreshSession,
    repository: Repository,
    tokens: TokenService,
    revocations: RevocationCache,
) -> SessionIssued:
    claims = tokens.decode(command.refresh_token, "refresh")
    user = await repository.load(User, claims.sub)
    pair = tokens.issue_pair(user.id, claims.sid)
    metadata = command.client.metadata(user.id)
    try:
        user.refresh_session(claims.sid, claims.jti, pair.refresh_jti, pair.refresh_expires_at)
    except RefreshRefused as refused:
        if user.pending_events():  # the reuse revoked the session: keep that, tell everyone
            await repository.save(user, metadata)
            await revocations.revoke(claims.sid)
        raise TokenInvalid() from refused
    try:
        # A plain save, never retried: a refresh that lost the race lost its token too.
        await repository.save(user, metadata)
    except ConcurrencyError:
        # Two refreshes of one token at once: the other one won this race.
        raise TokenInvalid() from None
    return SessionIssued(user.id, pair)


async def log_out(command: LogOut, repository: Repository, revocations: RevocationCache) -> None:
    # Refused at once on this process and, through pub/sub, on every other one;
    # the event below makes it permanent.
    await revocations.revoke(command.session_id)
    await repository.change(
        User,
        command.user_id,
        lambda user: user.revoke_session(command.session_id, "logout"),
        command.client.metadata(command.user_id),
    )


HANDLERS: dict[type, Handler] = {
    RegisterUser: register_user,
    LogIn: log_in,
    RefreshSession: refresh_session,
    LogOut: log_out,
}
