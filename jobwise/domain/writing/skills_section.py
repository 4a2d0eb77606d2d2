"""The resume's skills lines: each skill once, each in its own group.

A skill is the same skill whatever its case or synonym ("Postgres", "postgresql"):
the taxonomy's canonical name is its key. Soft skills (the taxonomy's ``soft``
category: Mentoring, Communication) go under Soft skills even when the user listed
them as technical; spoken languages go under Languages. A list entry that joins
several skills ("SCSS / CSS / BEM") keeps only the parts not already shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jobwise.domain.skills import SkillTaxonomy, default_taxonomy
from jobwise.domain.writing.markdown import one_line
from jobwise.domain.writing.models import CompiledProfile

SPOKEN_LANGUAGES = frozenset(
    {
        "english", "spanish", "french", "german", "italian", "portuguese", "dutch", "polish",
        "russian", "ukrainian", "arabic", "hebrew", "turkish", "greek", "swedish", "norwegian",
        "danish", "finnish", "czech", "hungarian", "romanian", "hindi", "urdu", "bengali",
        "punjabi", "tamil", "telugu", "mandarin", "cantonese", "chinese", "japanese", "korean",
        "vietnamese", "thai", "indonesian", "malay", "tagalog", "filipino", "swahili", "persian",
        "farsi", "irish", "welsh", "catalan",
    }
)  # fmt: skip
"""Names a user may list among technical skills that are spoken languages."""
_PARTS = re.compile(r"\s*[/,;|]\s*")


@dataclass
class _Groups:
    taxonomy: SkillTaxonomy
    technical: list[str] = field(default_factory=list)
    soft: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def key(self, name: str) -> str:
        bare = re.sub(r"\s*\(.*\)$", "", name).strip()  # "English (native)" -> "English"
        return (self.taxonomy.canonical(bare) or bare).casefold()

    def add(self, name: str, group: list[str]) -> None:
        shown = one_line(name)
        if shown and self.key(shown) not in self.seen:
            self.seen.add(self.key(shown))
            group.append(shown)

    def add_technical(self, name: str) -> None:
        """A technical entry, moved to its right group; a composite one trimmed."""
        parts = [part for part in _PARTS.split(name) if part]
        if len(parts) > 1:
            left = [p for p in parts if self.key(p) not in self.seen]
            if len(left) < len(parts):
                # Keep the rest only while it still names a skill the guard can check.
                if any(self.taxonomy.canonical(p) for p in left):
                    self.add(" / ".join(left), self.technical)
                return
        self.add(name, self._group_of(name))

    def _group_of(self, name: str) -> list[str]:
        if self.taxonomy.category_of(name) == "soft":
            return self.soft
        if self.key(name) in SPOKEN_LANGUAGES:
            return self.languages
        return self.technical


def skill_groups(compiled: CompiledProfile) -> tuple[list[str], list[str], list[str]]:
    """(technical, soft, languages), each skill once across all three."""
    groups = _Groups(default_taxonomy())
    for language in compiled.languages:
        groups.add(language, groups.languages)
    for name in compiled.soft_skills:
        groups.add(name, groups.soft)
    for skill in compiled.skills:
        groups.add_technical(skill.shown_as)
    return groups.technical, groups.soft, groups.languages


def skills_block(compiled: CompiledProfile) -> str:
    technical, soft, languages = skill_groups(compiled)
    lines = []
    if technical:
        lines.append("**Technical:** " + ", ".join(technical))
    if soft:
        lines.append("**Soft skills:** " + ", ".join(soft))
    if languages:
        lines.append("**Languages:** " + ", ".join(languages))
    return "\n".join(lines)
