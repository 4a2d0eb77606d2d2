"""A small route registry that keeps each operation's pydantic models.

Routes are declared once with their body, query and response models; the same
declaration drives request parsing, response serialisation and the OpenAPI
document, so the docs cannot drift from what the server does.
"""

from __future__ import annotations

import asyncio
import itertools
import json  # request bodies: orjson has no parse_int/parse_constant hooks
import re
import types
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, Union, get_args, get_origin

import orjson
from aiohttp import web
from aiohttp.web_protocol import RequestPayloadError
from pydantic import BaseModel, RootModel, ValidationError
from pydantic.fields import FieldInfo

from jobwise.domain.characters import text_problem
from jobwise.domain.errors import (
    BodyTooLarge,
    BodyTooSlow,
    FieldProblem,
    InvalidInput,
    InvalidRequest,
    MalformedBody,
    UnsupportedBody,
)
from jobwise.domain.storable import unstorable_parts

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MULTIPART = "multipart/form-data"
MAX_LISTED_PROBLEMS = 20
"""Bad fields a 422 lists at most (a body of 10,000 bad values needs no 10,000 lines)."""
MAX_BODY_DEPTH = 32
"""How deeply a JSON body may nest; far beyond any real request, far below what breaks."""
M = TypeVar("M", bound=BaseModel)
_PATH_PARAM = re.compile(r"\{(\w+)(?::[^{}]*)?\}")
_OPERATOR_KEY = re.compile(r"[$\[\]]")


@dataclass(frozen=True, slots=True)
class StoredView:
    """A read model's document served as it is stored.

    Its projection already shaped it exactly like the route's response model (a
    test holds each such route to that), so it is written out as JSON directly,
    not validated into the model and dumped again: on a big profile that is most
    of a GET's work in this process.
    """

    document: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Reply:
    """A body plus the status/headers a plain return cannot express (e.g. Location)."""

    body: BaseModel | StoredView | None
    headers: Mapping[str, str] = field(default_factory=dict)
    status: int | None = None


HandlerResult = BaseModel | StoredView | Reply | web.StreamResponse | None
Handler = Callable[..., Awaitable[HandlerResult]]
AuthHook = Callable[[web.Request], Awaitable[None]]
CreateHook = Callable[
    [web.Request, Callable[[], Awaitable[web.StreamResponse]]], Awaitable[web.StreamResponse]
]
"""Wraps every create (a POST answering 201): ``Idempotency-Key`` replay lives there."""
H = TypeVar("H", bound=Handler)


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str
    handler: Handler
    operation_id: str
    summary: str
    description: str | None = None
    tags: tuple[str, ...] = ()
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    auth: bool = False
    errors: tuple[int, ...] = ()
    media_type: str = "application/json"
    """Media type of the success body; only JSON bodies get a schema."""
    upload: type[BaseModel] | None = None
    """The form fields of a ``multipart/form-data`` body the operation also takes (a file,
    up to the Api's ``max_upload_bytes``); the handler then gets ``body=None`` and reads
    the form with ``uploads.read_form``. Only for documentation and dispatch."""
    other_answers: tuple[tuple[int, type[BaseModel]], ...] = ()
    """Success answers besides ``status`` (an upload that yields a draft, not a thing)."""

    @property
    def creates(self) -> bool:
        return self.method == "POST" and self.status == 201

    @property
    def path_params(self) -> list[str]:
        return _PATH_PARAM.findall(self.path)

    @property
    def openapi_path(self) -> str:
        """The path with aiohttp's ``{name:regex}`` reduced to ``{name}``."""
        return _PATH_PARAM.sub(r"{\1}", self.path)


