"""Settings, read once from the environment (the contract's variables)."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, overload

from pydantic import BaseModel, ConfigDict, Field, SecretStr

JWT_SECRET_FILE = "jwt-secret"


class SettingsError(Exception):
    """The configuration cannot work; the message says what to set."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    env: Literal["development", "production"] = "development"
    mongodb_url: str | None = None
    """None means: start the embedded SecantusDB."""
    mongodb_db: str = "jobwise"
    redis_url: str | None = None
    """None means: in-process pub/sub."""
    jwt_secret_key: SecretStr
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    data_dir: Path = Path(".jobwise")
    cors_origins: tuple[str, ...] = ()
    rate_limit_per_minute: int = Field(default=100, ge=1)
    llm_parses_per_hour: int = Field(default=20, ge=1)
    """How many postings one user may have an LLM read per hour (it costs money)."""
    db_sync_on_commit: bool = True
    """Fsync the embedded server's log on every commit: an acknowledged write survives a crash."""
    log_level: str = "INFO"
    log_json: bool | None = None
    """None: JSON lines when stderr is not a terminal."""
    max_body_bytes: int = 1024 * 1024
    read_your_writes_timeout: float = 10.0
    trusted_proxies: tuple[str, ...] = ()
    """Addresses or CIDR ranges of reverse proxies whose ``X-Forwarded-For`` is believed."""
    max_connections: int | None = Field(default=None, ge=1)
    """Open connections at once; None: as many as the file-descriptor limit leaves room for."""
    max_connections_per_address: int = Field(default=1000, ge=1)
    body_timeout: float = Field(default=30.0, gt=0)
    """Seconds a client has to send a request body in full."""
    keepalive_timeout: float = Field(default=15.0, gt=0)
    """Seconds an idle keep-alive connection stays open."""
    login_failures_per_address: int = Field(default=100, ge=1)
    """Failed logins from one client address (any accounts) before it is locked out."""
    registrations_per_hour: int = Field(default=20, ge=1)
    """Accounts one client address may register per hour."""
    generations_per_hour: int = Field(default=10, ge=1)
    """Generations one user may request per hour (besides the tier's monthly limit)."""
    worker_concurrency: int = Field(default=4, ge=0)
    """Generations the worker in each process runs at once; 0: ``serve`` runs no worker
    (then ``jobwise worker`` processes do the work)."""
    generation_lease_seconds: float = Field(default=30.0, gt=0)
    """How long a worker's claim on a generation lasts unless renewed: after a crash, the
    time within which another worker takes the generation over."""
    browser_concurrency: int | None = Field(default=None, ge=1)
    """PDFs printed at once by the process's Chromium; None: one per core, at most 4."""
    live_sockets_per_user: int = Field(default=20, ge=1)
    """Live-update WebSockets one user may hold open at once (on one process)."""
    live_queue_size: int = Field(default=256, ge=1)
    """Messages waiting for one slow live-update client before it is cut off (1013)."""
    operator_token: SecretStr | None = None
    """Bearer token that opens ``/status`` to a client off this machine; None: loopback only."""
    cpu_budget_seconds: float = Field(default=30.0, gt=0)
    """How long one step of a request's parsing or rendering off the event loop (one
    ``OffLoop`` call) may take, waiting for a free core included, before the request is
    answered 503 ``overloaded``."""

    @property
    def is_production(self) -> bool:
        return self.env == "production"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build settings from ``environ`` (default: ``os.environ``).

    In development a JWT secret is generated once and kept in the data dir, so
    tokens survive restarts; in production a missing secret refuses to start.
    """
    env = dict(os.environ if environ is None else environ)
    mode = env.get("JOBWISE_ENV", "development").strip().lower() or "development"
    if mode not in ("development", "production"):
        raise SettingsError(f"JOBWISE_ENV must be development or production, not {mode!r}")
    data_dir = Path(env.get("JOBWISE_DATA_DIR") or ".jobwise")
    secret = env.get("JWT_SECRET_KEY")
    if not secret:
        if mode == "production":
            raise SettingsError("JWT_SECRET_KEY must be set when JOBWISE_ENV=production")
        secret = _development_secret(data_dir)
    elif mode == "production" and len(secret) < 32:
        raise SettingsError("JWT_SECRET_KEY must be at least 32 characters in production")
    return Settings(
        env=mode,
        mongodb_url=env.get("MONGODB_URL") or None,
        mongodb_db=env.get("MONGODB_DB") or "jobwise",
        redis_url=env.get("REDIS_URL") or None,
        jwt_secret_key=SecretStr(secret),
        openai_api_key=SecretStr(env["OPENAI_API_KEY"]) if env.get("OPENAI_API_KEY") else None,
        openai_base_url=env.get("OPENAI_BASE_URL") or None,
        openai_model=env.get("OPENAI_MODEL") or "gpt-4o-mini",
        data_dir=data_dir,
        cors_origins=_split_origins(env.get("CORS_ORIGINS", "")),
        rate_limit_per_minute=_positive_int(env, "JOBWISE_RATE_LIMIT_PER_MINUTE", 100),
        llm_parses_per_hour=_positive_int(env, "JOBWISE_LLM_PARSES_PER_HOUR", 20),
        db_sync_on_commit=_flag(env, "JOBWISE_DB_SYNC_ON_COMMIT", True),
        log_level=(env.get("JOBWISE_LOG_LEVEL") or "INFO").upper(),
        log_json=_flag(env, "JOBWISE_LOG_JSON", None),
        trusted_proxies=_trusted_proxies(env.get("JOBWISE_TRUSTED_PROXIES", "")),
        max_connections=_positive_int(env, "JOBWISE_MAX_CONNECTIONS", None),
        max_connections_per_address=_positive_int(env, "JOBWISE_MAX_CONNECTIONS_PER_ADDRESS", 1000),
        body_timeout=_positive_float(env, "JOBWISE_BODY_TIMEOUT", 30.0),
        keepalive_timeout=_positive_float(env, "JOBWISE_KEEPALIVE_TIMEOUT", 15.0),
        login_failures_per_address=_positive_int(env, "JOBWISE_LOGIN_FAILURES_PER_ADDRESS", 100),
        registrations_per_hour=_positive_int(env, "JOBWISE_REGISTRATIONS_PER_HOUR", 20),
        generations_per_hour=_positive_int(env, "JOBWISE_GENERATIONS_PER_HOUR", 10),
        worker_concurrency=_whole_number(env, "JOBWISE_WORKER_CONCURRENCY", 4),
        generation_lease_seconds=_positive_float(env, "JOBWISE_GENERATION_LEASE_SECONDS", 30.0),
        browser_concurrency=_positive_int(env, "JOBWISE_BROWSER_CONCURRENCY", None),
        live_sockets_per_user=_positive_int(env, "JOBWISE_LIVE_SOCKETS_PER_USER", 20),
        live_queue_size=_positive_int(env, "JOBWISE_LIVE_QUEUE_SIZE", 256),
        operator_token=SecretStr(env["JOBWISE_OPERATOR_TOKEN"])
        if env.get("JOBWISE_OPERATOR_TOKEN")
        else None,
        cpu_budget_seconds=_positive_float(env, "JOBWISE_CPU_BUDGET_SECONDS", 30.0),
    )


def _development_secret(data_dir: Path) -> str:
    path = data_dir / JWT_SECRET_FILE
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    # Created with 0600 so another local user cannot read it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret


def _split_origins(raw: str) -> tuple[str, ...]:
    cleaned = raw.strip().strip("[]")
    return tuple(o.strip().strip("\"'") for o in cleaned.split(",") if o.strip().strip("\"'"))


@overload
def _positive_int(env: Mapping[str, str], name: str, default: int) -> int: ...
@overload
def _positive_int(env: Mapping[str, str], name: str, default: None) -> int | None: ...
def _positive_int(env: Mapping[str, str], name: str, default: int | None) -> int | None:
    return _int_at_least(env, name, default, 1, "at least 1")


def _whole_number(env: Mapping[str, str], name: str, default: int) -> int:
    """A count that may be zero."""
    value = _int_at_least(env, name, default, 0, "0 or more")
    assert value is not None  # the default is a number
    return value


def _int_at_least(
    env: Mapping[str, str], name: str, default: int | None, least: int, said: str
) -> int | None:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if value < least:
        raise SettingsError(f"{name} must be {said}")
    return value


def _positive_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, not {raw!r}") from None
    if not 0 < value < float("inf"):
        raise SettingsError(f"{name} must be a positive number of seconds")
    return value


def _trusted_proxies(raw: str) -> tuple[str, ...]:
    entries = tuple(entry.strip() for entry in raw.split(",") if entry.strip())
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise SettingsError(
                f"JOBWISE_TRUSTED_PROXIES: {entry!r} is not an address or CIDR range"
            ) from None
    return entries


def _flag(env: Mapping[str, str], name: str, default: bool | None) -> bool | None:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")
