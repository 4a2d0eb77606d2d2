"""The language-model contract: the real ``OpenAILanguageModel`` against a real HTTP fake.

Every case goes through the ``openai`` SDK and the network to ``FakeOpenAI``,
which answers what each test scripts; nothing is patched. Clients are built
with ``max_retries=0`` unless a case is about retrying, so each scripted reply
is served exactly once.
"""

from __future__ import annotations

import asyncio
import json
import time
import traceback
import urllib.request
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic import SecretStr

from jobwise.adapters.llm import (
    JsonCompletion,
    LanguageModel,
    LanguageModelError,
    OpenAILanguageModel,
    TextCompletion,
    TokenUsage,
    create_language_model,
)
from jobwise.metrics import REGISTRY
from jobwise.settings import Settings
from tests.support.fake_openai import FakeOpenAI, Reply
from tests.support.redis_server import _free_port

API_KEY = "sk-test-0123456789abcdefSECRET"
MODEL = "gpt-4o-mini"
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"title": {"type": "string"}, "skills": {"type": "array"}},
    "required": ["title"],
}
POSTING = {"title": "Backend Engineer", "skills": ["python", "mongodb"]}


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as server:
        yield server


@pytest.fixture
async def llm(fake: FakeOpenAI) -> AsyncIterator[OpenAILanguageModel]:
    model = OpenAILanguageModel(API_KEY, MODEL, base_url=fake.base_url, timeout=5.0, max_retries=0)
    try:
        yield model
    finally:
        await model.aclose()


async def extract(llm: LanguageModel) -> JsonCompletion:
    return await llm.complete_json(
        system="Extract the posting.", user="We hire a backend engineer.", schema=SCHEMA,
        schema_name="job_posting",
    )  # fmt: skip


async def write(llm: LanguageModel) -> TextCompletion:
    return await llm.complete_text(system="Write a cover letter.", user="For ACME.")


async def failure(call: Any) -> LanguageModelError:
    with pytest.raises(LanguageModelError) as caught:
        await call
    return caught.value


# -- JSON completions -------------------------------------------------------------


async def test_json_completion_sends_the_schema_and_returns_the_object(
    fake: FakeOpenAI, llm: OpenAILanguageModel
) -> None:
    fake.script(POSTING)

    result = await extract(llm)

    assert result.data == POSTING
    assert result.model == MODEL
    request = fake.last
    assert request.method == "POST"
    assert request.path == "/v1/chat/completions"
    assert request.bearer == API_KEY
    assert request.model == MODEL
    assert request.messages == [
        {"role": "system", "content": "Extract the posting."},
        {"role": "user", "content": "We hire a backend engineer."},
    ]
    assert request.response_format == {
        "type": "json_schema",
        "json_schema": {"name": "job_posting", "schema": SCHEMA, "strict": False},
    }
    assert request.json["max_tokens"] == 1500
    assert request.json["temperature"] == 0.0
    assert fake.pending == 0


@pytest.mark.parametrize(
    "content",
    [
        "```json\n" + json.dumps(POSTING) + "\n```",
        "```\n" + json.dumps(POSTING) + "\n```",
        "Here is the extraction:\n\n```JSON\n" + json.dumps(POSTING, indent=2) + "\n```\n",
        "\n  " + json.dumps(POSTING) + "  \n",
    ],
    ids=["json-fence", "bare-fence", "prose-then-fence", "whitespace"],
)
async def test_fenced_or_padded_json_is_tolerated(
    fake: FakeOpenAI, llm: OpenAILanguageModel, content: str
) -> None:
    fake.script(Reply.text(content))

    assert (await extract(llm)).data == POSTING


async def test_usage_and_model_come_from_the_response(
    fake: FakeOpenAI, llm: OpenAILanguageModel
) -> None:
    usage = {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150}
    fake.script(Reply.json(POSTING, usage=usage, model="gpt-4o-mini-2024-07-18"))

    result = await extract(llm)

    assert result.usage == TokenUsage(prompt_tokens=120, completion_tokens=30, total_tokens=150)
    assert result.model == "gpt-4o-mini-2024-07-18"


async def test_missing_usage_counts_are_zero_and_total_is_derived(
    fake: FakeOpenAI, llm: OpenAILanguageModel
) -> None:
    fake.script(Reply.json(POSTING, usage={"prompt_tokens": 7, "completion_tokens": 5}))
    assert (await extract(llm)).usage == TokenUsage(
        prompt_tokens=7, completion_tokens=5, total_tokens=12
    )

    fake.script(Reply.json(POSTING, usage={}))
    assert (await extract(llm)).usage == TokenUsage()