class Routes:
    """A module's operations, declared at import time on module-level handlers::

        routes = Routes()

        @routes.route("GET", "/api/v1/things/{thing_id}", response=ThingView, auth=True)
        async def read_thing(request: web.Request) -> ThingView: ...

    ``Api.include(routes)`` serves them.
    """

    def __init__(self) -> None:
        self.operations: list[Operation] = []

    def route(
        self,
        method: str,
        path: str,
        *,
        summary: str = "",
        description: str | None = None,
        tags: Iterable[str] = (),
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        response: type[BaseModel] | None = None,
        status: int = 200,
        auth: bool = False,
        errors: Iterable[int] = (),
        operation_id: str | None = None,
        media_type: str = "application/json",
        upload: type[BaseModel] | None = None,
        other_answers: Iterable[tuple[int, type[BaseModel]]] = (),
    ) -> Callable[[H], H]:
        """Declare an operation; the decorated function is returned unchanged."""

        def decorate(handler: H) -> H:
            self.add(
                Operation(
                    method=method.upper(),
                    path=path,
                    handler=handler,
                    operation_id=operation_id or handler.__name__,
                    summary=summary or _first_line(handler.__doc__),
                    description=description,
                    tags=tuple(tags),
                    body=body,
                    query=query,
                    response=response,
                    status=status,
                    auth=auth,
                    errors=tuple(errors),
                    media_type=media_type,
                    upload=upload,
                    other_answers=tuple(other_answers),
                )
            )
            return handler

        return decorate

    def include(self, routes: Routes) -> None:
        for op in routes.operations:
            self.add(op)

    def add(self, op: Operation) -> None:
        # Duplicates would silently shadow each other in the router and in the docs.
        for other in self.operations:
            if other.operation_id == op.operation_id:
                raise ValueError(f"duplicate operationId {op.operation_id!r}")
            if (other.method, other.openapi_path) == (op.method, op.openapi_path):
                raise ValueError(f"duplicate route {op.method} {op.path}")
        self.operations.append(op)


class Api(Routes):
    """Every operation of the app; ``register`` turns them into aiohttp routes."""

    def __init__(
        self,
        *,
        auth: AuthHook | None = None,
        creates: CreateHook | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
        body_timeout: float | None = None,
    ) -> None:
        super().__init__()
        self.auth_hook = auth
        self.create_hook = creates
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes
        self.body_timeout = body_timeout
        """Seconds a client has to send its whole body (None: no limit)."""

    def register(self, app: web.Application) -> None:
        if self.auth_hook is None and any(op.auth for op in self.operations):
            # Fail closed: an auth=True route must never be served unauthenticated.
            raise RuntimeError("Api has auth=True routes but no auth hook")
        for op in self.operations:
            app.router.add_route(op.method, op.path, self._endpoint(op), name=op.operation_id)

    def _endpoint(self, op: Operation) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def endpoint(request: web.Request) -> web.StreamResponse:
            if op.auth and self.auth_hook is not None:
                await self.auth_hook(request)
            if op.upload is not None and request.content_type == MULTIPART:
                # A file is bigger than any JSON body: this request alone may carry more.
                request = request.clone(client_max_size=self.max_upload_bytes)
                await read_body(request, self.max_upload_bytes, self.body_timeout)
            elif op.body is not None:
                # Read (bounded in size and time) before anything else does; every
                # later read of the body, the create hook's included, gets it cached.
                await read_body(request, self.max_body_bytes, self.body_timeout)
            if self.create_hook is not None and op.creates:
                return await self.create_hook(request, lambda: handle(request))
            return await handle(request)

        async def handle(request: web.Request) -> web.StreamResponse:
            kwargs: dict[str, BaseModel] = {}
            if op.query is not None:
                kwargs["query"] = parse_query(request, op.query)
            if op.upload is not None and request.content_type == MULTIPART:
                kwargs["body"] = None  # type: ignore[assignment]
            elif op.body is not None:
                kwargs["body"] = await parse_body(request, op.body, self.max_body_bytes)
            response = to_response(await op.handler(request, **kwargs), op.status)
            return not_modified_if_unchanged(request, response)

        endpoint.__name__ = f"endpoint_{op.operation_id}"
        return endpoint


# --- requests -------------------------------------------------------------------------


async def parse_body(
    request: web.Request, model: type[M], max_bytes: int = DEFAULT_MAX_BODY_BYTES
) -> M:
    """Read, decode and validate a JSON body into ``model``.

    Bodies are JSON objects, except for a ``RootModel``, which says itself what
    it takes (a list, say).
    """
    if issubclass(model, RootModel):
        return validate(model, await read_json(request, max_bytes, empty=[]), "body")
    return validate(model, await read_json_object(request, max_bytes), "body")


