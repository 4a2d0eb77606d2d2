"""``docker-compose.yml`` without a Docker engine: the Compose Specification's own JSON
schema (vendored in tests/data/compose, Apache-2.0), then the stack's rules, read from
the file as Compose would interpolate it: every service has a health check, the API and
the workers run in several replicas with the right commands (which our CLI accepts),
their environment is settings JobWise reads and accepts, the proxy's configuration files
exist, and, where the ``nginx`` binary is installed, that configuration passes
``nginx -t``.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from jobwise.entrypoints.cli import _parser
from jobwise.settings import ENV_NAMES, load_settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
SCHEMA = ROOT / "tests" / "data" / "compose" / "compose-spec.json"
SECRET = "s" * 48
PROFILES = ("cluster", "laptop")
_VARIABLE = re.compile(
    r"\$(?:\$|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-?+])?(?P<arg>[^}]*)\})"
)


class Unset(Exception):
    """A ``${NAME:?message}`` whose variable is unset: Compose refuses to start."""


def interpolate(value: Any, env: Mapping[str, str]) -> Any:
    """The file as Compose reads it: ``${NAME}``, ``${NAME:-default}``, ``${NAME-default}``,
    ``${NAME:?error}``, ``${NAME?error}``, ``${NAME:+other}`` and ``$$`` in every string."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name"), match.group("op") or "", match.group("arg")
        found = env.get(name)
        empty = found is None or (op.startswith(":") and found == "")
        if op.endswith("-"):
            return arg if empty else str(found)
        if op.endswith("?"):
            if empty:
                raise Unset(f"{name}: {arg}")
            return str(found)
        if op.endswith("+"):
            return "" if empty else arg
        return found or ""

    return _VARIABLE.sub(substitute, value)


def raw() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded


def compose(**env: str) -> dict[str, Any]:
    interpolated: dict[str, Any] = interpolate(raw(), {"JWT_SECRET_KEY": SECRET, **env})
    return interpolated


def services_of(profile: str, **env: str) -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in compose(**env)["services"].items()
        if profile in service.get("profiles", [])
    }


def environment(service: Mapping[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in service.get("environment", {}).items()}


# -- the Compose Specification ---------------------------------------------------------


def validator() -> jsonschema.Draft7Validator:
    # The schema says draft-07 (its "$schema" without the "#" jsonschema looks for).
    return jsonschema.Draft7Validator(json.loads(SCHEMA.read_text()))


def test_the_file_follows_the_compose_specification() -> None:
    errors = [f"{list(e.path)}: {e.message}" for e in validator().iter_errors(raw())]
    assert errors == []


@pytest.mark.parametrize(
    ("where", "change"),
    [
        (("services", "api", "healthcheck"), {"intervall": "5s"}),
        (("services", "worker", "deploy"), {"replicas": [2]}),
        (("services", "proxy"), {"ports": "8000:80"}),
    ],
    ids=["misspelt-key", "replicas-not-a-number", "ports-not-a-list"],
)
def test_the_schema_catches_a_broken_file(where: tuple[str, ...], change: dict[str, Any]) -> None:
    """The check above can fail: the same file with one mistake does not pass."""
    broken = copy.deepcopy(raw())
    target = broken
    for key in where:
        target = target[key]
    target.update(change)
    assert list(validator().iter_errors(broken))


# -- the stack's own rules ------------------------------------------------------------


def test_every_service_has_a_health_check() -> None:
    for name, service in compose()["services"].items():
        check = service.get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), name
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name


def test_each_profile_is_a_whole_stack_and_nothing_runs_without_one() -> None:
    for name, service in compose()["services"].items():
        assert service.get("profiles"), f"{name} would start without a profile"
    cluster, laptop = (set(services_of(p)) for p in PROFILES)
    shared = {"proxy", "api", "worker", "redis"}
    assert cluster == shared | {"mongo1", "mongo2", "mongo3"}
    assert laptop == shared | {"mongo-laptop"}
    for profile in PROFILES:
        running = services_of(profile)
        for name, service in running.items():
            for needed, how in service.get("depends_on", {}).items():
                assert needed in running or how.get("required") is False, (profile, name, needed)


def test_the_api_and_the_workers_run_in_replicas_with_their_commands() -> None:
    services = compose()["services"]
    api, worker = services["api"], services["worker"]

    assert int(api["deploy"]["replicas"]) > 1 and int(worker["deploy"]["replicas"]) > 1
    chosen = compose(JOBWISE_API_REPLICAS="5", JOBWISE_WORKERS="7")["services"]
    assert (chosen["api"]["deploy"]["replicas"], chosen["worker"]["deploy"]["replicas"]) == (
        "5",
        "7",
    )
    assert api["command"][:2] == ["jobwise", "serve"] and "--no-worker" in api["command"]
    assert worker["command"] == ["jobwise", "worker"]
    assert worker["healthcheck"]["test"] == ["CMD", "jobwise", "worker", "--health"]
    for command in (api["command"], worker["healthcheck"]["test"][1:]):
        _parser().parse_args(command[1:])  # flags our CLI has (SystemExit if not)
    assert "ports" not in api and "ports" not in worker  # the proxy is the way in
    assert [n for n, s in services.items() if "ports" in s] == ["proxy"]


