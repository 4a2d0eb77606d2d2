"""The language-model port: what the domain may ask of an LLM, and how that fails.

The domain depends on this module only, never on ``openai``: any adapter (the
OpenAI-compatible one, or a test double) is a ``LanguageModel``. With no model
configured there is no ``LanguageModel`` at all and callers use their
deterministic fallback.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict

ErrorKind = Literal["timeout", "rate_limited", "unavailable", "bad_response", "refused", "auth"]


class TokenUsage(BaseModel):
    model_config = ConfigDict(frozen=True)

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


class JsonCompletion(BaseModel):
    """A JSON object the model produced; the caller validates it against its own schema."""

    model_config = ConfigDict(frozen=True)

    data: dict[str, Any]
    usage: TokenUsage
    model: str


class TextCompletion(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    usage: TokenUsage
    model: str
    finish_reason: str | None
    """``"length"`` means the text was cut at ``max_tokens``."""


class LanguageModelError(Exception):
    """The model could not give a usable answer; ``kind`` says why.

    ``timeout``, ``rate_limited`` and ``unavailable`` are worth retrying later;
    ``auth`` is a configuration problem; ``refused`` means the provider would
    not take this request; ``bad_response`` means it answered with something
    unusable. The message is meant for humans and never contains the API key.
    """

    TRANSIENT: frozenset[ErrorKind] = frozenset({"timeout", "rate_limited", "unavailable"})

    def __init__(self, kind: ErrorKind, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.message = message
        self.status = status
        """The provider's HTTP status, when there was one."""

    @property
    def transient(self) -> bool:
        return self.kind in self.TRANSIENT

    def __repr__(self) -> str:
        return f"LanguageModelError(kind={self.kind!r}, message={self.message!r})"


class LanguageModel(Protocol):
    """An LLM behind a chat-style API.

    Both calls raise ``LanguageModelError`` on any failure, never a
    provider-specific exception.
    """

    model: str

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
        """Ask for a JSON object shaped like ``schema`` (a JSON Schema).

        The answer is guaranteed to be a JSON object, not to match the schema:
        validate ``data`` yourself.
        """
        ...

    async def complete_text(
        self,
        *,
        system: str,
        user: str,
        max_tokens: int = 2000,
        temperature: float = 0.4,
    ) -> TextCompletion: ...

    async def aclose(self) -> None:
        """Release connections; the model is unusable afterwards."""
        ...
