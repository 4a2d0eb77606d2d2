"""The HTTP plumbing over a real socket: parsing, errors, request ids, CORS, docs."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pydantic import BaseModel, Field, SecretStr

from jobwise.domain.errors import Unauthenticated
from jobwise.entrypoints.http import system_routes
from jobwise.entrypoints.http.api import Api, Reply
from jobwise.entrypoints.http.docs import add_docs_routes
from jobwise.entrypoints.http.keys import READINESS
from jobwise.entrypoints.http.middleware import middlewares, stamp_prepared_response
from jobwise.entrypoints.logs import JsonFormatter, configure_logging
from jobwise.logcontext import log_context
from jobwise.settings import Settings

ORIGIN = "https://app.example.com"
MiB = 1024 * 1024
Client = TestClient[web.Request, web.Application]
ClientFactory = Callable[[web.Application], Awaitable[Client]]


class ThingIn(BaseModel):
    email: str
    age: int = Field(ge=0)
    note: str = ""


class ThingOut(BaseModel):
    id: str
    email: str


class ListQuery(BaseModel):
    limit: int = Field(default=20, ge=1, le=100)
    q: str | None = None
    tags: list[str] = []


class ListOut(BaseModel):
    limit: int
    q: str | None
    tags: list[str]


async def fake_auth(request: web.Request) -> None:
    if request.headers.get("Authorization") != "Bearer good":
        raise Unauthenticated()


def demo_api() -> Api:
    api = Api(auth=fake_auth)

    @api.route("POST", "/api/v1/things", body=ThingIn, response=ThingOut, status=201, tags=["t"])
    async def create_thing(request: web.Request, body: ThingIn) -> Reply:
        return Reply(ThingOut(id="t1", email=body.email), headers={"Location": "/things/t1"})

    @api.route("GET", "/api/v1/things", query=ListQuery, response=ListOut, tags=["t"])
    async def list_things(request: web.Request, query: ListQuery) -> ListOut:
        return ListOut(**query.model_dump())

    @api.route("GET", "/api/v1/things/{thing_id}", response=ThingOut, auth=True, tags=["t"])
    async def get_thing(request: web.Request) -> ThingOut:
        return ThingOut(id=request.match_info["thing_id"], email="a@b.c")

    @api.route("DELETE", "/api/v1/things/{thing_id}", status=204, auth=True)
    async def delete_thing(request: web.Request) -> None:
        return None

    @api.route("GET", "/api/v1/boom")
    async def boom(request: web.Request) -> None:
        raise RuntimeError("secret internals 42")

    @api.route("GET", "/api/v1/stream")
    async def stream(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        await response.write(b"data: hi\n\n")
        return response

    return api


READY_KEY = web.AppKey("ready_checks", dict[str, str | None])


def readiness_of(app: web.Application) -> Callable[[], Awaitable[dict[str, str | None]]]:
    async def readiness() -> dict[str, str | None]:
        return dict(app.get(READY_KEY, {"database": None, "pubsub": "ok"}))

    return readiness


def build_app(**settings: Any) -> web.Application:
    config = Settings(jwt_secret_key=SecretStr("x" * 32), cors_origins=(ORIGIN,), **settings)
    app = web.Application(middlewares=middlewares(config), client_max_size=config.max_body_bytes)
    app.on_response_prepare.append(stamp_prepared_response)
    api = demo_api()
    api.include(system_routes.routes)
    app[READINESS] = readiness_of(app)
    api.register(app)
    add_docs_routes(app, api, title="JobWise test", version="0.0.1")
    return app


@pytest.fixture
async def client(aiohttp_client: ClientFactory) -> AsyncIterator[Client]:
    yield await aiohttp_client(build_app())


def error_of(body: dict[str, Any]) -> dict[str, Any]:
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    return dict(body["error"])


# --- happy paths and request ids ------------------------------------------------------


async def test_create_returns_model_status_and_headers(client: Client) -> None:
    resp = await client.post("/api/v1/things", json={"email": "a@b.c", "age": 3})
    assert resp.status == 201
    assert resp.headers["Location"] == "/things/t1"
    assert await resp.json() == {"id": "t1", "email": "a@b.c"}
    assert re.fullmatch(r"[0-9a-f-]{36}", resp.headers["X-Request-ID"])


async def test_sane_client_request_id_is_echoed_and_insane_one_replaced(client: Client) -> None:
    ok = await client.get("/health", headers={"X-Request-ID": "abc.DEF-123_x"})
    assert ok.headers["X-Request-ID"] == "abc.DEF-123_x"
    for bad in ("a b", "x" * 65, "<script>", "ü"):
        resp = await client.get("/health", headers={"X-Request-ID": bad})
        assert resp.headers["X-Request-ID"] != bad


@pytest.mark.parametrize(
    ("method", "path", "payload", "status"),
    [
        ("GET", "/health", None, 200),
        ("GET", "/nope", None, 404),
        ("POST", "/api/v1/things", {"email": 1}, 422),
        ("GET", "/api/v1/boom", None, 500),
        ("GET", "/api/v1/things/x", None, 401),
    ],
)
async def test_every_response_carries_the_request_id(
    client: Client, method: str, path: str, payload: Any, status: int
) -> None:
    resp = await client.request(method, path, json=payload, headers={"X-Request-ID": "rid-1"})
    assert resp.status == status
    assert resp.headers["X-Request-ID"] == "rid-1"


async def test_streamed_response_gets_request_id(client: Client) -> None:
    headers = {"X-Request-ID": "rid-stream", "Origin": ORIGIN}
    resp = await client.get("/api/v1/stream", headers=headers)
    assert resp.status == 200
    assert resp.headers["X-Request-ID"] == "rid-stream"
    assert resp.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert await resp.read() == b"data: hi\n\n"


async def test_none_result_is_204(client: Client) -> None:
    resp = await client.delete("/api/v1/things/x", headers={"Authorization": "Bearer good"})
    assert resp.status == 204
    assert await resp.read() == b""


async def test_path_params_reach_the_handler(client: Client) -> None:
    resp = await client.get("/api/v1/things/abc", headers={"Authorization": "Bearer good"})
    assert resp.status == 200
    assert (await resp.json())["id"] == "abc"


# --- body parsing ---------------------------------------------------------------------


async def test_non_json_content_type_is_415(client: Client) -> None:
    resp = await client.post(
        "/api/v1/things", data="email=a", headers={"Content-Type": "text/plain"}
    )
    assert resp.status == 415
    assert error_of(await resp.json())["code"] == "unsupported_media_type"


async def test_malformed_json_is_400(client: Client) -> None:
    headers = {"Content-Type": "application/json"}
    for raw in ('{"email": ', "{'a': 1}", '{"age": NaN}', b"\xff\xfe{"):
        resp = await client.post("/api/v1/things", data=raw, headers=headers)
        assert resp.status == 400, raw
        assert error_of(await resp.json())["code"] == "malformed_json"


async def test_json_that_is_not_an_object_is_422(client: Client) -> None:
    resp = await client.post("/api/v1/things", json=[1, 2])
    assert resp.status == 422
    assert error_of(await resp.json())["code"] == "validation_error"


async def test_body_over_limit_is_413(client: Client) -> None:
    big = json.dumps({"email": "a", "age": 1, "note": "x" * MiB})
    resp = await client.post(
        "/api/v1/things", data=big, headers={"Content-Type": "application/json"}
    )
    assert resp.status == 413
    assert error_of(await resp.json())["code"] == "payload_too_large"


async def test_chunked_body_over_limit_is_413(client: Client) -> None:
    # No Content-Length: aiohttp's client_max_size stops the read.
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"email": "a", "age": 1, "note": "'
        for _ in range(17):
            yield b"x" * 65536
        yield b'"}'

    resp = await client.post(
        "/api/v1/things", data=chunks(), headers={"Content-Type": "application/json"}
    )
    assert resp.status == 413
    assert error_of(await resp.json())["code"] == "payload_too_large"


async def test_validation_lists_every_bad_field(client: Client) -> None:
    resp = await client.post("/api/v1/things", json={"email": 5, "age": -1})
    assert resp.status == 422
    error = error_of(await resp.json())
    assert error["code"] == "validation_error"
    assert {f["field"] for f in error["details"]["fields"]} == {"email", "age"}
    assert all(f["message"] and f["type"] for f in error["details"]["fields"])


async def test_missing_body_reports_required_fields(client: Client) -> None:
    resp = await client.post("/api/v1/things")
    assert resp.status == 422
    fields = error_of(await resp.json())["details"]["fields"]
    assert {(f["field"], f["type"]) for f in fields} == {("email", "missing"), ("age", "missing")}


async def test_operator_object_in_string_field_is_422(client: Client) -> None:
    resp = await client.post("/api/v1/things", json={"email": {"$ne": None}, "age": 1})
    assert resp.status == 422
    fields = error_of(await resp.json())["details"]["fields"]
    assert [f["field"] for f in fields] == ["email"]


# --- query parsing --------------------------------------------------------------------


async def test_query_is_validated_and_coerced(client: Client) -> None:
    resp = await client.get("/api/v1/things?limit=5&q=py&tags=a&tags=b")
    assert await resp.json() == {"limit": 5, "q": "py", "tags": ["a", "b"]}
    bad = await client.get("/api/v1/things?limit=0")
    assert bad.status == 422
    assert error_of(await bad.json())["details"]["fields"][0]["field"] == "limit"


async def test_operator_keys_are_refused_not_ignored(client: Client) -> None:
    resp = await client.get("/api/v1/things", params={"limit[$gt]": "1", "q[$ne]": "x"})
    assert resp.status == 422
    fields = error_of(await resp.json())["details"]["fields"]
    assert {f["field"] for f in fields} == {"limit[$gt]", "q[$ne]"}
    assert {f["type"] for f in fields} == {"operator"}


async def test_repeated_scalar_query_key_is_422(client: Client) -> None:
    resp = await client.get("/api/v1/things?q=a&q=b")
    assert resp.status == 422
    assert error_of(await resp.json())["details"]["fields"][0]["field"] == "q"


# --- errors ---------------------------------------------------------------------------


async def test_unknown_route_is_404_in_contract_shape(client: Client) -> None:
    resp = await client.get("/api/v1/nothing-here")
    assert resp.status == 404
    assert error_of(await resp.json())["code"] == "not_found"


async def test_wrong_method_is_405(client: Client) -> None:
    resp = await client.patch("/api/v1/things")
    assert resp.status == 405
    assert error_of(await resp.json())["code"] == "method_not_allowed"
    assert "GET" in resp.headers["Allow"]


async def test_auth_hook_runs_before_body_parsing(client: Client) -> None:
    resp = await client.get("/api/v1/things/x")
    assert resp.status == 401
    assert error_of(await resp.json())["code"] == "unauthorized"


async def test_500_hides_the_traceback_and_logs_it(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="jobwise.http"):
        resp = await client.get("/api/v1/boom", headers={"X-Request-ID": "rid-boom"})
    text = await resp.text()
    assert resp.status == 500
    assert error_of(json.loads(text))["code"] == "internal_error"
    assert "secret internals" not in text and "Traceback" not in text
    [record] = [r for r in caplog.records if r.name == "jobwise.http"]
    assert record.exc_info is not None and "secret internals 42" in str(record.exc_info[1])
    assert getattr(record, "request_id", None) == "rid-boom"


async def test_register_refuses_auth_routes_without_hook() -> None:
    api = Api()

    @api.route("GET", "/x", auth=True)
    async def x(request: web.Request) -> None:
        return None

    with pytest.raises(RuntimeError):
        api.register(web.Application())


# --- CORS -----------------------------------------------------------------------------


async def test_cors_preflight_from_allowed_origin(client: Client) -> None:
    resp = await client.options(
        "/api/v1/things",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert resp.status == 204
    assert resp.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in resp.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in resp.headers["Access-Control-Allow-Headers"]
    assert int(resp.headers["Access-Control-Max-Age"]) > 0
    assert "Origin" in resp.headers["Vary"]


async def test_cors_preflight_from_unknown_origin_gets_no_cors_headers(client: Client) -> None:
    resp = await client.options(
        "/api/v1/things",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert resp.status == 403
    assert not [h for h in resp.headers if h.lower().startswith("access-control-")]


async def test_cors_headers_on_normal_and_error_responses(client: Client) -> None:
    for path in ("/health", "/nope"):
        resp = await client.get(path, headers={"Origin": ORIGIN})
        assert resp.headers["Access-Control-Allow-Origin"] == ORIGIN
        assert "X-Request-ID" in resp.headers["Access-Control-Expose-Headers"]
    other = await client.get("/health", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


# --- system routes --------------------------------------------------------------------


async def test_health_and_ready(aiohttp_client: ClientFactory) -> None:
    app = build_app()
    app[READY_KEY] = {"database": None, "pubsub": "ok", "projections": "lagging 5s"}
    client = await aiohttp_client(app)
    assert await (await client.get("/health")).json() == {"status": "ok"}
    resp = await client.get("/ready")
    assert resp.status == 503
    error = error_of(await resp.json())
    assert error["code"] == "not_ready"
    assert error["details"]["checks"] == {
        "database": "ok",
        "pubsub": "ok",
        "projections": "lagging 5s",
    }


async def test_ready_when_all_checks_pass(client: Client) -> None:
    resp = await client.get("/ready")
    assert resp.status == 200
    assert await resp.json() == {"status": "ready", "checks": {"database": "ok", "pubsub": "ok"}}


# --- OpenAPI and docs -----------------------------------------------------------------


def resolve(doc: dict[str, Any], ref: str) -> Any:
    node: Any = doc
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def all_refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for v in node.values() for r in all_refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in all_refs(v)]
    return []


async def test_openapi_json_describes_the_demo_routes(client: Client) -> None:
    resp = await client.get("/openapi.json")
    assert resp.status == 200
    doc = await resp.json()
    assert doc["openapi"] == "3.1.0"
    assert {"/api/v1/things", "/api/v1/things/{thing_id}", "/health", "/ready"} <= set(doc["paths"])
    refs = all_refs(doc)
    assert refs
    for ref in refs:
        assert ref.startswith("#/components/")
        resolve(doc, ref)  # raises KeyError if dangling
    ops = [op for path in doc["paths"].values() for op in path.values()]
    assert len({op["operationId"] for op in ops}) == len(ops)


async def test_docs_page_is_self_contained(client: Client) -> None:
    resp = await client.get("/docs")
    assert resp.status == 200
    assert resp.content_type == "text/html"
    page = await resp.text()
    urls = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert urls
    for url in urls:
        assert not url.startswith(("http://", "https://", "//")), url
    assert "http://" not in page and "https://" not in page
    for url in urls:
        asset = await client.get("/" + url)
        assert asset.status == 200, url
    js = await client.get("/docs/static/swagger-ui-bundle.js")
    assert js.status == 200
    assert len(await js.read()) > 100_000
    init = await (await client.get("/docs/init.js")).text()
    assert "openapi.json" in init and "validatorUrl: null" in init


# --- logging --------------------------------------------------------------------------


def test_json_log_lines_carry_request_id_and_extras() -> None:
    stream = io.StringIO()
    settings = Settings(jwt_secret_key=SecretStr("x" * 32), log_json=True)
    configure_logging(settings, stream)
    root = logging.getLogger()
    level = root.level
    try:
        with log_context(request_id="rid-log", generation_id="g-1"):
            logging.getLogger("jobwise.test").warning(
                "hello %s", "you", extra={"user_id": "u1", "password": "hunter2"}
            )
    finally:
        for handler in [h for h in root.handlers if isinstance(h.formatter, JsonFormatter)]:
            root.removeHandler(handler)
        root.setLevel(level)
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert line["message"] == "hello you"
    assert line["request_id"] == "rid-log" and line["generation_id"] == "g-1"
    assert line["level"] == "WARNING" and line["logger"] == "jobwise.test"
    assert line["user_id"] == "u1"
    assert line["password"] == "[redacted]"
    assert "timestamp" in line


async def test_access_log_line_per_request(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="jobwise.access"):
        await client.get("/api/v1/things?q=secret-token", headers={"X-Request-ID": "rid-acc"})
    [record] = [r for r in caplog.records if r.name == "jobwise.access"]
    assert record.__dict__["status"] == 200
    assert record.__dict__["request_id"] == "rid-acc"
    assert record.__dict__["path"] == "/api/v1/things"
    assert "secret-token" not in record.getMessage()
    assert record.__dict__["duration_ms"] >= 0
