"""A draft cut to what ``POST /api/v1/profiles`` takes, nothing lost on the way.

A profile holds at most ``ITEMS_MAX`` items of a kind, names of ``NAME_MAX`` characters
and a summary of ``DESCRIPTION_MAX``; a resume can hold more (a 150-tool skills line, a
skills paragraph read as one item). What does not fit goes to the draft's kept-aside
text (``custom_fields.resume_file``) with a note, so the person sees it and chooses;
the kept-aside text is itself cut to what ``custom_fields`` may hold, and that cut is
noted too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from jobwise.domain.profile import CUSTOM_FIELDS_MAX_BYTES, json_size
from jobwise.domain.profile_items import DESCRIPTION_MAX, ITEMS_MAX, LIST_ITEM_MAX, NAME_MAX

T = TypeVar("T")

STASH_KEY = "resume_file"
KEPT_IN = f"custom_fields.{STASH_KEY}"
"""Where a draft keeps the text the profile has no place for."""

Aside = Callable[[str, list[str]], None]
"""Keeps lines aside under a title (the draft's ``aside``)."""


def fit_summary(summary: str | None, aside: Aside, notes: list[str]) -> str | None:
    if summary is None:
        return None
    return _fit_text(summary, "professional_summary", aside, notes)


def _word_end(text: str, limit: int) -> int:
    """Where to cut ``text`` to at most ``limit`` characters: after a whole sentence, or
    else a whole word, when one ends in the last tenth; else at the limit itself."""
    floor = int(limit * 0.9)
    sentence = max(text.rfind(". ", floor, limit), text.rfind("\n", floor, limit))
    if sentence >= 0:
        return sentence + 1
    space = text.rfind(" ", floor, limit + 1)
    return space if space >= 0 else limit


def fit_names(names: list[str], path: str, aside: Aside, notes: list[str]) -> list[str]:
    """``names`` (skills) each at most ``NAME_MAX`` characters; the others kept aside
    (how many there may be is ``fit_skill_total``'s)."""
    return _fit_lengths(
        names, NAME_MAX, path, aside, notes, hint="; split them into the skills they list"
    )


def _fit_lengths(
    texts: list[str], limit: int, path: str, aside: Aside, notes: list[str], hint: str = ""
) -> list[str]:
    """``texts`` each at most ``limit`` characters; the longer ones kept aside."""
    long = [text for text in texts if len(text) > limit]
    if long:
        aside(f"{path}, too long for one item", long)
        notes.append(
            f"{path}: {len(long)} item(s) longer than {limit:,} characters are kept in "
            f"{KEPT_IN}{hint}."
        )
    return [text for text in texts if len(text) <= limit]


def fit_count(
    items: list[T], path: str, aside: Aside, notes: list[str], text_of: Callable[[T], str]
) -> list[T]:
    if len(items) <= ITEMS_MAX:
        return items
    aside(f"{path}, past the profile's {ITEMS_MAX}", [text_of(item) for item in items[ITEMS_MAX:]])
    notes.append(
        f"{path}: {len(items):,} items, more than a profile's {ITEMS_MAX}; the last "
        f"{len(items) - ITEMS_MAX:,} are kept in {KEPT_IN}."
    )
    return items[:ITEMS_MAX]


def item_text(item: dict[str, Any]) -> str:
    """An entry's values on one line, for keeping it aside."""
    parts: list[str] = []
    for value in item.values():
        if isinstance(value, list):
            parts.extend(str(inner) for inner in value)
        elif value is not None:
            parts.append(str(value))
    return " · ".join(parts)


def fit_kept_aside(custom_fields: dict[str, Any], notes: list[str]) -> None:
    """The kept-aside sections' lines cut, from the last, to what ``custom_fields`` may
    hold (the file's text as read stays in the draft's ``lines``)."""
    if json_size(custom_fields) <= CUSTOM_FIELDS_MAX_BYTES:
        return
    budget = CUSTOM_FIELDS_MAX_BYTES - json_size(custom_fields | {STASH_KEY: {"sections": []}})
    dropped = 0
    kept_sections: list[dict[str, Any]] = []
    for section in custom_fields[STASH_KEY]["sections"]:
        budget -= json_size({"title": section["title"], "lines": []}) + 1
        kept: list[str] = []
        for line in section["lines"]:
            size = json_size(line) + 1
            if budget - size < 0:
                dropped += 1
                continue
            budget -= size
            kept.append(line)
        if kept:
            kept_sections.append({"title": section["title"], "lines": kept})
    custom_fields[STASH_KEY]["sections"] = kept_sections
    notes.append(
        f"The kept-aside text is more than custom_fields holds ({CUSTOM_FIELDS_MAX_BYTES // 1024}"
        f" KiB): {dropped:,} of its lines were not kept; read them in the file."
    )


def fit_entry(item: dict[str, Any], path: str, aside: Aside, notes: list[str]) -> dict[str, Any]:
    """An experience, education or project with its description and lists cut to what
    the profile holds (a role with 150 bullets keeps 100; the rest kept aside)."""
    fitted = dict(item)
    for name, value in item.items():
        if name == "description" and isinstance(value, str):
            fitted[name] = _fit_text(value, f"{path}.{name}", aside, notes)
        elif isinstance(value, list) and all(isinstance(inner, str) for inner in value):
            short = _fit_lengths(value, LIST_ITEM_MAX, f"{path}.{name}", aside, notes)
            fitted[name] = fit_count(short, f"{path}.{name}", aside, notes, str)
    return fitted


def _fit_text(text: str, path: str, aside: Aside, notes: list[str]) -> str:
    if len(text) <= DESCRIPTION_MAX:
        return text
    cut = _word_end(text, DESCRIPTION_MAX)
    aside(f"{path}, past the profile's limit", text[cut:].strip().splitlines())
    notes.append(
        f"{path}: {len(text):,} characters, more than a profile's {DESCRIPTION_MAX:,}; "
        f"the rest is kept in {KEPT_IN}."
    )
    return text[:cut].rstrip()


SKILL_GROUPS_KEPT_FIRST = ("languages", "certifications", "soft", "technical")
"""A profile holds at most ``ITEMS_MAX`` skills of all groups together: when a file lists
more, the few structured ones go first and the long list of tools gives way."""


def fit_skill_total(skills: dict[str, Any], aside: Aside, notes: list[str]) -> None:
    room = ITEMS_MAX
    for group in SKILL_GROUPS_KEPT_FIRST:
        items = skills.get(group) or []
        if len(items) > room:
            rest = items[room:]
            aside(f"skills.{group}, past the profile's {ITEMS_MAX} skills", [
                item if isinstance(item, str) else item_text(item) for item in rest
            ])  # fmt: skip
            notes.append(
                f"skills.{group}: a profile holds {ITEMS_MAX} skills in all; the last "
                f"{len(rest):,} of this group are kept in {KEPT_IN}."
            )
            skills[group] = items[:room]
        room -= len(skills.get(group) or [])
