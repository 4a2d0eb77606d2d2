"""Sections that are lists: skills, languages, certifications; and the summary's prose."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jobwise.adapters.interop.resume_file.dates import find_range
from jobwise.adapters.interop.resume_file.lines import COLUMN_GAP, FULL_WIDTH, TextLine
from jobwise.adapters.interop.resume_file.words import (
    PROFICIENCY,
    is_human_language,
    split_list,
)

_LABEL = re.compile(r"^\s*([^:：\t]{1,40}?)\s*[:：]\s+(.+)$")
_PROFICIENCY_WORDS = "|".join(
    sorted((re.escape(word) for word in PROFICIENCY), key=len, reverse=True)
)
_LANGUAGE_LEVEL = re.compile(
    r"^(?P<name>[^\W\d_][\w\s]*?)\s*(?:[(（]\s*(?P<paren>[^)）]+)[)）]|[:–—-]\s*(?P<dash>.+))?$"
)


@dataclass
class Listed:
    technical: list[str] = field(default_factory=list)
    soft: list[str] = field(default_factory=list)
    languages: list[dict[str, str | None]] = field(default_factory=list)
    certifications: list[dict[str, str | None]] = field(default_factory=list)
    confidence: dict[str, float] = field(default_factory=dict)


def logical_lines(lines: list[TextLine], widest: float = 0.0) -> list[str]:
    """Lines with a wrapped list joined back: a line goes on after a comma, or after a
    labelled line ("Technical: ...") that reached the right margin."""
    joined: list[str] = []
    previous: TextLine | None = None
    for line in lines:
        text = line.text.strip()
        wrapped = (
            previous is not None
            and widest > 0
            and previous.right >= FULL_WIDTH * widest
            and _LABEL.match(joined[-1]) is not None
            and _LABEL.match(text) is None
        )
        if joined and not line.marked and joined[-1].endswith("-") and previous and previous.right:
            joined[-1] = joined[-1][:-1] + text  # "Software Develop-" "ment, Consulting"
        elif joined and not line.marked and (joined[-1].endswith((",", "，", "、")) or wrapped):
            joined[-1] = f"{joined[-1]} {text}"
        else:
            joined.append(text)
        previous = line
    return joined


_LEVEL_IN = re.compile(
    r"^(?:(?:proficient|fluent|experienced|skilled|familiar|competent|native|conversational)"
    r"\s+(?:in|with)|knowledge\s+of|and|or|&)\s+",
    re.IGNORECASE,
)


def read_skills(lines: list[TextLine], listed: Listed, widest: float = 0.0) -> None:
    for text in logical_lines(lines, widest):
        label, items = _labelled(text)
        # "Proficient in Windows, Word, and Excel": a sentence's list, the skills without
        # its words around them (a skill of its own, "Familiar with X", stays whole).
        if len(items) >= 2:
            items[0] = _LEVEL_IN.sub("", items[0]) or items[0]
            items[-1] = re.sub(r"^(?:and|or|&)\s+", "", items[-1]) or items[-1]
        kind = (label or "").lower()
        if "soft" in kind or "interpersonal" in kind:
            listed.soft.extend(items)
            listed.confidence["skills.soft"] = 0.85
        elif "certif" in kind:
            for item in items:
                listed.certifications.append(certification(item))
        elif _spoken(kind, items):
            for item in items:
                listed.languages.append(language(item))
            listed.confidence["skills.languages"] = 0.8
        else:
            listed.technical.extend(items)
            listed.confidence["skills.technical"] = 0.85 if label else 0.75


def _labelled(text: str) -> tuple[str | None, list[str]]:
    if COLUMN_GAP in text:
        label, _, rest = text.partition(COLUMN_GAP)
        if len(label.split()) <= 4 and rest.strip():
            return label.strip(" :："), split_list(rest.replace(COLUMN_GAP, ", "))
    match = _LABEL.match(text)
    if match and len(match[1].split()) <= 4:
        return match[1], split_list(match[2])
    return None, split_list(text)


def _spoken(label: str, items: list[str]) -> bool:
    if "programming" in label or "framework" in label:
        return False
    spoken = sum(is_human_language(language(item)["name"] or "") for item in items)
    return bool(items) and spoken * 2 > len(items) and ("language" in label or spoken == len(items))


def read_languages(lines: list[TextLine], listed: Listed) -> None:
    for text in logical_lines(lines):
        name, gap, level = text.partition(COLUMN_GAP)
        level = re.sub("[\ue000-\uf8ff]", "", level).strip()  # rating dots or stars
        if gap and len(level.split()) <= 3 and "," not in name:  # "German<tab>Fluent"
            listed.languages.append(language(f"{name} ({level})" if level else name))
            continue
        _, items = _labelled(text)
        if len(items) == 1 and COLUMN_GAP not in text:
            items = [text]
        for item in items:
            listed.languages.append(language(item))
    listed.confidence["skills.languages"] = 0.85


def language(text: str) -> dict[str, str | None]:
    level_in = re.match(r"^(\w+(?: \w+)?)\s+in\s+(.+)$", text.strip())  # "Fluent in Spanish"
    if level_in and level_in[1].lower() in PROFICIENCY:
        return {"name": level_in[2], "proficiency": PROFICIENCY[level_in[1].lower()]}
    match = _LANGUAGE_LEVEL.match(text.strip())
    if not match:
        return {"name": text.strip(), "proficiency": None}
    level = (match["paren"] or match["dash"] or "").strip().lower()
    proficiency = next(
        (
            value
            for word, value in sorted(PROFICIENCY.items(), key=lambda kv: -len(kv[0]))
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", level)
        ),
        None,
    )
    return {"name": match["name"].strip(), "proficiency": proficiency}


def read_certifications(lines: list[TextLine], listed: Listed) -> None:
    for text in logical_lines(lines):
        listed.certifications.append(certification(text))
    listed.confidence["skills.certifications"] = 0.75


def certification(text: str) -> dict[str, str | None]:
    dates = find_range(text)
    obtained = None
    if dates is not None:
        when = dates.start or dates.end
        obtained = when.isoformat() if when else None
        start, end = dates.where
        text = text[:start] + text[end:]
    credential = re.search(
        r"(?:credential\s*id|license(?:\s*(?:no|number))?|id)\s*[:#]?\s*(\S+)", text, re.I
    )
    credential_id = None
    if credential:
        credential_id = credential[1]
        text = text[: credential.start()] + text[credential.end() :]
    pieces = [
        piece.strip(" ,;()")
        for piece in re.split(r"\t|\s+[|·•]\s+|\s+[—]\s+|,\s+|\s+by\s+|\s+from\s+", text)
        if piece.strip(" ,;()")
    ]
    name = pieces[0] if pieces else text.strip()
    issuer = pieces[1] if len(pieces) > 1 and len(pieces[1].split()) <= 8 else None
    return {
        "name": name,
        "issuer": issuer,
        "date_obtained": obtained,
        "credential_id": credential_id,
    }


def read_summary(lines: list[TextLine]) -> str:
    paragraphs: list[str] = []
    for line in lines:
        text = line.text.replace(COLUMN_GAP, " ").strip()
        if line.marked or not paragraphs or line.gap_before > 0.8:
            paragraphs.append(text)
        elif paragraphs[-1].endswith("-"):
            paragraphs[-1] = paragraphs[-1][:-1] + text
        else:
            paragraphs[-1] = f"{paragraphs[-1]} {text}"
    return "\n".join(paragraphs)
