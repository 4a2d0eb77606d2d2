"""The user: an account, its password, its sessions and its subscription tier.

Sessions live inside the user's stream, so a refresh, a logout and a detected
refresh-token reuse are ordered with everything else the account did, and
``jobwise events --user EMAIL`` tells the account's whole story.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from jobwise.domain.aggregate import Aggregate
from jobwise.domain.events import DomainEvent

STREAM_TYPE = "user"


class Tier(StrEnum):
    FREE = "free"
    PREMIUM = "premium"
    ENTERPRISE = "enterprise"


GENERATIONS_PER_MONTH: dict[Tier, int | None] = {
    Tier.FREE: 10,
    Tier.PREMIUM: 100,
    Tier.ENTERPRISE: None,  # unlimited
}


class UserRegistered(DomainEvent, topic="UserRegistered"):
    user_id: str
    email: str
    full_name: str
    password_hash: str
    subscription_tier: Tier
    generations_limit: int | None


class PasswordChanged(DomainEvent, topic="PasswordChanged"):
    password_hash: str
    reason: str
    """"rehash" when a login upgraded a legacy hash, "changed" when the user set one."""


class SessionStarted(DomainEvent, topic="SessionStarted"):
    session_id: str
    refresh_jti: str
    expires_at: datetime


class SessionRefreshed(DomainEvent, topic="SessionRefreshed"):
    session_id: str
    previous_jti: str
    refresh_jti: str
    expires_at: datetime


class SessionRevoked(DomainEvent, topic="SessionRevoked"):
    session_id: str
    reason: str
    """"logout", or "refresh_token_reused" when a used refresh token came back."""


class TierChanged(DomainEvent, topic="TierChanged"):
    subscription_tier: Tier
    generations_limit: int | None


@dataclass
class Session:
    refresh_jti: str
    expires_at: datetime
    revoked: bool = False


class RefreshRefused(Exception):
    """The refresh token cannot be used; ``reason`` says why (for the log, not the client)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class User(Aggregate):
    stream_type = STREAM_TYPE
    id_field = "user_id"
    events = (
        UserRegistered,
        PasswordChanged,
        SessionStarted,
        SessionRefreshed,
        SessionRevoked,
        TierChanged,
    )

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.email = ""
        self.full_name = ""
        self.password_hash = ""
        self.tier = Tier.FREE
        self.generations_limit: int | None = GENERATIONS_PER_MONTH[Tier.FREE]
        """Generations a month, as the tier gave it when taken (None: unlimited)."""
        self.sessions: dict[str, Session] = {}

    @property
    def exists(self) -> bool:
        return self.version > 0

    @classmethod
    def register(cls, user_id: str, email: str, full_name: str, password_hash: str) -> User:
        user = cls(user_id)
        user.record(
            UserRegistered(
                user_id=user_id,
                email=email,
                full_name=full_name,
                password_hash=password_hash,
                subscription_tier=Tier.FREE,
                generations_limit=GENERATIONS_PER_MONTH[Tier.FREE],
            )
        )
        return user

    def start_session(self, session_id: str, refresh_jti: str, expires_at: datetime) -> None:
        self.record(
            SessionStarted(session_id=session_id, refresh_jti=refresh_jti, expires_at=expires_at)
        )

    def refresh_session(
        self, session_id: str, presented_jti: str, new_jti: str, expires_at: datetime
    ) -> None:
        """Rotate the session's refresh token; a used one revokes the whole session.

        Raises ``RefreshRefused`` after recording what must be kept (a revocation).
        """
        session = self.sessions.get(session_id)
        if session is None:
            raise RefreshRefused("unknown_session")
        if session.revoked:
            raise RefreshRefused("session_revoked")
        if session.refresh_jti != presented_jti:
            # OAuth 2.1: a refresh token presented twice means it leaked; end the session.
            self.revoke_session(session_id, "refresh_token_reused")
            raise RefreshRefused("refresh_token_reused")
        self.record(
            SessionRefreshed(
                session_id=session_id,
                previous_jti=presented_jti,
                refresh_jti=new_jti,
                expires_at=expires_at,
            )
        )

    def revoke_session(self, session_id: str, reason: str) -> None:
        session = self.sessions.get(session_id)
        if session is None or session.revoked:
            return
        self.record(SessionRevoked(session_id=session_id, reason=reason))

    def change_password_hash(self, password_hash: str, reason: str) -> None:
        self.record(PasswordChanged(password_hash=password_hash, reason=reason))

    def change_tier(self, tier: Tier) -> None:
        if tier != self.tier:
            self.record(
                TierChanged(subscription_tier=tier, generations_limit=GENERATIONS_PER_MONTH[tier])
            )

    def when_UserRegistered(self, event: UserRegistered) -> None:
        self.email = event.email
        self.full_name = event.full_name
        self.password_hash = event.password_hash
        self.tier = event.subscription_tier
        self.generations_limit = event.generations_limit

    def when_PasswordChanged(self, event: PasswordChanged) -> None:
        self.password_hash = event.password_hash

    def when_SessionStarted(self, event: SessionStarted) -> None:
        self.sessions[event.session_id] = Session(event.refresh_jti, event.expires_at)

    def when_SessionRefreshed(self, event: SessionRefreshed) -> None:
        session = self.sessions[event.session_id]
        session.refresh_jti = event.refresh_jti
        session.expires_at = event.expires_at

    def when_SessionRevoked(self, event: SessionRevoked) -> None:
        self.sessions[event.session_id].revoked = True

    def when_TierChanged(self, event: TierChanged) -> None:
        self.tier = event.subscription_tier
        self.generations_limit = event.generations_limit


class EmailReserved(DomainEvent, topic="EmailReserved"):
    """Claims an address for one user: the first append to its stream wins."""

    email: str
    user_id: str


def email_stream(normalized_email: str) -> str:
    return f"email-{normalized_email}"


def normalize_email(email: str) -> str:
    return email.strip().lower()
