"""Reading jobs: one by id, or a filtered, searched, paged list of the caller's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from pymongo.asynchronous.database import AsyncDatabase

from jobwise.application.queries.job_search import JobSearchCache, SearchEntry
from jobwise.domain.job import upcast_fields
from jobwise.domain.skills import SkillTaxonomy
from jobwise.projections.jobs import JOBS

Document = dict[str, Any]
MAX_TERMS = 8
MIN_TEXT_SKILL_WORD = 3
_PHRASE = re.compile(r'"([^"]+)"|(\S+)')


@dataclass(frozen=True)
class JobFilter:
    status: str | None = None
    source: str | None = None
    remote: bool | None = None
    q: str | None = None
    sort: Literal["created_at", "-created_at"] = "-created_at"
    work_arrangement: str | None = None


async def get_job(database: AsyncDatabase[Any], user_id: str, job_id: str) -> Document | None:
    """The caller's job, or None (another user's job is as good as missing)."""
    document = await database[JOBS].find_one({"_id": job_id})
    if document is None or document["user_id"] != user_id:
        return None
    return current_shape(document)


def current_shape(document: Document) -> Document:
    """A job document in today's shape, whatever projection version wrote it: until the
    rebuild after an upgrade has run, a view may still hold benefits as one string and no
    work_arrangement (see ``jobwise.domain.job.upcast_fields``)."""
    if isinstance(document.get("benefits"), list) and "work_arrangement" in document:
        return document
    shaped = upcast_fields(document)
    if shaped.get("benefits") is None:
        shaped["benefits"] = []
    return shaped


async def list_jobs(
    database: AsyncDatabase[Any],
    user_id: str,
    filters: JobFilter,
    limit: int,
    offset: int,
    taxonomy: SkillTaxonomy,
    search: JobSearchCache,
) -> tuple[list[Document], int]:
    """One page of the caller's jobs, and how many match in all.

    Filters and search run over the user's search entries (from ``search``, in
    memory while fresh); only the page's full documents are read.
    """
    terms = search_conditions(filters.q or "", taxonomy)
    entries = await search.entries(database, user_id)
    found = [e for e in entries if _wanted(e, filters) and all(t.matches(e) for t in terms)]
    found.sort(key=lambda e: (e.created_at, e.job_id), reverse=filters.sort.startswith("-"))
    page_ids = [entry.job_id for entry in found[offset : offset + limit]]
    if not page_ids:
        return [], len(found)
    documents = {d["_id"]: d async for d in database[JOBS].find({"_id": {"$in": page_ids}})}
    return [current_shape(documents[i]) for i in page_ids if i in documents], len(found)


def _wanted(entry: SearchEntry, filters: JobFilter) -> bool:
    return (
        (filters.status is None or entry.status == filters.status)
        and (filters.source is None or entry.source == filters.source.strip().casefold())
        and (filters.remote is None or entry.remote == filters.remote)
        and (filters.work_arrangement is None or entry.work_arrangement == filters.work_arrangement)
    )


@dataclass(frozen=True)
class Term:
    """One search word: text to find anywhere, or a skill to find by any of its names."""

    text: str
    skill: str | None = None
    whole_word: re.Pattern[str] | None = None
    """For a skill word of 3+ letters: the word itself, whole, anywhere in the text."""

    def matches(self, entry: SearchEntry) -> bool:
        if self.skill is None:
            return self.text in entry.text
        if self.skill in entry.skills:
            return True
        if self.whole_word is None or self.text not in entry.text:
            return False  # the substring test is cheap; the regex only confirms a hit
        return self.whole_word.search(entry.text) is not None


def search_conditions(q: str, taxonomy: SkillTaxonomy) -> list[Term]:
    """One term per word; every term must match (a quoted phrase is one word).

    A word that names a skill matches jobs that ask for that skill, by any of its
    names (``k8s`` finds Kubernetes jobs, ``golang`` and ``Go`` find Go jobs, and
    never a job that merely says "good" or "go-to"), and also, as a whole word,
    the text of jobs that name it otherwise ("Oracle" the employer). Any other
    word matches anywhere in the text, case aside ("engin" finds engineer).
    """
    whole = taxonomy.canonical(q)
    words = [q.strip()] if whole else search_terms(q)
    return [_term(word, taxonomy) for word in words if word]


def search_terms(q: str) -> list[str]:
    """The words of a query, a quoted phrase counting as one."""
    return [" ".join((phrase or word).split()) for phrase, word in _PHRASE.findall(q)]


def _term(word: str, taxonomy: SkillTaxonomy) -> Term:
    folded = word.casefold()
    skill = taxonomy.skill(word)
    if skill is None:
        return Term(folded)
    # The text is lower-cased, so "Go" the language and "go" the verb look alike there:
    # a name that short is trusted only in the skills the parser read with case in view.
    whole_word = None
    if len(folded) >= MIN_TEXT_SKILL_WORD:
        whole_word = re.compile(rf"(?<![\w-]){re.escape(folded)}(?![\w-])")
    return Term(folded, skill=skill.name.casefold(), whole_word=whole_word)
