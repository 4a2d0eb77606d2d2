"""Reading a posting for a job: the deterministic parse, and an optional LLM second opinion.

The parse is pure CPU and runs in a worker thread, so a 50,000-character paste
never stalls the event loop. The LLM is asked only when the user opted in, a
model is configured, the parse left key fields unresolved, and the user's
hourly allowance is not spent; on any failure the deterministic parse stands.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from jobwise.adapters.ratelimit import RateLimiter, RateLimiterUnavailable
from jobwise.domain.language_model import LanguageModel, LanguageModelError
from jobwise.domain.postings.keywords import classify_skills
from jobwise.domain.postings.llm_extraction import extract_with_llm
from jobwise.domain.postings.models import ParsedPosting
from jobwise.domain.postings.parser import parse_posting
from jobwise.domain.skills import SkillTaxonomy
from jobwise.domain.skills.taxonomy import default_taxonomy

if TYPE_CHECKING:
    from jobwise.adapters.offloop import OffLoop

log = logging.getLogger(__name__)
Method = Literal["rules", "llm", "fields"]
LlmOutcome = Literal["used", "not_needed", "not_configured", "rate_limited", "failed"]
LLM_WINDOW_SECONDS = 3600.0


@dataclass(frozen=True)
class PostingReading:
    method: Method
    fields: dict[str, Any]
    """The parser's fields, JSON-ready (none when only keywords were read)."""
    parsed_keywords: dict[str, list[str]]
    unresolved: list[str]
    llm: LlmOutcome | None = None


class PostingReader:
    def __init__(
        self,
        taxonomy: SkillTaxonomy,
        language_model: LanguageModel | None = None,
        limiter: RateLimiter | None = None,
        llm_parses_per_hour: int = 20,
        offloop: OffLoop | None = None,
    ) -> None:
        self._taxonomy = taxonomy
        self._offloop = offloop
        self._model = language_model
        self._limiter = limiter
        self._llm_per_hour = llm_parses_per_hour

    @property
    def taxonomy(self) -> SkillTaxonomy:
        return self._taxonomy

    async def read_text(self, raw_text: str, *, user_id: str, use_llm: bool) -> PostingReading:
        parsed = await self._parse(raw_text)
        outcome: LlmOutcome | None = None
        if use_llm:
            parsed, outcome = await self._second_opinion(parsed, raw_text, user_id)
        method: Method = "llm" if outcome == "used" else "rules"
        return _reading(method, parsed, outcome)

    async def _parse(self, raw_text: str) -> ParsedPosting:
        # Up to half a second of pure Python on the largest paste: in a worker process
        # within the request's budget when there is one (the shipped taxonomy is loaded
        # there by name; another one would have to travel), else on a thread.
        if self._offloop is not None and self._taxonomy is default_taxonomy():
            return await self._offloop.run(parse_posting, raw_text)
        return await asyncio.to_thread(parse_posting, raw_text, self._taxonomy)

    def keywords_for(
        self, fields: Mapping[str, Any], raw_text: str | None = None
    ) -> dict[str, list[str]]:
        """Keywords from a job's own sections: required from its requirements, preferred
        from its nice-to-haves, and every skill named anywhere (the paste included)."""
        everything = [
            str(fields.get("title") or ""),
            raw_text or str(fields.get("description") or ""),
            *_lines(fields.get("responsibilities")),
        ]
        keywords = classify_skills(
            self._taxonomy,
            required_items=_lines(fields.get("requirements")),
            preferred_items=_lines(fields.get("nice_to_have")),
            everything="\n".join(everything),
        )
        return keywords.model_dump()

    async def _second_opinion(
        self, parsed: ParsedPosting, raw_text: str, user_id: str
    ) -> tuple[ParsedPosting, LlmOutcome]:
        if self._model is None:
            return parsed, "not_configured"
        if not parsed.unresolved():
            return parsed, "not_needed"
        if not await self._allowed(user_id):
            return parsed, "rate_limited"
        try:
            improved = await extract_with_llm(self._model, raw_text, parsed, self._taxonomy)
        except LanguageModelError as error:
            log.warning("LLM posting extraction failed (%s): %s", error.kind, error.message)
            return parsed, "failed"
        return improved, "used"

    async def _allowed(self, user_id: str) -> bool:
        if self._limiter is None:
            return True
        try:
            decision = await self._limiter.hit(
                f"llm-parse:{user_id}", self._llm_per_hour, LLM_WINDOW_SECONDS
            )
        except RateLimiterUnavailable:
            return False  # fail closed: the LLM costs money, the parse is already there
        return decision.allowed


def _reading(method: Method, parsed: ParsedPosting, outcome: LlmOutcome | None) -> PostingReading:
    return PostingReading(
        method=method,
        fields=parsed.model_dump(mode="json", exclude={"parsed_keywords"}),
        parsed_keywords=parsed.parsed_keywords.model_dump(),
        unresolved=parsed.unresolved(),
        llm=outcome,
    )


def _lines(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)] if value else []
