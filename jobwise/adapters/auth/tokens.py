"""Access and refresh tokens: HS256 JWTs, verified the RFC 8725 way.

Only HS256 is accepted on decode (no ``alg: none``, no algorithm confusion),
issuer and audience are checked exactly, every claim we rely on is required,
and ``typ`` keeps a refresh token from being used as an access token and vice
versa. Every refusal is the same generic 401 that never echoes the token.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import jwt
from cachetools import FIFOCache
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jobwise.domain.errors import Unauthenticated

ALGORITHM = "HS256"
TokenType = Literal["access", "refresh"]
REQUIRED_CLAIMS = ("sub", "sid", "jti", "typ", "iat", "exp", "iss", "aud")
MIN_SECRET_BYTES = 32
"""RFC 7518 §3.2: an HS256 key must be at least as long as the hash (256 bits)."""
MAX_TOKEN_CHARS = 4096
"""Ours are a few hundred characters; anything far longer is not worth parsing."""
DEFAULT_LEEWAY = timedelta(seconds=5)
VERIFIED_TOKENS = 10_000
"""Verified tokens remembered (the oldest forgotten first); a forgotten one is verified again."""


class TokenInvalid(Unauthenticated):
    """The token cannot be trusted; deliberately says nothing about why."""

    code, message = "invalid_token", "The token is invalid."
    challenge = 'Bearer error="invalid_token"'  # RFC 6750 §3


class TokenExpired(TokenInvalid):
    """A genuine token past its ``exp``: the client should refresh (or log in again)."""

    code, message = "token_expired", "The token has expired."


class Claims(BaseModel):
    """The verified claims of one token."""

    model_config = ConfigDict(frozen=True)

    sub: str = Field(min_length=1)
    """The user id."""
    sid: str = Field(min_length=1)
    """The session id (what logout and revocation act on)."""
    jti: str = Field(min_length=1)
    typ: TokenType
    iat: datetime
    exp: datetime
    iss: str
    aud: str


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    access_jti: str
    refresh_jti: str
    expires_in: int
    """Seconds until the access token expires (the OAuth ``expires_in``)."""
    refresh_expires_at: datetime
    token_type: str = "Bearer"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class TokenService:
    """Issues and verifies the token pair with one shared secret.

    ``clock`` (aware datetimes) is for tests; it drives both issuing and the
    expiry check on decode, so a test can move time without sleeping.
    """

    def __init__(
        self,
        secret: str,
        *,
        issuer: str = "jobwise",
        audience: str = "jobwise-api",
        access_ttl: timedelta = timedelta(hours=1),
        refresh_ttl: timedelta = timedelta(days=7),
        leeway: timedelta = DEFAULT_LEEWAY,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if len(secret.encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"the JWT secret must be at least {MIN_SECRET_BYTES} bytes")
        self._secret = secret
        self.issuer = issuer
        self.audience = audience
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl
        self._leeway = int(leeway.total_seconds())
        self._clock = clock or _utc_now
        self._verified: FIFOCache[str, Claims] = FIFOCache(VERIFIED_TOKENS)
        """Tokens whose signature and claims were checked: an HMAC and a claims parse
        per request saved. Times and type are still checked on every use."""

    def issue_pair(self, user_id: str, session_id: str) -> TokenPair:
        """A new access and refresh token for ``user_id`` in ``session_id``."""
        now = self._now()
        access, access_jti = self._issue(user_id, session_id, "access", now, self.access_ttl)
        refresh, refresh_jti = self._issue(user_id, session_id, "refresh", now, self.refresh_ttl)
        return TokenPair(
            access_token=access,
            refresh_token=refresh,
            access_jti=access_jti,
            refresh_jti=refresh_jti,
            expires_in=int(self.access_ttl.total_seconds()),
            refresh_expires_at=datetime.fromtimestamp(now + _seconds(self.refresh_ttl), UTC),
        )

    def decode(self, token: str, expected_type: TokenType) -> Claims:
        """The claims of a genuine, current token of ``expected_type``.

        Raises ``TokenExpired`` for an expired one and ``TokenInvalid`` for
        anything else that is wrong with it.
        """
        claims = self._verified.get(token)
        if claims is None:
            payload = self._verified_payload(token)
            self._check_times(payload)
            try:
                claims = Claims.model_validate(payload)
            except ValidationError:
                raise TokenInvalid() from None
            self._remember(token, claims)
        else:
            self._check_times({"exp": claims.exp.timestamp(), "iat": claims.iat.timestamp()})
        if claims.typ != expected_type:
            raise TokenInvalid()
        return claims

    def _remember(self, token: str, claims: Claims) -> None:
        self._verified[token] = claims

    def _issue(
        self, user_id: str, session_id: str, typ: TokenType, now: int, ttl: timedelta
    ) -> tuple[str, str]:
        jti = str(uuid.uuid4())
        claims = {
            "sub": user_id,
            "sid": session_id,
            "jti": jti,
            "typ": typ,
            "iat": now,
            "exp": now + _seconds(ttl),
            "iss": self.issuer,
            "aud": self.audience,
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM), jti

    def _verified_payload(self, token: str) -> dict[str, Any]:
        if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS:
            raise TokenInvalid()
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                self._secret,
                # Pinned: the header's ``alg`` is attacker-controlled (RFC 8725 §3.1).
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                options={
                    "require": list(REQUIRED_CLAIMS),
                    "strict_aud": True,
                    # Times are checked below against our clock, not PyJWT's.
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
        except jwt.PyJWTError:
            raise TokenInvalid() from None
        return payload

    def _check_times(self, payload: dict[str, Any]) -> None:
        exp, iat = payload["exp"], payload["iat"]
        # bool is an int in Python, but never a timestamp.
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (exp, iat)):
            raise TokenInvalid()
        now = self._now()
        if iat > now + self._leeway:
            raise TokenInvalid()  # Issued in the future: not one of ours.
        if exp <= now - self._leeway:
            raise TokenExpired()

    def _now(self) -> int:
        now = self._clock()
        if now.tzinfo is None:
            raise ValueError("the token clock must return timezone-aware datetimes")
        return int(now.timestamp())


def _seconds(ttl: timedelta) -> int:
    return int(ttl.total_seconds())
