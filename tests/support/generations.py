"""Generation events written the way the generation worker writes them.

The pipeline (issue 12) is built in parallel, so the live-update tests append
its events themselves: the types and data of the shared spec
(notes/generation-events.md), stream type ``generation``, metadata ``user_id``
= the owner, appended to the store and then announced by the ``UpdatePublisher``,
exactly what ``Repository.save`` does after every append.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import jobwise.domain.generation  # noqa: F401  (registers the generation events)
from jobwise.adapters.eventstore import AppendResult, EventStore
from jobwise.adapters.pubsub.publisher import UpdatePublisher
from jobwise.domain.events import DomainEvent, EventMetadata, NewEvent
from jobwise.domain.generation_updates import STAGES

UPDATES_PER_GENERATION = 2 + 2 * len(STAGES)
"""GenerationRequested, a start and an end per stage, GenerationCompleted."""


def full_plan(generation_id: str, user_id: str) -> list[tuple[str, dict[str, Any]]]:
    """Every event of a generation that completes, in order, with ``seq`` on the updates."""
    plan: list[tuple[str, dict[str, Any]]] = [
        (
            "GenerationRequested",
            {
                "generation_id": generation_id,
                "user_id": user_id,
                "profile_id": str(uuid.uuid4()),
                "profile_version": 3,
                "job_id": str(uuid.uuid4()),
                "document_type": "resume",
                "options": {
                    "template": "modern",
                    "tone": "professional",
                    "max_pages": 2,
                    "emphasis_keywords": ["Python"],
                    "include_sections": ["experience", "skills"],
                },
                "parent_id": None,
            },
        )
    ]
    for stage in STAGES:
        plan.append(("StageStarted", {"stage": stage, "attempt": 1, "worker_id": "worker-1"}))
        plan.append(
            ("StageCompleted", {"stage": stage, "duration_ms": 120, "summary": {"ok": True}})
        )
    document_id = str(uuid.uuid4())
    plan.append(
        (
            "DocumentProduced",
            {
                "document_id": document_id,
                "markdown_chars": 2400,
                "text_chars": 2300,
                "html_chars": 5100,
                "word_count": 380,
                "pdf_size_bytes": 41_000,
                "pdf_page_count": 2,
                "pdf_parse_passed": True,
            },
        )
    )
    plan.append(
        (
            "GenerationCompleted",
            {
                "document_id": document_id,
                "match_score": 0.82,
                "ats_score": 0.9,
            },
        )
    )
    return _numbered(plan)


def _numbered(plan: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    """Number the updates, and check each event against its class: a script that the
    domain's events have outgrown fails here, not later inside a projection."""
    seq = 0
    numbered = []
    for kind, data in plan:
        if kind != "DocumentProduced":
            seq += 1
            data = {**data, "seq": seq}
        DomainEvent.registry[kind].model_validate(data)
        numbered.append((kind, data))
    return numbered


@dataclass
class Generation:
    """One generation being written, a few events at a time."""

    store: EventStore
    publisher: UpdatePublisher | None
    user_id: str
    generation_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    version: int = 0
    plan: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.plan:
            self.plan = full_plan(self.generation_id, self.user_id)

    @property
    def done(self) -> bool:
        return self.version >= len(self.plan)

    async def append(self, count: int = 1, *, announce: bool = True) -> AppendResult:
        """Append the next ``count`` events; announce them unless told not to (a lost doorbell)."""
        chosen = self.plan[self.version : self.version + count]
        result = await self.store.append(
            self.generation_id,
            [NewEvent(type=kind, data=data) for kind, data in chosen],
            self.version,
            stream_type="generation",
            metadata=EventMetadata(user_id=self.user_id, correlation_id=self.generation_id),
        )
        self.version = result.version
        if announce and self.publisher is not None:
            await self.publisher.appended("generation", result)
        return result

    async def run(self, step: int = 1) -> None:
        while not self.done:
            await self.append(step)

    def seqs(self) -> Sequence[int]:
        return [data["seq"] for _kind, data in self.plan if "seq" in data]
