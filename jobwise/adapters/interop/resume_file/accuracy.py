"""How much of what a person reads in a resume the draft got right: field accuracy.

``expected`` is what a person read off the rendered pages (the corpus's
``tests/data/resumes/expected/*.json``), or what JobWise itself printed (the round
trips). Every field it names counts once: each contact detail; each experience's
title, company, start and end (to the precision printed: a year, or a month); each
education's institution, degree and end; each listed skill, project, certification and
language by name. Texts match when equal ignoring case, spaces and punctuation; a
degree matches when its words are all in the draft's degree and field of study.
Items are paired by their best match, so one missed entry costs its own fields only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

_ENTRY_FIELDS = {
    "experiences": ("title", "company", "start_date", "end_date"),
    "education": ("institution", "degree", "start_date", "end_date"),
    "projects": ("name",),
}


@dataclass
class Score:
    matched: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.matched / self.total if self.total else 1.0

    def count(self, path: str, ok: bool, expected: object, got: object) -> None:
        self.total += 1
        if ok:
            self.matched += 1
        else:
            self.misses.append(f"{path}: expected {expected!r}, got {got!r}")

    def add(self, other: Score) -> None:
        self.matched += other.matched
        self.total += other.total
        self.misses.extend(other.misses)


def score(draft: dict[str, Any], expected: dict[str, Any]) -> Score:
    result = Score()
    info = draft.get("personal_info") or {}
    for name, value in (expected.get("personal_info") or {}).items():
        got = info.get(name)
        result.count(f"personal_info.{name}", _same_contact(name, value, got), value, got)
    for component, names in _ENTRY_FIELDS.items():
        wanted = expected.get(component) or []
        found = list(draft.get(component) or [])
        for index, item in enumerate(wanted):
            match = _best(item, found, names)
            if match is not None:
                found.remove(match)
            for name in names:
                if name in item:
                    got = (match or {}).get(name)
                    ok = _same_field(name, item[name], match or {})
                    result.count(f"{component}.{index}.{name}", ok, item[name], got)
    skills = draft.get("skills") or {}
    listed = {_plain(name) for name in [*skills.get("technical", []), *skills.get("soft", [])]}
    for name in expected.get("skills") or []:
        result.count("skills", _plain(name) in listed, name, None)
    for group in ("certifications", "languages"):
        held = {_plain(item.get("name", "")) for item in skills.get(group, [])}
        for item in expected.get(group) or []:
            result.count(group, _plain(item["name"]) in held, item["name"], None)
    return result


def _best(
    item: dict[str, Any], found: list[dict[str, Any]], names: tuple[str, ...]
) -> dict[str, Any] | None:
    scored = [
        (sum(_same_field(name, item[name], candidate) for name in names if name in item), candidate)
        for candidate in found
    ]
    scored = [pair for pair in scored if pair[0] > 0]
    return max(scored, key=lambda pair: pair[0])[1] if scored else None


def _same_field(name: str, wanted: Any, item: dict[str, Any]) -> bool:
    if name in ("start_date", "end_date"):
        return _same_date(name, wanted, item)
    if name == "degree":
        words = set(_plain(wanted).split()) - {"in", "of"}
        have = set(_plain(f"{item.get('degree') or ''} {item.get('field_of_study') or ''}").split())
        return bool(words) and words <= have
    return _plain(str(wanted)) == _plain(str(item.get(name) or ""))


def _same_date(name: str, wanted: str | None, item: dict[str, Any]) -> bool:
    got = item.get(name)
    if wanted is None:  # "Present"
        return got is None and (name != "end_date" or item.get("is_current", True) is not False)
    return isinstance(got, str) and got.startswith(wanted)


def _same_contact(name: str, wanted: str, got: str | None) -> bool:
    if got is None:
        return False
    if name == "phone":
        return re.sub(r"\D", "", wanted) == re.sub(r"\D", "", got)
    if name in ("linkedin", "github", "website"):
        return _link(wanted) == _link(got)
    return _plain(wanted) == _plain(got)


def _link(url: str) -> str:
    url = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip().lower())
    return url.rstrip("/")


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[^\w\s+#]", " ", text)
    return " ".join(text.split())
