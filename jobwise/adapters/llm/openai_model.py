"""The ``LanguageModel`` adapter for OpenAI and any server speaking its chat completions API.

Every ``openai`` exception is translated into a ``LanguageModelError`` here, so
nothing above this module ever sees the SDK. Messages are built by us, not
copied from the SDK, and scrubbed of the API key: some providers echo (part of)
the key back in their error bodies.

Each completion is counted (``jobwise_llm_requests_total``), with the tokens the
provider reports and the kind of any failure, under the configured model's name: the
name the server answers with is the provider's to choose, not a bounded label.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import openai
import orjson
from openai.types.chat import ChatCompletion

from jobwise.domain.language_model import (
    ErrorKind,
    JsonCompletion,
    LanguageModelError,
    TextCompletion,
    TokenUsage,
)
from jobwise.metrics import LLM_ERRORS, LLM_REQUESTS, LLM_TOKENS

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DETAIL_LIMIT = 300
"""Provider error details are cut to this many characters: enough to diagnose, not a wall."""

# A fenced block anywhere in the answer: many OpenAI-compatible servers wrap
# structured output in ```json ... ``` even when asked for a JSON schema.
_FENCE = re.compile(r"```[ \t]*(?:json)?[ \t]*\r?\n?(.*?)```", re.DOTALL | re.IGNORECASE)
# Anything shaped like an OpenAI key, masked or not, in a provider's message.
_KEY_LIKE = re.compile(r"\bsk-[A-Za-z0-9_*.\-]{4,}")


class OpenAILanguageModel:
    """One ``openai.AsyncOpenAI`` client for one model; close it with ``aclose()``."""

    def __init__(
        self,
        api_key: str,
        model: str,
        base_url: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 1,
    ) -> None:
        if not api_key:
            raise ValueError("an API key is required")
        self.model = model
        self.base_url = base_url or DEFAULT_BASE_URL
        self.timeout = timeout
        self._api_key = api_key
        # The base URL is always explicit so the SDK never falls back to reading
        # OPENAI_BASE_URL itself: settings are the one source of configuration.
        self._client = openai.AsyncOpenAI(
            api_key=api_key, base_url=self.base_url, timeout=timeout, max_retries=max_retries
        )

    def __repr__(self) -> str:
        return f"OpenAILanguageModel(model={self.model!r}, base_url={self.base_url!r})"

    async def complete_json(
        self,
        *,
        system: str,
        user: str,
        schema: dict[str, Any],
        schema_name: str,
        max_tokens: int = 1500,
        temperature: float = 0.0,
    ) -> JsonCompletion:
        with self._translated():
            completion = await self._client.chat.completions.create(
                model=self.model,
                messages=[
                    {"role": "system", "content": system},
                    {"role": "user", "content": user},
                ],
                # Not strict: strict mode rejects common schema features (optional
                # fields, formats); the caller validates the answer with pydantic.
                response_format={
                    "type": "json_schema",
                    "json_schema": {"name": schema_name, "schema": schema, "strict": False},
                },
                # max_tokens rather than max_completion_tokens: it is the one
                # that OpenAI-compatible servers (vLLM, Ollama, ...) all accept.
                max_tokens=max_tokens,
                temperature=temperature,
            )
        usage = self._spent(completion)
        with self._counted():
            content, _ = _read_answer(completion)
            data = parse_json_object(content)
        return JsonCompletion(data=data, usage=usage, model=_model_name(completion, self.model))

    async def complete_text(
        self,
        *,
        system: str,
        user: str,
        max_tokens: int = 2000,
        temperature: float = 0.4,
    ) -> TextCompletion:
        with self._translated():
            completion = await self._client.chat.completions.create(
                model=self.model,
                messages=[
                    {"role": "system", "content": system},
                    {"role": "user", "content": user},
                ],
                max_tokens=max_tokens,
                temperature=temperature,
            )
        usage = self._spent(completion)
        with self._counted():
            content, finish_reason = _read_answer(completion)
        return TextCompletion(
            text=content,
            usage=usage,
            model=_model_name(completion, self.model),
            finish_reason=finish_reason,
        )

    async def aclose(self) -> None:
        await self._client.close()

    @contextlib.contextmanager
    def _counted(self) -> Iterator[None]:
        """Reading an answer that came back: its ``LanguageModelError``, counted."""
        try:
            yield
        except LanguageModelError as error:
            LLM_ERRORS.labels(self.model, error.kind).inc()
            raise

    def _spent(self, completion: ChatCompletion) -> TokenUsage:
        """The tokens the answer reports, counted whether or not it can be used."""
        usage = _usage(completion)
        LLM_TOKENS.labels(self.model, "prompt").inc(usage.prompt_tokens)
        LLM_TOKENS.labels(self.model, "completion").inc(usage.completion_tokens)
        return usage

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        """Count the call, and turn whatever the SDK raises into a (counted)
        ``LanguageModelError``."""
        LLM_REQUESTS.labels(self.model).inc()
        try:
            yield
            return
        except openai.OpenAIError as exc:
            error = self._translate(exc)
        except ValueError:
            # The SDK parses a JSON-labelled body without catching its errors.
            error = LanguageModelError(
                "bad_response", "The language model's response body is not valid JSON."
            )
        LLM_ERRORS.labels(self.model, error.kind).inc()
        # The SDK's exception is not chained: its text and body are the provider's,
        # and may quote the key.
        raise error from None

    def _translate(self, exc: openai.OpenAIError) -> LanguageModelError:
        if isinstance(exc, openai.APITimeoutError):
            return LanguageModelError(
                "timeout", f"The language model did not answer within {self.timeout:g}s."
            )
        if isinstance(exc, openai.APIConnectionError):
            return LanguageModelError(
                "unavailable", f"Could not reach the language model at {_host(self.base_url)}."
            )
        if isinstance(exc, openai.APIStatusError):
            return self._from_status(exc)
        return LanguageModelError("bad_response", "The language model's answer could not be read.")

    def _from_status(self, exc: openai.APIStatusError) -> LanguageModelError:
        status = exc.status_code
        kind, summary = _classify_status(status)
        message = f"{summary} (HTTP {status})"
        detail = _error_detail(exc.body)
        # An auth failure's detail is about the key itself: never pass it on.
        if detail and kind != "auth":
            message += ": " + self._redact(detail)[:DETAIL_LIMIT].rstrip(".")
        return LanguageModelError(kind, message + ".", status=status)

    def _redact(self, text: str) -> str:
        return _KEY_LIKE.sub("[redacted]", text.replace(self._api_key, "[redacted]"))


def parse_json_object(content: str) -> dict[str, Any]:
    """The JSON object in a model's answer: bare, or in a ```json fenced block.

    Raises ``LanguageModelError("bad_response")`` for anything else.
    """
    for candidate in (content, *_FENCE.findall(content)):
        try:
            value = orjson.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
        raise LanguageModelError(
            "bad_response",
            f"The language model answered JSON {type(value).__name__}, not an object.",
        )
    raise LanguageModelError("bad_response", "The language model's answer is not JSON.")


def _classify_status(status: int) -> tuple[ErrorKind, str]:
    # By status rather than by SDK class, so unusual codes from
    # OpenAI-compatible servers (408, 502, 504, ...) land in the right kind.
    if status in (401, 403):
        return "auth", "The language model provider rejected the API key"
    if status == 408:
        return "timeout", "The language model provider timed out"
    if status == 429:
        return "rate_limited", "The language model provider is rate limiting us"
    if status >= 500:
        return "unavailable", "The language model provider failed"
    return "refused", "The language model provider refused the request"


def _error_detail(body: object) -> str:
    """The human part of an OpenAI-style error body (``{"message": ...}``), if any."""
    if isinstance(body, dict):
        message = body.get("message")
        return message.strip() if isinstance(message, str) else ""
    return body.strip() if isinstance(body, str) else ""


def _read_answer(completion: ChatCompletion) -> tuple[str, str | None]:
    """The first choice's content and finish reason, or ``bad_response``/``refused``."""
    # The SDK builds responses without validating them, so a non-conforming
    # server can leave fields missing or of the wrong type: read defensively.
    try:
        choice = completion.choices[0]
        finish_reason = choice.finish_reason
        refusal = getattr(choice.message, "refusal", None)
        content = choice.message.content
    except (AttributeError, IndexError, KeyError, TypeError):
        raise LanguageModelError("bad_response", "The language model gave no answer.") from None
    if finish_reason == "content_filter":
        raise LanguageModelError(
            "bad_response", "The language model's answer was withheld by its content filter."
        )
    if isinstance(refusal, str) and refusal:
        raise LanguageModelError("refused", "The language model declined to answer.")
    if not isinstance(content, str) or not content.strip():
        raise LanguageModelError("bad_response", "The language model's answer was empty.")
    return content, finish_reason if isinstance(finish_reason, str) else None


def _usage(completion: ChatCompletion) -> TokenUsage:
    usage = getattr(completion, "usage", None)
    prompt = _count(getattr(usage, "prompt_tokens", 0))
    answer = _count(getattr(usage, "completion_tokens", 0))
    total = _count(getattr(usage, "total_tokens", 0)) or prompt + answer
    return TokenUsage(prompt_tokens=prompt, completion_tokens=answer, total_tokens=total)


def _host(url: str) -> str:
    # Host and port only: a base URL may carry credentials in its user-info part.
    parts = urlsplit(url)
    if not parts.hostname:
        return "the configured base URL"
    return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname


def _count(value: object) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


def _model_name(completion: ChatCompletion, requested: str) -> str:
    model = getattr(completion, "model", None)
    return model if isinstance(model, str) and model else requested