def test_the_environment_is_settings_jobwise_reads_and_accepts(tmp_path: Path) -> None:
    services = compose()["services"]
    for name in ("api", "worker"):
        env = environment(services[name])
        assert set(env) <= ENV_NAMES, f"{name}: {set(env) - ENV_NAMES} are not settings"
        settings = load_settings({**env, "JOBWISE_DATA_DIR": str(tmp_path)})
        assert settings.is_production
        assert "JOBWISE_DATA_DIR" not in env and "volumes" not in services[name]
        # Docker waits longer than the drain before it kills.
        assert _seconds(services[name]["stop_grace_period"]) > settings.drain_seconds
    assert load_settings({**environment(services["worker"])}).worker_heartbeat is not None


def test_the_secret_comes_from_the_environment_or_nothing_starts() -> None:
    with pytest.raises(Unset, match="JWT_SECRET_KEY"):
        interpolate(raw(), {})
    assert environment(compose()["services"]["api"])["JWT_SECRET_KEY"] == SECRET


def test_the_database_is_every_member_of_the_replica_set() -> None:
    services = compose()["services"]
    url = environment(services["api"])["MONGODB_URL"]
    assert url == "mongodb://mongo1:27017,mongo2:27017,mongo3:27017/?replicaSet=rs0"
    assert environment(services["worker"])["MONGODB_URL"] == url
    hosts = url.removeprefix("mongodb://").split("/")[0]
    assert environment(services["mongo1"])["JOBWISE_RS_MEMBERS"] == hosts
    laptop = services["mongo-laptop"]
    assert laptop["networks"]["backend"]["aliases"] == ["mongo1"]  # the URL's first member
    assert environment(laptop)["JOBWISE_RS_MEMBERS"] == "mongo1:27017"
    for name in ("mongo1", "mongo2", "mongo3", "mongo-laptop"):
        service = services[name]
        assert service["command"] == ["mongod", "--replSet", "rs0", "--bind_ip_all"]
        assert any(v.endswith(":/data/db") for v in service["volumes"]), name
    assert len({_volume(services[n]) for n in ("mongo1", "mongo2", "mongo3", "mongo-laptop")}) == 4


def test_the_api_believes_only_the_proxys_network() -> None:
    document = compose(JOBWISE_EDGE_SUBNET="10.77.0.0/24")
    services = document["services"]
    subnet = document["networks"]["edge"]["ipam"]["config"][0]["subnet"]
    assert subnet == "10.77.0.0/24"
    assert environment(services["api"])["JOBWISE_TRUSTED_PROXIES"] == subnet
    on_edge = sorted(n for n, s in services.items() if "edge" in _networks(s))
    assert on_edge == ["api", "proxy"]


def test_files_the_services_mount_exist() -> None:
    services = compose()["services"]
    proxy_files = [v.split(":")[0] for v in services["proxy"]["volumes"]]
    assert proxy_files == ["./deploy/nginx/nginx.conf", "./deploy/nginx/locations.conf"]
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (ROOT / source).exists(), f"{name} mounts {source}, which is missing"
            else:
                assert source in compose()["volumes"], f"{name}: volume {source} undeclared"
        for network in _networks(service):
            assert network in compose()["networks"], f"{name}: network {network} undeclared"
    assert (
        "include /etc/nginx/jobwise/locations.conf;"
        in (ROOT / "deploy/nginx/nginx.conf").read_text()
    )
    script = "/jobwise/replica-set.js"
    assert services["mongo1"]["healthcheck"]["test"][-1] == script
    assert (ROOT / "deploy/mongo/replica-set.js").exists()


def _seconds(duration: str) -> float:
    match = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?", duration)
    assert match and duration, duration
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def _volume(service: Mapping[str, Any]) -> str:
    return next(v.split(":")[0] for v in service["volumes"] if v.endswith(":/data/db"))


def _networks(service: Mapping[str, Any]) -> list[str]:
    networks = service.get("networks", [])
    return list(networks) if isinstance(networks, dict) else networks


# -- nginx -t -------------------------------------------------------------------------

NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
)
needs_nginx = pytest.mark.skipif(NGINX is None, reason="no nginx binary on this machine")


def nginx_version() -> tuple[int, ...]:
    assert NGINX is not None
    shown = subprocess.run([NGINX, "-v"], capture_output=True, text=True, check=True).stderr
    found = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", shown)
    assert found, shown
    return tuple(int(part) for part in found.groups())


def temp_paths(directory: Path) -> str:
    """Directives that keep nginx's scratch files in ``directory`` (a package's default
    paths may not exist here)."""
    return "".join(
        f"    {kind}_temp_path {directory / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )


@needs_nginx
def test_the_compose_proxy_configuration_passes_nginx_t(tmp_path: Path) -> None:
    """deploy/nginx/nginx.conf as the image reads it, but for what only the compose
    network has: the ``api`` name (here, a loopback address) and, on an nginx older
    than 1.27.3, the ``resolve`` parameter it does not know."""
    assert NGINX is not None
    text = (ROOT / "deploy/nginx/nginx.conf").read_text()
    text = text.replace("server api:8000 resolve;", "server 127.0.0.1:8000 resolve;")
    if nginx_version() < (1, 27, 3):
        text = text.replace(" resolve;", ";")
    text = text.replace(
        "/etc/nginx/jobwise/locations.conf", str(ROOT / "deploy/nginx/locations.conf")
    )
    text = text.replace("http {\n", "http {\n" + temp_paths(tmp_path), 1)
    conf = tmp_path / "nginx.conf"
    conf.write_text(text)

    tested = subprocess.run(
        [
            NGINX,
            "-t",
            "-e",
            "stderr",
            "-p",
            str(tmp_path),
            "-c",
            str(conf),
            "-g",
            f"pid {tmp_path / 'pid'};",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert tested.returncode == 0, tested.stderr
    assert "test is successful" in tested.stderr
