"""Reading jobs: one by id, or a filtered, searched, paged list of the caller's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from pymongo.asynchronous.database import AsyncDatabase

from jobwise.skills import SkillTaxonomy
from projections.jobs import JOB_SEARCH, JOBS

Document = dict[str, Any]
MAX_TERMS = 8
_PHRASE = re.compile(r'"([^"]+)"|(\S+)')


@dataclass(frozen=True)
class JobFilter:
    status: str | None = None
    source: str | None = None
    remote: bool | None = None
    q: str | None = None
    sort: Literal["created_at", "-created_at"] = "-created_at"


async def get_job(database: AsyncDatabase[Any], user_id: str, job_id: str) -> Document | None:
    """The caller's job, or None (another user's job is as good as missing)."""
    document = await database[JOBS].find_one({"_id": job_id})
    return document if document is not None and document["user_id"] == user_id else None


async def list_jobs(
    database: AsyncDatabase[Any],
    user_id: str,
    filters: JobFilter,
    limit: int,
    offset: int,
    taxonomy: SkillTaxonomy,
) -> tuple[list[Document], int]:
    """One page of the caller's jobs, and how many match in all.

    One scan of the small search entries finds every match (the total comes
    free), then only the page's full documents are read.
    """
    matches = database[JOB_SEARCH].find(
        _search_filter(user_id, filters, taxonomy), {"_id": 1, "created_at": 1}
    )
    found = [(entry["created_at"], entry["_id"]) async for entry in matches]
    found.sort(reverse=filters.sort.startswith("-"))
    page_ids = [job_id for _, job_id in found[offset : offset + limit]]
    if not page_ids:
        return [], len(found)
    documents = {d["_id"]: d async for d in database[JOBS].find({"_id": {"$in": page_ids}})}
    return [documents[i] for i in page_ids if i in documents], len(found)


def _search_filter(user_id: str, filters: JobFilter, taxonomy: SkillTaxonomy) -> Document:
    query: Document = {"user_id": user_id}
    if filters.status is not None:
        query["status"] = filters.status
    if filters.source is not None:
        query["source"] = filters.source.strip().casefold()
    if filters.remote is not None:
        query["remote"] = filters.remote
    conditions = search_conditions(filters.q or "", taxonomy)
    if conditions:
        query["$and"] = conditions
    return query


def search_conditions(q: str, taxonomy: SkillTaxonomy) -> list[Document]:
    """One condition per term; every term must match (a quoted phrase is one term).

    A term that names a skill matches jobs that ask for that skill, by any of its
    names: ``k8s`` finds Kubernetes jobs, ``golang`` and ``Go`` find Go jobs, and
    never a job that merely says "good" or "go-to". Any other term matches
    anywhere in the title, company, location, description or requirements
    ("engin" finds engineer).
    """
    whole = taxonomy.canonical(q)
    terms = [q.strip()] if whole else _terms(q)
    return [_condition(term, taxonomy) for term in terms[:MAX_TERMS] if term]


def _terms(q: str) -> list[str]:
    return [" ".join((phrase or word).split()) for phrase, word in _PHRASE.findall(q)]


def _condition(term: str, taxonomy: SkillTaxonomy) -> Document:
    skill = taxonomy.canonical(term)
    if skill is not None:
        return {"skills": skill.casefold()}
    return {"text": re.compile(re.escape(term.casefold()))}
