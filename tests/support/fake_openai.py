"""A fake OpenAI server for tests: real HTTP, the chat completions API, scripted replies.

``FakeOpenAI`` listens on a free loopback port and answers
``POST /v1/chat/completions`` and ``GET /v1/models`` in the shape OpenAI uses,
so the real ``openai`` SDK (and so ``OpenAILanguageModel``) talks to it
unchanged. Point a client at ``fake.base_url`` (or put ``fake.env()`` into a
subprocess's environment) and script what it answers::

    async with FakeOpenAI() as fake:
        model = OpenAILanguageModel(api_key="sk-test", model="gpt-4o-mini",
                                    base_url=fake.base_url)
        fake.script(
            {"title": "Engineer"},               # a dict: JSON, served as the content string
            "plain words",                       # a str: text content
            Reply.json({"a": 1}, fenced=True),   # ```json fenced, as some servers do
            Reply.error(429),                    # an OpenAI-style error (status, body)
            Reply.delay(2.0),                    # answers only after 2 s (client timeouts)
            Reply.malformed(),                   # 200 with a body that is not JSON
            Reply.no_choices(),                  # a completion with ``choices: []``
        )
        ...
        request = fake.last                      # every request is recorded
        assert request.bearer == "sk-test"
        assert request.model == "gpt-4o-mini"
        assert request.response_format["json_schema"]["name"] == "job_posting"

Replies are served in order, one per completion request. When the script is
used up, ``fake.responder(request_json)`` answers if set (plain or async,
returning anything ``script`` accepts), else ``fake.default`` if set, else
``{}`` for requests asking for JSON and a fixed sentence for the others.
``fake.pending`` says how many scripted replies are left; ``fake.reset()``
clears script, requests and responder between tests that share a server.

Error replies carry ``retry-after-ms: 10`` so an SDK that retries does so at
once; pass ``headers={"x-should-retry": "false"}`` to stop it retrying.
``FakeOpenAI(api_key="sk-...")`` makes it accept only that key: any other
gets the 401 OpenAI sends, quoting the key presented, as real providers do.

Two ways to run it, both stopping it for sure on exit:

* ``async with FakeOpenAI() as fake`` serves from the test's own event loop
  (for in-process clients: the aiohttp app under test, the adapter);
* ``with FakeOpenAI() as fake`` serves from a background thread with its own
  loop (for subprocesses and blocking code, e.g. the e2e ``jobwise serve``).

A delayed reply that is still waiting when the server stops ends at once, so
stopping never waits for a scripted delay.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any, Self, TypeAlias

from aiohttp import web

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_KEY = "sk-fake-openai-key"
DEFAULT_TEXT = "This is a fake completion."
LATE_TEXT = "This answer came late."
FAST_RETRY = {"retry-after-ms": "10"}
STOP_TIMEOUT = 10.0

_ERROR_TYPES = {
    400: ("invalid_request_error", "Invalid request."),
    401: ("invalid_request_error", "Incorrect API key provided."),
    403: ("invalid_request_error", "You are not allowed to use this model."),
    404: ("invalid_request_error", "The model does not exist."),
    429: ("requests", "Rate limit reached. Please try again later."),
    500: ("server_error", "The server had an error while processing your request."),
    503: ("server_error", "The engine is currently overloaded."),
}


@dataclass(frozen=True)
class Reply:
    """One scripted answer; build it with the class methods below."""

    status: int = 200
    content: str | None = None
    """The assistant message content of a completion."""
    finish_reason: str | None = "stop"
    refusal: str | None = None
    usage: Mapping[str, int] | None = None
    """Token counts; by default, word counts of the request and the answer."""
    model: str | None = None
    """The model named in the answer; by default the one requested."""
    empty_choices: bool = False
    error_body: Mapping[str, Any] | None = None
    """An OpenAI error object, served as ``{"error": ...}`` with ``status``."""
    raw: bytes | None = None
    """A body served exactly as is, instead of a completion or an error."""
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)
    wait_seconds: float = 0.0
    """How long to wait before answering."""

    @classmethod
    def json(
        cls,
        data: Any,
        *,
        fenced: bool = False,
        finish_reason: str | None = "stop",
        usage: Mapping[str, int] | None = None,
        model: str | None = None,
    ) -> Reply:
        """A completion whose content is ``data`` as JSON text (in a ```json fence if asked)."""
        text = json.dumps(data)
        content = f"```json\n{text}\n```" if fenced else text
        return cls.text(content, finish_reason=finish_reason, usage=usage, model=model)

    @classmethod
    def text(
        cls,
        content: str | None,
        *,
        finish_reason: str | None = "stop",
        usage: Mapping[str, int] | None = None,
        model: str | None = None,
    ) -> Reply:
        """A completion with this content (None: a message without content)."""
        return cls(content=content, finish_reason=finish_reason, usage=usage, model=model)

    @classmethod
    def refused(cls, refusal: str = "I can't help with that.") -> Reply:
        """A structured-output refusal: no content, ``message.refusal`` set."""
        return cls(content=None, refusal=refusal)

    @classmethod
    def no_choices(cls) -> Reply:
        """A well-formed completion with ``choices: []``."""
        return cls(empty_choices=True)

    @classmethod
    def error(
        cls,
        status: int,
        message: str | None = None,
        *,
        type: str | None = None,  # named as in OpenAI's error body
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """An HTTP error with an OpenAI-style body ``{"error": {message, type, param, code}}``."""
        default_type, default_message = _ERROR_TYPES.get(status, ("api_error", "Request failed."))
        body = {
            "message": message or default_message,
            "type": type or default_type,
            "param": None,
            "code": code,
        }
        return cls(status=status, error_body=body, headers={**FAST_RETRY, **(headers or {})})

    @classmethod
    def delay(cls, seconds: float, then: ReplyLike | None = None) -> Reply:
        """``then`` (default: a short text) served only after ``seconds``."""
        return replace(as_reply(then if then is not None else LATE_TEXT), wait_seconds=seconds)

    @classmethod
    def malformed(
        cls,
        body: str | bytes = "{this is not json",
        *,
        status: int = 200,
        content_type: str = "application/json",
    ) -> Reply:
        """A body served as is: by default, broken JSON labelled as JSON."""
        raw = body.encode() if isinstance(body, str) else body
        return cls(status=status, raw=raw, content_type=content_type)


ReplyLike: TypeAlias = Reply | dict[str, Any] | str
Responder: TypeAlias = Callable[[dict[str, Any]], ReplyLike | Awaitable[ReplyLike]]


def as_reply(value: ReplyLike) -> Reply:
    """A dict is a JSON answer, a str a text answer, a ``Reply`` itself."""
    if isinstance(value, Reply):
        return value
    if isinstance(value, dict):
        return Reply.json(value)
    if isinstance(value, str):
        return Reply.text(value)
    raise TypeError(f"not a reply: {value!r}")


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    """Lower-cased names."""
    body: Any
    """The parsed JSON body; None when there was none or it was not JSON."""

    @property
    def authorization(self) -> str | None:
        return self.headers.get("authorization")

    @property
    def bearer(self) -> str | None:
        """The token of an ``Authorization: Bearer ...`` header."""
        scheme, _, token = (self.authorization or "").partition(" ")
        return token if scheme.lower() == "bearer" and token else None

    @property
    def json(self) -> dict[str, Any]:
        return self.body if isinstance(self.body, dict) else {}

    @property
    def model(self) -> str | None:
        return self.json.get("model")

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.json.get("messages") or [])

    def message(self, role: str) -> str | None:
        """The content of the first message with this role (``"system"``, ``"user"``)."""
        return next((m.get("content") for m in self.messages if m.get("role") == role), None)

    @property
    def response_format(self) -> dict[str, Any] | None:
        return self.json.get("response_format")

    @property
    def wants_json(self) -> bool:
        return (self.response_format or {}).get("type") in ("json_schema", "json_object")


class FakeOpenAI:
    """``async with FakeOpenAI() as fake`` (or ``with``): see the module docstring."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        models: tuple[str, ...] = (DEFAULT_MODEL,),
        default: ReplyLike | None = None,
        responder: Responder | None = None,
    ) -> None:
        self.api_key = api_key
        """When set, the only key accepted."""
        self.models = models
        self.default: ReplyLike | None = default
        self.responder: Responder | None = responder
        self._initial = (default, responder)
        self._lock = threading.Lock()
        self._script: deque[Reply] = deque()
        self._requests: list[RecordedRequest] = []
        self._served = 0
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        self._closing: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._thread_loop: asyncio.AbstractEventLoop | None = None

    # -- for tests ------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1``: the SDK's ``base_url``, ``OPENAI_BASE_URL``."""
        if self._port is None:
            raise RuntimeError("FakeOpenAI is not running")
        return f"http://127.0.0.1:{self._port}/v1"

    def env(self, model: str = DEFAULT_MODEL) -> dict[str, str]:
        """The environment variables that point JobWise at this server."""
        return {
            "OPENAI_API_KEY": self.api_key or DEFAULT_KEY,
            "OPENAI_BASE_URL": self.base_url,
            "OPENAI_MODEL": model,
        }

    def script(self, *replies: ReplyLike) -> None:
        """Queue replies, served in order to the next completion requests."""
        converted = [as_reply(reply) for reply in replies]
        with self._lock:
            self._script.extend(converted)

    @property
    def pending(self) -> int:
        """Scripted replies not served yet."""
        with self._lock:
            return len(self._script)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def completions(self) -> list[RecordedRequest]:
        """The chat completion requests received so far."""
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    @property
    def last(self) -> RecordedRequest:
        """The latest chat completion request."""
        completions = self.completions
        if not completions:
            raise AssertionError("FakeOpenAI has received no chat completion request")
        return completions[-1]

    def reset(self) -> None:
        """Forget the script and the requests; restore the constructor's default/responder."""
        with self._lock:
            self._script.clear()
            self._requests.clear()
        self.default, self.responder = self._initial

    # -- in the test's loop -----------------------------------------------------

    async def start(self) -> None:
        if self._runner is not None:
            return
        self._closing = asyncio.Event()
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat_completions)
        app.router.add_get("/v1/models", self._list_models)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        # Binding the socket ourselves gives a free port with no race.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind(("127.0.0.1", 0))
            await web.SockSite(runner, sock).start()
        except BaseException:
            sock.close()
            await runner.cleanup()
            raise
        self._port = sock.getsockname()[1]
        self._runner = runner

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is None:
            return
        if self._closing is not None:
            self._closing.set()
        await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- in a thread of its own -------------------------------------------------

    def __enter__(self) -> Self:
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="fake-openai", daemon=True)
        thread.start()
        self._thread, self._thread_loop = thread, loop
        try:
            asyncio.run_coroutine_threadsafe(self.start(), loop).result(STOP_TIMEOUT)
        except BaseException:
            self._end_thread()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._end_thread()

    def _end_thread(self) -> None:
        loop, thread = self._thread_loop, self._thread
        self._thread_loop = self._thread = None
        if loop is None or thread is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(self.stop(), loop).result(STOP_TIMEOUT)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(STOP_TIMEOUT)
            loop.close()

    # -- handlers -----------------------------------------------------------------

    async def _chat_completions(self, request: web.Request) -> web.StreamResponse:
        recorded = await self._record(request)
        rejection = self._check_key(recorded) or _check_body(recorded)
        if rejection is not None:
            return _render(rejection, recorded, 0)
        reply = await self._next_reply(recorded)
        if reply.wait_seconds > 0 and not await self._wait(reply.wait_seconds):
            return web.Response(status=503, text="fake server shutting down")
        with self._lock:
            self._served += 1
            number = self._served
        return _render(reply, recorded, number)

    async def _list_models(self, request: web.Request) -> web.StreamResponse:
        recorded = await self._record(request)
        rejection = self._check_key(recorded)
        if rejection is not None:
            return _render(rejection, recorded, 0)
        created = int(time.time())
        data = [
            {"id": m, "object": "model", "created": created, "owned_by": "fake"}
            for m in self.models
        ]
        return web.json_response({"object": "list", "data": data})

    async def _not_found(self, request: web.Request) -> web.StreamResponse:
        recorded = await self._record(request)
        reply = Reply.error(404, f"Unknown request URL: {request.method} {request.path}.")
        return _render(reply, recorded, 0)

    async def _record(self, request: web.Request) -> RecordedRequest:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        recorded = RecordedRequest(
            method=request.method,
            path=request.path,
            headers={name.lower(): value for name, value in request.headers.items()},
            body=body,
        )
        with self._lock:
            self._requests.append(recorded)
        return recorded

    def _check_key(self, recorded: RecordedRequest) -> Reply | None:
        if self.api_key is None or recorded.bearer == self.api_key:
            return None
        # Like OpenAI, quote the key presented: the client must not pass it on.
        message = f"Incorrect API key provided: {recorded.bearer}."
        return Reply.error(401, message, code="invalid_api_key")

    async def _next_reply(self, recorded: RecordedRequest) -> Reply:
        with self._lock:
            scripted = self._script.popleft() if self._script else None
        if scripted is not None:
            return scripted
        if self.responder is not None:
            answer = self.responder(recorded.json)
            if inspect.isawaitable(answer):
                answer = await answer
            return as_reply(answer)
        if self.default is not None:
            return as_reply(self.default)
        return Reply.json({}) if recorded.wants_json else Reply.text(DEFAULT_TEXT)

    async def _wait(self, seconds: float) -> bool:
        """Sleep, but wake when the server stops; True when the full delay passed."""
        assert self._closing is not None
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._closing.wait()
        return not self._closing.is_set()


def _check_body(recorded: RecordedRequest) -> Reply | None:
    # The two fields OpenAI itself insists on, so a broken client fails here too.
    if not isinstance(recorded.body, dict):
        return Reply.error(400, "We could not parse the JSON body of your request.")
    if not recorded.model:
        return Reply.error(
            400, "you must provide a model parameter", code="missing_required_parameter"
        )
    if not recorded.messages:
        return Reply.error(
            400, "'messages' is a required property", code="missing_required_parameter"
        )
    return None


def _render(reply: Reply, recorded: RecordedRequest, number: int) -> web.Response:
    headers = dict(reply.headers)
    if reply.raw is not None:
        headers["Content-Type"] = reply.content_type
        return web.Response(status=reply.status, body=reply.raw, headers=headers)
    if reply.error_body is not None:
        body: dict[str, Any] = {"error": dict(reply.error_body)}
    else:
        body = _completion(reply, recorded, number)
    return web.json_response(body, status=reply.status, headers=headers)


def _completion(reply: Reply, recorded: RecordedRequest, number: int) -> dict[str, Any]:
    message = {"role": "assistant", "content": reply.content, "refusal": reply.refusal}
    choice = {
        "index": 0,
        "message": message,
        "logprobs": None,
        "finish_reason": reply.finish_reason,
    }
    return {
        "id": f"chatcmpl-fake{number:06d}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": reply.model or recorded.model or DEFAULT_MODEL,
        "choices": [] if reply.empty_choices else [choice],
        "usage": dict(reply.usage) if reply.usage is not None else _usage(reply, recorded),
        "system_fingerprint": "fp_fake",
    }


def _usage(reply: Reply, recorded: RecordedRequest) -> dict[str, int]:
    # Word counts stand in for tokens: deterministic, and non-zero for real prompts.
    prompt = sum(len(str(m.get("content") or "").split()) for m in recorded.messages)
    answer = len((reply.content or "").split())
    return {"prompt_tokens": prompt, "completion_tokens": answer, "total_tokens": prompt + answer}
