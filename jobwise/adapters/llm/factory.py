"""The language model the settings ask for, or none."""

from __future__ import annotations

from jobwise.adapters.llm.openai_model import OpenAILanguageModel
from jobwise.domain.language_model import LanguageModel
from jobwise.settings import Settings


def create_language_model(settings: Settings) -> LanguageModel | None:
    """The OpenAI-compatible model for ``settings``, or None when no API key is set.

    None is a normal configuration: callers then use their deterministic
    fallback. Nothing connects here; the first completion does.
    """
    if settings.openai_api_key is None:
        return None
    api_key = settings.openai_api_key.get_secret_value().strip()
    if not api_key:
        return None
    return OpenAILanguageModel(
        api_key=api_key, model=settings.openai_model, base_url=settings.openai_base_url
    )