# -- text completions ---------------------------------------------------------------


async def test_text_completion(fake: FakeOpenAI, llm: OpenAILanguageModel) -> None:
    fake.script(Reply.text("Dear hiring manager,\n\nI am", finish_reason="length"))

    result = await write(llm)

    assert result.text == "Dear hiring manager,\n\nI am"
    assert result.finish_reason == "length"
    assert result.model == MODEL
    assert result.usage.completion_tokens == 5
    assert result.usage.total_tokens == result.usage.prompt_tokens + 5
    request = fake.last
    assert "response_format" not in request.json
    assert request.message("system") == "Write a cover letter."
    assert request.message("user") == "For ACME."
    assert request.json["max_tokens"] == 2000
    assert request.json["temperature"] == 0.4


async def test_text_completion_passes_limits_through(
    fake: FakeOpenAI, llm: OpenAILanguageModel
) -> None:
    fake.script("Short.")

    result = await llm.complete_text(system="s", user="u", max_tokens=50, temperature=0.9)

    assert (result.text, result.finish_reason) == ("Short.", "stop")
    assert (fake.last.json["max_tokens"], fake.last.json["temperature"]) == (50, 0.9)


# -- failures -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "kind", "status"),
    [
        (Reply.error(401), "auth", 401),
        (Reply.error(403), "auth", 403),
        (Reply.error(429), "rate_limited", 429),
        (Reply.error(500), "unavailable", 500),
        (Reply.error(502, "Bad gateway"), "unavailable", 502),
        (Reply.error(503), "unavailable", 503),
        (Reply.error(400, "Invalid schema for response_format"), "refused", 400),
        (Reply.error(404, "The model `nope` does not exist"), "refused", 404),
        (Reply.error(408), "timeout", 408),
    ],
    ids=lambda value: str(value) if isinstance(value, int) else None,
)
async def test_http_errors_map_to_kinds(
    fake: FakeOpenAI, llm: OpenAILanguageModel, reply: Reply, kind: str, status: int
) -> None:
    for call in (extract, write):
        fake.script(reply)
        error = await failure(call(llm))
        assert (error.kind, error.status) == (kind, status)
        assert f"HTTP {status}" in error.message


async def test_refused_and_server_errors_keep_the_providers_reason(
    fake: FakeOpenAI, llm: OpenAILanguageModel
) -> None:
    fake.script(Reply.error(400, "Invalid schema for response_format 'job_posting'."))

    error = await failure(extract(llm))

    assert error.kind == "refused"
    assert "Invalid schema for response_format 'job_posting'" in error.message


@pytest.mark.parametrize(
    "reply",
    [
        Reply.text("Sure! The title is Backend Engineer."),
        Reply.text("```json\n{not json}\n```"),
        Reply.json(["a", "list"]),
        Reply.json("a string"),
        Reply.text(None),
        Reply.text("   "),
        Reply.no_choices(),
        Reply.json(POSTING, finish_reason="content_filter"),
        Reply.malformed(),
        Reply.malformed("<html>gateway</html>", content_type="text/html"),
        Reply.malformed('{"id": "x", "object": "chat.completion"}'),
        Reply.malformed('{"choices": "nope"}'),
    ],
    ids=[
        "prose", "broken-fence", "array", "string", "no-content", "blank", "no-choices",
        "content-filter", "broken-body", "html-body", "no-choices-field", "choices-not-a-list",
    ],
)  # fmt: skip
async def test_unusable_answers_are_bad_responses(
    fake: FakeOpenAI, llm: OpenAILanguageModel, reply: Reply
) -> None:
    fake.script(reply)

    assert (await failure(extract(llm))).kind == "bad_response"


@pytest.mark.parametrize(
    "reply",
    [
        Reply.no_choices(),
        Reply.text(None),
        Reply.malformed(),
        Reply.text("x", finish_reason="content_filter"),
    ],
    ids=["no-choices", "no-content", "broken-body", "content-filter"],
)
async def test_unusable_text_answers_are_bad_responses(
    fake: FakeOpenAI, llm: OpenAILanguageModel, reply: Reply
) -> None:
    fake.script(reply)

    assert (await failure(write(llm))).kind == "bad_response"


