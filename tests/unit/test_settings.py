"""Settings come from the contract's environment variables."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from jobwise.settings import SettingsError, load_settings


def test_defaults_for_a_development_machine(tmp_path: Path) -> None:
    settings = load_settings({"JOBWISE_DATA_DIR": str(tmp_path)})

    assert settings.env == "development"
    assert settings.mongodb_url is None
    assert settings.redis_url is None
    assert settings.mongodb_db == "jobwise"
    assert settings.rate_limit_per_minute == 100
    assert settings.cors_origins == ()


def test_development_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = load_settings({"JOBWISE_DATA_DIR": str(tmp_path)})
    second = load_settings({"JOBWISE_DATA_DIR": str(tmp_path)})

    secret = first.jwt_secret_key.get_secret_value()
    assert len(secret) >= 32
    assert second.jwt_secret_key.get_secret_value() == secret
    mode = stat.S_IMODE((tmp_path / "jwt-secret").stat().st_mode)
    assert mode == 0o600


def test_production_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="JWT_SECRET_KEY"):
        load_settings({"JOBWISE_ENV": "production", "JOBWISE_DATA_DIR": str(tmp_path)})
    assert not (tmp_path / "jwt-secret").exists()


def test_production_refuses_a_short_secret() -> None:
    with pytest.raises(SettingsError, match="32"):
        load_settings({"JOBWISE_ENV": "production", "JWT_SECRET_KEY": "short"})


def test_every_contract_variable_is_read(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "MONGODB_URL": "mongodb://db:27017/?replicaSet=rs0",
            "MONGODB_DB": "other",
            "REDIS_URL": "redis://cache:6379/0",
            "JWT_SECRET_KEY": "x" * 40,
            "OPENAI_API_KEY": "sk-test",
            "OPENAI_BASE_URL": "http://127.0.0.1:9999/v1",
            "OPENAI_MODEL": "local-model",
            "JOBWISE_DATA_DIR": str(tmp_path),
            "CORS_ORIGINS": '["http://localhost:3000", "https://jobwise.app"]',
            "JOBWISE_ENV": "production",
            "JOBWISE_RATE_LIMIT_PER_MINUTE": "250",
        }
    )

    assert settings.mongodb_url == "mongodb://db:27017/?replicaSet=rs0"
    assert settings.mongodb_db == "other"
    assert settings.redis_url == "redis://cache:6379/0"
    assert settings.openai_api_key is not None
    assert settings.openai_api_key.get_secret_value() == "sk-test"
    assert settings.openai_base_url == "http://127.0.0.1:9999/v1"
    assert settings.openai_model == "local-model"
    assert settings.cors_origins == ("http://localhost:3000", "https://jobwise.app")
    assert settings.is_production
    assert settings.rate_limit_per_minute == 250


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("JOBWISE_ENV", "staging"),
        ("JOBWISE_RATE_LIMIT_PER_MINUTE", "lots"),
        ("JOBWISE_RATE_LIMIT_PER_MINUTE", "0"),
        ("JOBWISE_DB_SYNC_ON_COMMIT", "maybe"),
        ("JOBWISE_TRUSTED_PROXIES", "10.0.0.0/8, nginx"),
        ("JOBWISE_BODY_TIMEOUT", "-1"),
        ("JOBWISE_KEEPALIVE_TIMEOUT", "inf"),
        ("JOBWISE_MAX_CONNECTIONS", "0"),
        ("JOBWISE_LOGIN_FAILURES_PER_ADDRESS", "many"),
        ("JOBWISE_STORAGE", "s3"),
        ("JOBWISE_STORAGE", "local/../gridfs"),
    ],
)
def test_a_bad_value_names_its_variable(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({"JOBWISE_DATA_DIR": str(tmp_path), name: value})


def test_secrets_do_not_show_in_reprs(tmp_path: Path) -> None:
    settings = load_settings({"JOBWISE_DATA_DIR": str(tmp_path), "OPENAI_API_KEY": "sk-hidden"})
    assert "sk-hidden" not in repr(settings)
    assert settings.jwt_secret_key.get_secret_value() not in repr(settings)


def test_serving_limits_from_the_environment(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "JOBWISE_DATA_DIR": str(tmp_path),
            "JOBWISE_TRUSTED_PROXIES": "10.0.0.0/8, ::1",
            "JOBWISE_MAX_CONNECTIONS": "500",
            "JOBWISE_BODY_TIMEOUT": "2.5",
            "JOBWISE_REGISTRATIONS_PER_HOUR": "3",
        }
    )
    assert settings.trusted_proxies == ("10.0.0.0/8", "::1")
    assert settings.max_connections == 500
    assert settings.body_timeout == 2.5
    assert settings.registrations_per_hour == 3
    assert settings.login_failures_per_address == 100


def test_generation_settings_from_the_environment(tmp_path: Path) -> None:
    defaults = load_settings({"JOBWISE_DATA_DIR": str(tmp_path)})
    assert (defaults.generations_per_hour, defaults.worker_concurrency) == (10, 4)
    assert (defaults.generation_lease_seconds, defaults.browser_concurrency) == (30.0, None)

    chosen = load_settings(
        {
            "JOBWISE_DATA_DIR": str(tmp_path),
            "JOBWISE_GENERATIONS_PER_HOUR": "3",
            "JOBWISE_WORKER_CONCURRENCY": "0",
            "JOBWISE_GENERATION_LEASE_SECONDS": "2.5",
            "JOBWISE_BROWSER_CONCURRENCY": "1",
        }
    )
    assert (chosen.generations_per_hour, chosen.worker_concurrency) == (3, 0)
    assert (chosen.generation_lease_seconds, chosen.browser_concurrency) == (2.5, 1)
    for name, value in (
        ("JOBWISE_WORKER_CONCURRENCY", "-1"),
        ("JOBWISE_GENERATION_LEASE_SECONDS", "0"),
        ("JOBWISE_GENERATIONS_PER_HOUR", "0"),
    ):
        with pytest.raises(SettingsError, match=name):
            load_settings({"JOBWISE_DATA_DIR": str(tmp_path), name: value})


def test_the_cpu_budget_is_read_and_must_be_positive(tmp_path: Path) -> None:
    assert load_settings({"JOBWISE_DATA_DIR": str(tmp_path)}).cpu_budget_seconds == 30.0
    chosen = load_settings({"JOBWISE_DATA_DIR": str(tmp_path), "JOBWISE_CPU_BUDGET_SECONDS": "2.5"})
    assert chosen.cpu_budget_seconds == 2.5
    with pytest.raises(SettingsError, match="JOBWISE_CPU_BUDGET_SECONDS"):
        load_settings({"JOBWISE_DATA_DIR": str(tmp_path), "JOBWISE_CPU_BUDGET_SECONDS": "0"})


def test_the_drain_is_read_and_keeps_time_for_closing(tmp_path: Path) -> None:
    defaults = load_settings({"JOBWISE_DATA_DIR": str(tmp_path)})
    assert (defaults.drain_seconds, defaults.drain_work_seconds) == (20.0, 15.0)
    short = load_settings({"JOBWISE_DATA_DIR": str(tmp_path), "JOBWISE_DRAIN_SECONDS": "4"})
    assert short.drain_work_seconds == 2.0  # half, when five seconds would be most of it
    for value in ("0", "-5", "inf", "nan", "soon"):
        with pytest.raises(SettingsError, match="JOBWISE_DRAIN_SECONDS"):
            load_settings({"JOBWISE_DATA_DIR": str(tmp_path), "JOBWISE_DRAIN_SECONDS": value})


def test_the_worker_heartbeat_is_a_path_or_nothing(tmp_path: Path) -> None:
    assert load_settings({"JOBWISE_DATA_DIR": str(tmp_path)}).worker_heartbeat is None
    beat = tmp_path / "worker.json"
    chosen = load_settings(
        {"JOBWISE_DATA_DIR": str(tmp_path), "JOBWISE_WORKER_HEARTBEAT": str(beat)}
    )
    assert chosen.worker_heartbeat == beat


def test_files_go_where_the_database_is_unless_told(tmp_path: Path) -> None:
    """A shared database (``MONGODB_URL``) gets the files too, so every process serves
    them; the embedded one keeps them beside it, in the data dir."""
    base = {"JOBWISE_DATA_DIR": str(tmp_path)}
    shared = {**base, "MONGODB_URL": "mongodb://db:27017/?replicaSet=rs0"}
    assert load_settings(base).storage == "local"
    assert load_settings(shared).storage == "gridfs"
    assert load_settings({**shared, "JOBWISE_STORAGE": "local"}).storage == "local"
    assert load_settings({**base, "JOBWISE_STORAGE": " GridFS "}).storage == "gridfs"
    assert load_settings({**shared, "JOBWISE_STORAGE": ""}).storage == "gridfs"  # unset
