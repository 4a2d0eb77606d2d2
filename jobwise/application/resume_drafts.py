"""Reading a resume file into a draft: the deterministic reader, then, when the user asks
and a model is configured, the language model's reading under the file's guard.

The LLM costs money: it is asked at most ``llm_parses_per_hour`` times per user an
hour (the posting reader's allowance, counted apart), and any failure leaves the
deterministic draft, with ``llm`` saying what happened.
"""

from __future__ import annotations

import logging
from typing import Literal

from jobwise.adapters.interop.resume_file.reader import ResumeDraft
from jobwise.adapters.interop.resume_file.review import reviewed
from jobwise.adapters.interop.resume_file.sandbox import ResumeFileReader
from jobwise.adapters.ratelimit import RateLimiter, RateLimiterUnavailable
from jobwise.domain.language_model import LanguageModel, LanguageModelError

log = logging.getLogger(__name__)
LLM_WINDOW_SECONDS = 3600.0


class ResumeDrafts:
    def __init__(
        self,
        files: ResumeFileReader,
        language_model: LanguageModel | None = None,
        limiter: RateLimiter | None = None,
        llm_reads_per_hour: int = 20,
    ) -> None:
        self.files = files
        self._model = language_model
        self._limiter = limiter
        self._per_hour = llm_reads_per_hour

    async def read(
        self, data: bytes, file_format: Literal["pdf", "docx"], *, user_id: str, use_llm: bool
    ) -> ResumeDraft:
        draft = await self.files.read(data, file_format)
        if not use_llm:
            return draft
        if self._model is None:
            return draft.model_copy(update={"llm": "not_configured"})
        if not await self._allowed(user_id):
            return draft.model_copy(update={"llm": "rate_limited"})
        try:
            return await reviewed(self._model, draft)
        except LanguageModelError as error:
            log.warning("LLM resume reading failed (%s): %s", error.kind, error.message)
            return draft.model_copy(update={"llm": "failed"})

    async def _allowed(self, user_id: str) -> bool:
        if self._limiter is None:
            return True
        try:
            decision = await self._limiter.hit(
                f"llm-resume:{user_id}", self._per_hour, LLM_WINDOW_SECONDS
            )
        except RateLimiterUnavailable:
            return False  # fail closed: the model costs money, the draft is already there
        return decision.allowed
