"""Settings, read once from the environment (the contract's variables).

Each setting is declared once: its type, its bounds, its default and the environment
variable it is read from (``validation_alias``). ``Settings(...)`` takes keyword
arguments only; ``load_settings`` reads the environment (``os.environ``, or the
mapping a test passes) and names the variable of any value it refuses.
"""

from __future__ import annotations

import base64
import ipaddress
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

JWT_SECRET_FILE = "jwt-secret"
MIN_PRODUCTION_SECRET = 32
CLOSING_SECONDS = 5.0
"""Of a drain, the time kept for closing the store, the browser and the embedded database."""


class SettingsError(Exception):
    """The configuration cannot work; the message says what to set."""


def _lowered(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _uppered(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _comma_list(value: Any) -> Any:
    """``a, b`` or a JSON-ish ``["a", "b"]``: the same list."""
    if not isinstance(value, str):
        return value
    cleaned = value.strip().strip("[]")
    return tuple(o.strip().strip("\"'") for o in cleaned.split(",") if o.strip().strip("\"'"))


def _networks(entries: tuple[str, ...]) -> tuple[str, ...]:
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(f"{entry!r} is not an address or CIDR range") from None
    return entries


# NoDecode: pydantic-settings would read a tuple's variable as JSON; ours are comma lists.
Origins = Annotated[tuple[str, ...], NoDecode, BeforeValidator(_comma_list)]
Proxies = Annotated[
    tuple[str, ...], NoDecode, BeforeValidator(_comma_list), AfterValidator(_networks)
]
Seconds = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Storage = Literal["local", "gridfs"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        frozen=True, case_sensitive=True, validate_by_name=True, validate_by_alias=True
    )

    env: Annotated[Literal["development", "production"], BeforeValidator(_lowered)] = Field(
        "development", validation_alias="JOBWISE_ENV"
    )
    data_dir: Path = Field(Path(".jobwise"), validation_alias="JOBWISE_DATA_DIR")
    """Before the JWT secret: a development secret is kept in it."""
    chain_key_file: Path | None = Field(None, validation_alias="JOBWISE_CHAIN_KEY_FILE")
    """The Ed25519 key signing chain checkpoints; unset: ``chain-key.pem`` in the data dir."""
    chain_checkpoint_seconds: Seconds = Field(
        300.0, validation_alias="JOBWISE_CHAIN_CHECKPOINT_SECONDS"
    )
    """How often ``serve`` signs the chain's head, when it moved."""
    master_key: SecretStr | None = Field(None, validation_alias="JOBWISE_MASTER_KEY")
    """Wraps every user's data key (base64 of 32 bytes); unset: keys are stored unwrapped."""
    mongodb_url: str | None = Field(None, validation_alias="MONGODB_URL")
    """None means: start the embedded SecantusDB."""
    mongodb_db: str = Field("jobwise", validation_alias="MONGODB_DB")
    storage: Annotated[Storage, BeforeValidator(_lowered)] = Field(
        None,  # filled in by _storage_for_the_database
        validation_alias="JOBWISE_STORAGE",
        validate_default=True,
    )
    """Where rendered files live: ``gridfs`` (in the database, so every process on it
    shares them) or ``local`` (under the data dir). Unset: ``gridfs`` with a
    ``MONGODB_URL``, ``local`` on the embedded server."""
    redis_url: str | None = Field(None, validation_alias="REDIS_URL")
    """None means: in-process pub/sub."""
    jwt_secret_key: SecretStr = Field(
        SecretStr(""), validation_alias="JWT_SECRET_KEY", validate_default=True
    )
    """Empty: generated once and kept in the data dir (development only)."""
    openai_api_key: SecretStr | None = Field(None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(None, validation_alias="OPENAI_BASE_URL")
    openai_model: str = Field("gpt-4o-mini", validation_alias="OPENAI_MODEL")
    cors_origins: Origins = Field((), validation_alias="CORS_ORIGINS")
    rate_limit_per_minute: int = Field(100, ge=1, validation_alias="JOBWISE_RATE_LIMIT_PER_MINUTE")
    llm_parses_per_hour: int = Field(20, ge=1, validation_alias="JOBWISE_LLM_PARSES_PER_HOUR")
    """How many postings one user may have an LLM read per hour (it costs money)."""
    db_sync_on_commit: bool = Field(True, validation_alias="JOBWISE_DB_SYNC_ON_COMMIT")
    """Fsync the embedded server's log on every commit: an acknowledged write survives a crash."""
    log_level: Annotated[str, BeforeValidator(_uppered)] = Field(
        "INFO", validation_alias="JOBWISE_LOG_LEVEL"
    )
    log_json: bool | None = Field(None, validation_alias="JOBWISE_LOG_JSON")
    """None: JSON lines when stderr is not a terminal."""
    max_body_bytes: int = 1024 * 1024
    """Not read from the environment (no alias)."""
    max_upload_bytes: int = 10 * 1024 * 1024
    """An uploaded file's whole form (a resume, a LinkedIn export); no alias either."""
    read_your_writes_timeout: float = 10.0
    """Not read from the environment (no alias)."""
    trusted_proxies: Proxies = Field((), validation_alias="JOBWISE_TRUSTED_PROXIES")
    """Addresses or CIDR ranges of reverse proxies whose ``X-Forwarded-For`` is believed."""
    max_connections: int | None = Field(None, ge=1, validation_alias="JOBWISE_MAX_CONNECTIONS")
    """Open connections at once; None: as many as the file-descriptor limit leaves room for."""
    max_connections_per_address: int = Field(
        1000, ge=1, validation_alias="JOBWISE_MAX_CONNECTIONS_PER_ADDRESS"
    )
    body_timeout: Seconds = Field(30.0, validation_alias="JOBWISE_BODY_TIMEOUT")
    """Seconds a client has to send a request body in full."""
    keepalive_timeout: Seconds = Field(15.0, validation_alias="JOBWISE_KEEPALIVE_TIMEOUT")
    """Seconds an idle keep-alive connection stays open."""
    login_failures_per_address: int = Field(
        100, ge=1, validation_alias="JOBWISE_LOGIN_FAILURES_PER_ADDRESS"
    )
    """Failed logins from one client address (any accounts) before it is locked out."""
    registrations_per_hour: int = Field(20, ge=1, validation_alias="JOBWISE_REGISTRATIONS_PER_HOUR")
    """Accounts one client address may register per hour."""
    generations_per_hour: int = Field(10, ge=1, validation_alias="JOBWISE_GENERATIONS_PER_HOUR")
    """Generations one user may request per hour (besides the tier's monthly limit)."""
    exports_per_hour: int = Field(10, ge=1, validation_alias="JOBWISE_EXPORTS_PER_HOUR")
    """Data exports (``GET /api/v1/me/export``) one user may download per hour."""
    export_concurrency: int = Field(2, ge=1, validation_alias="JOBWISE_EXPORT_CONCURRENCY")
    """Data exports each process builds at once; past it, 503 with Retry-After."""
    worker_concurrency: int = Field(4, ge=0, validation_alias="JOBWISE_WORKER_CONCURRENCY")
    """Generations the worker in each process runs at once; 0: ``serve`` runs no worker
    (then ``jobwise worker`` processes do the work)."""
    generation_lease_seconds: Seconds = Field(
        30.0, validation_alias="JOBWISE_GENERATION_LEASE_SECONDS"
    )
    """How long a worker's claim on a generation lasts unless renewed: after a crash, the
    time within which another worker takes the generation over."""
    browser_concurrency: int | None = Field(
        None, ge=1, validation_alias="JOBWISE_BROWSER_CONCURRENCY"
    )
    """PDFs printed at once by the process's Chromium; None: one per core, at most 4."""
    live_sockets_per_user: int = Field(20, ge=1, validation_alias="JOBWISE_LIVE_SOCKETS_PER_USER")
    """Live-update WebSockets one user may hold open at once (on one process)."""
    live_queue_size: int = Field(256, ge=1, validation_alias="JOBWISE_LIVE_QUEUE_SIZE")
    """Messages waiting for one slow live-update client before it is cut off (1013)."""
    operator_token: SecretStr | None = Field(None, validation_alias="JOBWISE_OPERATOR_TOKEN")
    """Bearer token that opens ``/status`` to a client off this machine; None: loopback only."""
    drain_seconds: Seconds = Field(20.0, validation_alias="JOBWISE_DRAIN_SECONDS")
    """How long ``serve`` or ``worker`` may take to stop after SIGTERM/SIGINT: in-flight
    requests and running generations finish (or are handed over) in the first part of it
    (``drain_work_seconds``), the rest closes connections and the database; past it the
    process exits at once."""
    worker_heartbeat: Path | None = Field(None, validation_alias="JOBWISE_WORKER_HEARTBEAT")
    """A file ``jobwise worker`` keeps fresh while it can find work (``jobwise worker
    --health`` reads it); None: no file."""
    cpu_budget_seconds: Seconds = Field(30.0, validation_alias="JOBWISE_CPU_BUDGET_SECONDS")
    """How long one step of a request's parsing or rendering off the event loop (one
    ``OffLoop`` call) may take, waiting for a free core included, before the request is
    answered 503 ``overloaded``."""

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def drain_work_seconds(self) -> float:
        """Of ``drain_seconds``, the part in-flight requests and running generations may
        use; the rest (up to ``CLOSING_SECONDS``, at most half) is kept for closing."""
        return self.drain_seconds - min(CLOSING_SECONDS, self.drain_seconds / 2)

    @field_validator("jwt_secret_key")
    @classmethod
    def _secret_for_the_mode(cls, secret: SecretStr, info: ValidationInfo) -> SecretStr:
        """Production needs a real secret; development makes one up once and keeps it."""
        if "env" not in info.data or "data_dir" not in info.data:
            return secret  # an earlier setting is wrong; that error is the one to report
        value = secret.get_secret_value()
        if info.data["env"] == "production":
            if not value:
                raise ValueError("must be set when JOBWISE_ENV=production")
            if len(value) < MIN_PRODUCTION_SECRET:
                raise ValueError(f"must be at least {MIN_PRODUCTION_SECRET} characters")
            return secret
        return secret if value else SecretStr(_development_secret(info.data["data_dir"]))

    @field_validator("master_key")
    @classmethod
    def _master_key_is_32_bytes(cls, secret: SecretStr | None) -> SecretStr | None:
        """Refused at start, not at the first sealed event: a bad key loses data."""
        if secret is None:
            return None
        try:
            raw = base64.b64decode(secret.get_secret_value().strip(), validate=True)
        except ValueError:
            raise ValueError("must be base64 (of 32 random bytes)") from None
        if len(raw) != 32:
            raise ValueError(f"must be 32 bytes once decoded, not {len(raw)}")
        return secret

    @field_validator("storage", mode="before")
    @classmethod
    def _storage_for_the_database(cls, storage: Any, info: ValidationInfo) -> Any:
        """Unset: in the database when it is a shared one (``MONGODB_URL``), so files
        follow the events to every process; beside the embedded one otherwise."""
        if storage is not None:
            return storage
        return "gridfs" if info.data.get("mongodb_url") else "local"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Keyword arguments only: the environment is read by ``load_settings``, from the
        # mapping it is given, so a test's ``Settings(...)`` never sees the shell's.
        return (init_settings,)


ENV_NAMES = frozenset(
    field.validation_alias
    for field in Settings.model_fields.values()
    if isinstance(field.validation_alias, str)
)
"""Every variable the settings read; the README's table lists them."""
_FIELD_OF = {str(f.validation_alias): name for name, f in Settings.model_fields.items()}


class _Environment(EnvSettingsSource):
    """pydantic-settings' environment source over a given mapping, reading only the
    declared variables; an empty one counts as unset."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ
        super().__init__(Settings)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        # The hook pydantic-settings' own dotenv source overrides to read elsewhere.
        return {k: v for k, v in self._environ.items() if k in ENV_NAMES and v}


def default_of(name: str) -> int:
    """A whole-number setting's default, for code that needs it without an environment
    (the in-process bus): written once, here."""
    default = Settings.model_fields[name].default
    assert isinstance(default, int), name
    return default


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build settings from ``environ`` (default: ``os.environ``).

    In development a JWT secret is generated once and kept in the data dir, so
    tokens survive restarts; in production a missing secret refuses to start.
    """
    values = _Environment(os.environ if environ is None else environ)()
    try:
        return Settings(**values)
    except ValidationError as error:
        raise SettingsError(_described(error)) from None


def _described(error: ValidationError) -> str:
    """Each refused value by the variable it came from, as an operator would set it;
    a secret's value is never repeated."""
    lines = []
    for problem in error.errors(include_url=False):
        where = str(problem["loc"][0]) if problem["loc"] else "settings"
        field = Settings.model_fields.get(_FIELD_OF.get(where, where))
        name = where if field is None else str(field.validation_alias or where)
        message = problem["msg"].removeprefix("Value error, ")
        secret = field is not None and SecretStr in (field.annotation, *get_args(field.annotation))
        shown = "" if secret else f" (got {problem.get('input')!r})"
        lines.append(f"{name}: {message}{shown}")
    return "; ".join(lines)


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
