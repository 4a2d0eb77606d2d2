"""The language model: a port (``LanguageModel``) and its OpenAI-compatible adapter.

Domain code depends on the port only. ``create_language_model(settings)`` gives
the adapter when ``OPENAI_API_KEY`` is set (``OPENAI_BASE_URL`` points it at any
OpenAI-compatible server, ``OPENAI_MODEL`` picks the model) and None otherwise,
in which case callers use deterministic code instead.
"""

from jobwise.adapters.llm.factory import create_language_model
from jobwise.adapters.llm.openai_model import OpenAILanguageModel, parse_json_object
from jobwise.domain.language_model import (
    ErrorKind,
    JsonCompletion,
    LanguageModel,
    LanguageModelError,
    TextCompletion,
    TokenUsage,
)

__all__ = [
    "ErrorKind",
    "JsonCompletion",
    "LanguageModel",
    "LanguageModelError",
    "OpenAILanguageModel",
    "TextCompletion",
    "TokenUsage",
    "create_language_model",
    "parse_json_object",
]