async def read_json(request: web.Request, max_bytes: int, *, empty: Any) -> Any:
    """Any JSON value; ``empty`` stands for an absent body. Every number and text in it
    must be storable (``_refuse_unstorable``)."""
    raw = await read_body(request, max_bytes)
    if not raw.strip():
        return empty
    if not _is_json_type(request.content_type):
        raise UnsupportedBody(details={"content_type": request.content_type})
    try:
        data = json.loads(
            raw.decode("utf-8"), parse_constant=_reject_constant, parse_int=_parse_int
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise MalformedBody(details={"reason": str(exc)[:200]}) from None
    _refuse_unstorable(data)
    return data


def _refuse_unstorable(data: Any) -> None:
    """The one check of every JSON body, before anything can store a part of it: keys no
    database can hold (a NUL), absurd nesting, integers beyond 64 bits, non-finite
    numbers (``1e999``), and text the character rule refuses (``jobwise.domain.characters``),
    each a 422 naming the field as sent (``custom_fields.a.b.3``). Free-form fields that
    are stored as given (``custom_fields``) refuse ``$`` and ``.`` keys too, in their
    model; single-line fields refuse line breaks in theirs. A password is text from
    the client too: a control character is no more typed in one than in a name."""
    problems = unstorable_parts(
        data, max_depth=MAX_BODY_DEPTH, strict_keys=False, text_rule=text_problem
    )
    listed = list(itertools.islice(problems, MAX_LISTED_PROBLEMS))
    if listed:
        reasons = "; ".join(dict.fromkeys(problem.reason for problem in listed))
        raise InvalidInput(
            f"The request body cannot be stored: {reasons}.",
            [_field(".".join(p.parts) or "body", p.reason, p.kind) for p in listed],
        )


async def read_json_object(
    request: web.Request, max_bytes: int = DEFAULT_MAX_BODY_BYTES
) -> dict[str, Any]:
    # An absent body means "no fields"; the model then reports what is required.
    data = await read_json(request, max_bytes, empty={})
    if not isinstance(data, dict):
        raise InvalidInput(
            "The request body must be a JSON object.",
            [_field("body", "Expected a JSON object", "object_type")],
        )
    return data


def parse_query(request: web.Request, model: type[M]) -> M:
    """Validate the query string into ``model``.

    Values stay strings (or lists of strings for list fields), so they can never
    become operator dicts; a key that tries (``?limit[$gt]=1``) is refused outright
    rather than silently ignored, so the caller learns the filter did not apply.
    A repeated key for a scalar field arrives as a list and fails validation.
    """
    operators = [key for key in request.query if _OPERATOR_KEY.search(key)]
    if operators:
        raise InvalidInput(
            None,
            [
                _field(key[:100], "operators are not accepted", "operator", "query")
                for key in operators
            ],
        )
    data: dict[str, str | list[str]] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        values = request.query.getall(key, [])
        if not values:
            continue
        data[key] = values if _is_list_field(info) or len(values) > 1 else values[0]
    return validate(model, data, "query")


def validate(model: type[M], data: Any, location: str = "body") -> M:
    """``model.model_validate`` with failures turned into a 422 listing every field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_failed(exc, location, data) from None


def validation_failed(
    exc: ValidationError, location: str = "body", data: Any = None
) -> InvalidInput:
    fields = [
        _field(
            ".".join(str(p) for p in as_sent(err["loc"], data)) or location,
            err["msg"],
            err["type"],
            location,
        )
        for err in exc.errors(include_url=False, include_input=False)
    ]
    return InvalidInput(None, fields)


def as_sent(loc: tuple[int | str, ...], data: Any) -> list[int | str]:
    """An error's location as the client wrote it.

    pydantic adds the branch a union tried (``salary_range.SalaryRangeIn.text``,
    ``skills.object.technical``); those names are not in the client's JSON. Walking
    the data, a key that is there is kept, a key that is not is a branch name and
    dropped, except last, where it names a missing field.
    """
    if data is None:
        return list(loc)
    kept: list[int | str] = []
    node = data
    for position, part in enumerate(loc):
        last = position == len(loc) - 1
        if isinstance(node, dict):
            if part in node:
                kept.append(part)
                node = node[part]
            elif last:
                kept.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            kept.append(part)
            node = node[part]
    return kept


def _field(name: str, message: str, kind: str, location: str = "body") -> FieldProblem:
    return FieldProblem(name, message, kind, location)


async def read_body(
    request: web.Request, max_bytes: int, within_seconds: float | None = None
) -> bytes:
    """The whole body, at most ``max_bytes`` and within ``within_seconds``.

    A client that declares a length and then stalls would otherwise hold its
    connection (and a descriptor) for as long as it likes.
    """
    if request.content_length is not None and request.content_length > max_bytes:
        raise _too_large(max_bytes)
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding != "identity":
        raise UnsupportedBody(
            "Send the request body uncompressed (no Content-Encoding).",
            details={"content_encoding": encoding[:40]},
        )
    try:
        async with asyncio.timeout(within_seconds):
            raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise _too_large(max_bytes) from None
    except RequestPayloadError:
        # A body that ends before its declared length, or a chunked one that is malformed.
        raise InvalidRequest("The request body could not be read as sent.") from None
    except TimeoutError:
        raise BodyTooSlow(
            f"The request body did not arrive within {within_seconds:g} seconds.",
            details={"body_timeout_seconds": within_seconds},
        ) from None
    # client_max_size may be set higher than this route's limit; check ourselves too.
    if len(raw) > max_bytes:
        raise _too_large(max_bytes)
    return raw


def _too_large(max_bytes: int) -> BodyTooLarge:
    return BodyTooLarge(details={"max_bytes": max_bytes})


def _is_json_type(content_type: str) -> bool:
    return content_type == "application/json" or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


def _parse_int(text: str) -> int:
    # No stored integer has more than 19 digits: a longer one stands in as one past the
    # 64-bit range, which the storable walk refuses naming its field (Python's own
    # conversion would refuse past 4,300 digits with a message about its internals).
    if len(text.lstrip("-")) <= 19:
        return int(text)
    return -(2**64) if text.startswith("-") else 2**64


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _is_list_field(info: FieldInfo) -> bool:
    annotation = info.annotation
    candidates = get_args(annotation) if _is_union(annotation) else (annotation,)
    return any(get_origin(c) in (list, tuple, set, frozenset) for c in candidates)


def _is_union(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType)


# --- responses ------------------------------------------------------------------------


def to_response(result: HandlerResult, status: int) -> web.StreamResponse:
    if isinstance(result, web.StreamResponse):
        return result
    if isinstance(result, Reply):
        if result.body is None:
            response: web.StreamResponse = web.Response(status=result.status or 204)
        else:
            response = json_response(result.body, result.status or status)
        response.headers.update(result.headers)
        return response
    if result is None:
        return web.Response(status=204)
    return json_response(result, status)


def json_response(body: BaseModel | StoredView, status: int = 200) -> web.Response:
    if isinstance(body, StoredView):
        text = orjson.dumps(body.document, option=orjson.OPT_UTC_Z)
        version = body.document.get("version")
    else:
        # by_alias matches the OpenAPI schema, which pydantic generates by alias.
        text = body.model_dump_json(by_alias=True).encode()
        version = getattr(body, "version", None)
    response = web.Response(body=text, status=status, content_type="application/json")
    if isinstance(version, int) and not isinstance(version, bool):
        # A versioned resource: its version is the validator If-Match takes back.
        response.headers["ETag"] = f'"{version}"'
    return response


def not_modified_if_unchanged(
    request: web.Request, response: web.StreamResponse
) -> web.StreamResponse:
    """A GET whose ``If-None-Match`` names the current ETag answers 304 with no body."""
    etag = response.headers.get("ETag")
    if request.method != "GET" or response.status != 200 or etag is None:
        return response
    offered = {
        tag.strip().removeprefix("W/")
        for tag in request.headers.get("If-None-Match", "").split(",")
    }
    if etag in offered or "*" in offered:
        return web.Response(status=304, headers={"ETag": etag})
    return response


def _first_line(doc: str | None) -> str:
    return doc.strip().splitlines()[0] if doc and doc.strip() else ""