async def test_a_model_refusal_is_refused(fake: FakeOpenAI, llm: OpenAILanguageModel) -> None:
    fake.script(Reply.refused("I can't help with that."))

    assert (await failure(extract(llm))).kind == "refused"


async def test_a_slow_server_times_out(fake: FakeOpenAI) -> None:
    model = OpenAILanguageModel(API_KEY, MODEL, base_url=fake.base_url, timeout=0.3, max_retries=0)
    fake.script(Reply.delay(60.0, then=POSTING))  # far beyond the bound below
    started = time.monotonic()
    try:
        error = await failure(extract(model))
    finally:
        await model.aclose()

    assert error.kind == "timeout"
    assert "0.3s" in error.message
    assert time.monotonic() - started < 30.0  # gave up long before the reply


async def test_an_unreachable_server_is_unavailable() -> None:
    base_url = f"http://user:pw@127.0.0.1:{_free_port()}/v1"
    model = OpenAILanguageModel(API_KEY, MODEL, base_url=base_url, timeout=30.0, max_retries=0)
    try:
        error = await failure(write(model))
    finally:
        await model.aclose()

    assert error.kind == "unavailable"
    assert "127.0.0.1" in error.message
    assert "pw" not in error.message


async def test_transient_failures_are_retried_up_to_max_retries(fake: FakeOpenAI) -> None:
    model = OpenAILanguageModel(API_KEY, MODEL, base_url=fake.base_url, timeout=5.0, max_retries=1)
    try:
        fake.script(Reply.error(503), POSTING)
        assert (await extract(model)).data == POSTING
        assert len(fake.completions) == 2

        fake.script(Reply.error(429), Reply.error(429), POSTING)
        assert (await failure(extract(model))).kind == "rate_limited"
        assert len(fake.completions) == 4
        assert fake.pending == 1
    finally:
        await model.aclose()


# -- the key stays secret -------------------------------------------------------------


def assert_no_key(error: LanguageModelError, key: str) -> None:
    shown = [str(error), repr(error), error.message, *map(str, error.args)]
    shown.append("".join(traceback.format_exception(error)))
    assert all(key not in text for text in shown), shown
    assert all(key[:12] not in text for text in shown), shown


async def test_a_rejected_key_is_never_quoted() -> None:
    async with FakeOpenAI(api_key="sk-the-right-key") as fake:
        model = OpenAILanguageModel(API_KEY, MODEL, base_url=fake.base_url, max_retries=0)
        try:
            error = await failure(extract(model))
        finally:
            await model.aclose()
        # The fake quotes the presented key back, as OpenAI does.
        assert error.kind == "auth"
        assert fake.last.bearer == API_KEY
    assert_no_key(error, API_KEY)


@pytest.mark.parametrize("status", [400, 404, 429, 500])
async def test_a_key_echoed_in_any_error_is_redacted(
    fake: FakeOpenAI, llm: OpenAILanguageModel, status: int
) -> None:
    masked = API_KEY[:8] + "*" * 12 + API_KEY[-4:]
    fake.script(Reply.error(status, f"Key {API_KEY} (also known as {masked}) may not do this."))

    error = await failure(extract(llm))

    assert_no_key(error, API_KEY)
    assert masked not in error.message
    assert "[redacted]" in error.message


async def test_the_adapter_does_not_show_its_key() -> None:
    model = OpenAILanguageModel(API_KEY, MODEL)
    try:
        assert API_KEY not in repr(model)
    finally:
        await model.aclose()


# -- the factory -----------------------------------------------------------------------


def settings(**fields: Any) -> Settings:
    return Settings(jwt_secret_key=SecretStr("j" * 40), **fields)


def test_no_api_key_means_no_language_model() -> None:
    assert create_language_model(settings()) is None
    assert create_language_model(settings(openai_api_key=SecretStr("  "))) is None
    assert create_language_model(settings(openai_base_url="http://127.0.0.1:9/v1")) is None


async def test_the_factory_honours_base_url_and_model(fake: FakeOpenAI) -> None:
    configured = settings(
        openai_api_key=SecretStr(API_KEY), openai_base_url=fake.base_url, openai_model="local-llama"
    )
    model = create_language_model(configured)
    assert isinstance(model, OpenAILanguageModel)
    try:
        assert (model.model, model.base_url) == ("local-llama", fake.base_url)
        fake.script("Hello from the fake.")
        assert (await write(model)).text == "Hello from the fake."
    finally:
        await model.aclose()
    assert (fake.last.model, fake.last.bearer) == ("local-llama", API_KEY)


