"""Access/refresh JWTs: round trip, lifetimes, and every way a token is refused."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from jobwise.adapters.auth.tokens import (
    TokenExpired,
    TokenInvalid,
    TokenPair,
    TokenService,
    TokenType,
)
from jobwise.entrypoints.http.refusals import refusal_response

SECRET = "s" * 64
OTHER_SECRET = "o" * 64
START = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, by: timedelta) -> None:
        self.now += by


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(clock: Clock) -> TokenService:
    return TokenService(SECRET, clock=clock)


@pytest.fixture
def pair(service: TokenService) -> TokenPair:
    return service.issue_pair("user-1", "session-1")


def claims(**overrides: Any) -> dict[str, Any]:
    """A complete, valid claim set at ``START``; ``None`` drops a claim."""
    now = int(START.timestamp())
    base: dict[str, Any] = {
        "sub": "user-1",
        "sid": "session-1",
        "jti": str(uuid.uuid4()),
        "typ": "access",
        "iat": now,
        "exp": now + 3600,
        "iss": "jobwise",
        "aud": "jobwise-api",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def sign(payload: dict[str, Any], key: str = SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(payload, key, algorithm=algorithm)


def unsigned(header: dict[str, Any], payload: dict[str, Any]) -> str:
    """A token with an empty signature, as an ``alg: none`` attacker sends it."""
    return f"{_b64(header)}.{_b64(payload)}."


def _b64(part: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def refused(service: TokenService, token: str, expected: TokenType = "access") -> TokenInvalid:
    with pytest.raises(TokenInvalid) as caught:
        service.decode(token, expected)
    return caught.value


# --- issuing and round trip ---------------------------------------------------------


def test_round_trip(service: TokenService, pair: TokenPair) -> None:
    access = service.decode(pair.access_token, "access")
    refresh = service.decode(pair.refresh_token, "refresh")
    assert (access.sub, access.sid, access.typ) == ("user-1", "session-1", "access")
    assert (refresh.sub, refresh.sid, refresh.typ) == ("user-1", "session-1", "refresh")
    assert access.jti == pair.access_jti
    assert refresh.jti == pair.refresh_jti
    assert access.iss == "jobwise"
    assert access.aud == "jobwise-api"


def test_each_token_gets_a_fresh_uuid4_jti(service: TokenService, pair: TokenPair) -> None:
    other = service.issue_pair("user-1", "session-1")
    jtis = {pair.access_jti, pair.refresh_jti, other.access_jti, other.refresh_jti}
    assert len(jtis) == 4
    assert all(uuid.UUID(jti).version == 4 for jti in jtis)


def test_lifetimes_are_one_hour_and_seven_days(service: TokenService, pair: TokenPair) -> None:
    access = service.decode(pair.access_token, "access")
    refresh = service.decode(pair.refresh_token, "refresh")
    assert access.iat == START
    assert access.exp - access.iat == timedelta(hours=1)
    assert refresh.exp - refresh.iat == timedelta(days=7)
    assert pair.expires_in == 3600
    assert pair.refresh_expires_at == START + timedelta(days=7)
    assert pair.token_type == "Bearer"


def test_the_header_says_hs256(pair: TokenPair) -> None:
    assert jwt.get_unverified_header(pair.access_token)["alg"] == "HS256"


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        TokenService("too-short")


def test_a_naive_clock_is_refused() -> None:
    service = TokenService(SECRET, clock=lambda: datetime(2030, 1, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        service.issue_pair("user-1", "session-1")


# --- expiry and clock skew ----------------------------------------------------------


def test_an_access_token_expires_after_an_hour(
    service: TokenService, pair: TokenPair, clock: Clock
) -> None:
    clock.advance(timedelta(minutes=59, seconds=59))
    service.decode(pair.access_token, "access")
    clock.advance(timedelta(seconds=1 + 5))  # past exp and past the 5 s leeway
    error = refused(service, pair.access_token)
    assert isinstance(error, TokenExpired)
    assert error.code == "token_expired"


def test_expiry_allows_a_few_seconds_of_clock_skew(
    service: TokenService, pair: TokenPair, clock: Clock
) -> None:
    clock.advance(timedelta(hours=1, seconds=4))
    service.decode(pair.access_token, "access")


def test_a_refresh_token_expires_after_seven_days(
    service: TokenService, pair: TokenPair, clock: Clock
) -> None:
    clock.advance(timedelta(days=7) - timedelta(seconds=1))
    service.decode(pair.refresh_token, "refresh")
    clock.advance(timedelta(seconds=10))
    assert isinstance(refused(service, pair.refresh_token, "refresh"), TokenExpired)


def test_a_token_issued_in_the_future_is_refused(service: TokenService) -> None:
    later = int((START + timedelta(minutes=5)).timestamp())
    refused(service, sign(claims(iat=later, exp=later + 3600)))


def test_a_token_issued_within_the_skew_is_accepted(service: TokenService) -> None:
    soon = int(START.timestamp()) + 3
    service.decode(sign(claims(iat=soon, exp=soon + 3600)), "access")


def test_the_real_clock_is_used_by_default() -> None:
    service = TokenService(SECRET)
    pair = service.issue_pair("user-1", "session-1")
    issued = service.decode(pair.access_token, "access").iat
    assert abs(issued - datetime.now(UTC)) < timedelta(seconds=60)


# --- refusals -----------------------------------------------------------------------


def test_a_handmade_valid_token_is_accepted(service: TokenService) -> None:
    # The baseline the refusals below differ from in exactly one way.
    assert service.decode(sign(claims()), "access").sub == "user-1"


def test_a_refresh_token_is_not_an_access_token(service: TokenService, pair: TokenPair) -> None:
    refused(service, pair.refresh_token, "access")


def test_an_access_token_is_not_a_refresh_token(service: TokenService, pair: TokenPair) -> None:
    refused(service, pair.access_token, "refresh")


def test_an_unknown_typ_is_refused(service: TokenService) -> None:
    refused(service, sign(claims(typ="id")))


def test_a_bad_signature_is_refused(service: TokenService) -> None:
    refused(service, sign(claims(), key=OTHER_SECRET))


def test_a_tampered_payload_is_refused(service: TokenService, pair: TokenPair) -> None:
    header, _, signature = pair.access_token.split(".")
    forged = _b64(claims(sub="admin"))
    refused(service, f"{header}.{forged}.{signature}")


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_alg_none_is_refused(service: TokenService, alg: str) -> None:
    refused(service, unsigned({"alg": alg, "typ": "JWT"}, claims()))


def test_another_hmac_algorithm_is_refused(service: TokenService) -> None:
    refused(service, sign(claims(), algorithm="HS512"))


def test_an_rs256_header_is_refused(service: TokenService) -> None:
    # Algorithm confusion: an RS256 header over an HMAC made with our secret
    # (as if it were the "public key") must not be verified as HMAC.
    header = _b64({"alg": "RS256", "typ": "JWT"})
    payload = _b64(claims())
    hs256 = sign(claims()).split(".")[2]
    refused(service, f"{header}.{payload}.{hs256}")


def test_the_wrong_audience_is_refused(service: TokenService) -> None:
    refused(service, sign(claims(aud="another-api")))


def test_a_list_audience_is_refused(service: TokenService) -> None:
    refused(service, sign(claims(aud=["jobwise-api", "another-api"])))


def test_the_wrong_issuer_is_refused(service: TokenService) -> None:
    refused(service, sign(claims(iss="someone-else")))


@pytest.mark.parametrize("claim", ["sub", "sid", "jti", "typ", "iat", "exp", "iss", "aud"])
def test_a_missing_claim_is_refused(service: TokenService, claim: str) -> None:
    refused(service, sign(claims(**{claim: None})))


@pytest.mark.parametrize(
    "overrides",
    [{"sub": ""}, {"sub": 42}, {"sid": ""}, {"jti": 7}, {"exp": "soon"}, {"iat": True}],
)
def test_claims_of_the_wrong_type_are_refused(
    service: TokenService, overrides: dict[str, Any]
) -> None:
    refused(service, sign(claims(**overrides)))


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "a.b.c", "a.b", "....", "eyJhbGciOiJIUzI1NiJ9.e30.", "x" * 5000],
)
def test_malformed_tokens_are_refused(service: TokenService, token: str) -> None:
    refused(service, token)


def test_the_refusal_is_a_generic_401_that_never_echoes_the_token(
    service: TokenService,
) -> None:
    token = sign(claims(), key=OTHER_SECRET)
    error = refused(service, token)
    answer = refusal_response(error)
    assert answer.status == 401
    assert error.code == "invalid_token"
    assert answer.body is not None and token.encode() not in bytes(answer.body)
    assert answer.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert error.__cause__ is None  # PyJWT's message stays out of tracebacks, too


def test_a_remembered_token_is_still_checked_for_time_and_type(
    service: TokenService, pair: TokenPair, clock: Clock
) -> None:
    first = service.decode(pair.access_token, "access")
    assert service.decode(pair.access_token, "access") == first  # from memory
    with pytest.raises(TokenInvalid):
        service.decode(pair.access_token, "refresh")
    clock.advance(service.access_ttl + timedelta(minutes=1))
    with pytest.raises(TokenExpired):
        service.decode(pair.access_token, "access")


def test_only_verified_tokens_are_remembered(service: TokenService, pair: TokenPair) -> None:
    forged = sign(claims(), key=OTHER_SECRET)
    for _ in range(2):
        refused(service, forged)
    tampered = pair.access_token[:-2] + ("AA" if not pair.access_token.endswith("AA") else "BB")
    for _ in range(2):
        refused(service, tampered)