async def test_the_factory_defaults_to_openai() -> None:
    model = create_language_model(settings(openai_api_key=SecretStr(API_KEY)))
    assert isinstance(model, OpenAILanguageModel)
    try:
        assert (model.model, model.base_url) == ("gpt-4o-mini", "https://api.openai.com/v1")
    finally:
        await model.aclose()


# -- the fake itself ----------------------------------------------------------------------


async def test_unscripted_requests_get_the_responder_then_the_default(
    fake: FakeOpenAI, llm: OpenAILanguageModel
) -> None:
    assert (await extract(llm)).data == {}
    assert (await write(llm)).text == "This is a fake completion."

    fake.default = {"title": "Default"}
    assert (await extract(llm)).data == {"title": "Default"}

    async def responder(body: dict[str, Any]) -> dict[str, Any]:
        return {"title": body["messages"][1]["content"].upper()}

    fake.responder = responder
    assert (await extract(llm)).data == {"title": "WE HIRE A BACKEND ENGINEER."}

    fake.reset()
    assert (fake.requests, fake.responder, fake.default) == ([], None, None)


async def test_stopping_does_not_wait_for_a_delayed_reply() -> None:
    fake = FakeOpenAI()
    await fake.start()
    model = OpenAILanguageModel(API_KEY, MODEL, base_url=fake.base_url, timeout=30, max_retries=0)
    try:
        arrived = asyncio.Event()

        def responder(body: dict[str, Any]) -> Reply:
            arrived.set()
            return Reply.delay(60)

        fake.responder = responder
        call = asyncio.ensure_future(write(model))
        await asyncio.wait_for(arrived.wait(), 30)
        started = time.monotonic()
        await fake.stop()
        assert time.monotonic() - started < 30.0  # not the reply's 60 s
        assert (await failure(call)).kind == "unavailable"
    finally:
        await fake.stop()
        await model.aclose()


def test_the_fake_serves_blocking_clients_from_its_own_thread() -> None:
    with FakeOpenAI(api_key="sk-thread") as fake:
        fake.script({"ok": True})
        body = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
        request = urllib.request.Request(
            fake.base_url + "/chat/completions",
            data=json.dumps(body).encode(),
            headers={"Authorization": "Bearer sk-thread", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            completion = json.load(response)
        models_request = urllib.request.Request(
            fake.base_url + "/models", headers={"Authorization": "Bearer sk-thread"}
        )
        with urllib.request.urlopen(models_request, timeout=5) as response:
            models = json.load(response)
        assert fake.env()["OPENAI_BASE_URL"] == fake.base_url
    assert completion["object"] == "chat.completion"
    assert json.loads(completion["choices"][0]["message"]["content"]) == {"ok": True}
    assert completion["choices"][0]["finish_reason"] == "stop"
    assert models["data"][0]["id"] == "gpt-4o-mini"


# -- metrics ----------------------------------------------------------------------------


def counted(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_calls_tokens_and_failures_are_counted_under_the_configured_model(
    fake: FakeOpenAI,
) -> None:
    """Under the model the settings name, not the one the server answers with (its to
    choose, so no bound on the label's values)."""
    name = f"metrics-model-{time.monotonic_ns()}"
    model = OpenAILanguageModel(API_KEY, name, base_url=fake.base_url, timeout=5.0, max_retries=0)
    usage = {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150}
    try:
        fake.script(Reply.json(POSTING, usage=usage, model="whatever-the-server-says"))
        await extract(model)
        fake.script(Reply.error(429))
        await failure(write(model))
        fake.script(Reply.text("Sure! The title is Backend Engineer.", usage=usage))
        await failure(extract(model))
    finally:
        await model.aclose()

    assert counted("jobwise_llm_requests_total", model=name) == 3
    assert counted("jobwise_llm_tokens_total", model=name, kind="prompt") == 240
    assert counted("jobwise_llm_tokens_total", model=name, kind="completion") == 60
    assert counted("jobwise_llm_errors_total", model=name, kind="rate_limited") == 1
    assert counted("jobwise_llm_errors_total", model=name, kind="bad_response") == 1
    assert counted("jobwise_llm_requests_total", model="whatever-the-server-says") == 0
