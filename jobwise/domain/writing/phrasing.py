"""Small pieces both offline documents write with: facts turned into words, never changed.

An achievement keeps its words ("Cut p99 latency by 40%" -> "I cut p99 latency by 40%");
a count of years is written out as the profile gives it; lists read as English.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from jobwise.domain.writing.markdown import join, one_line
from jobwise.domain.writing.models import CompiledProfile, RankedAchievement, RankedExperience

TIE_MIN_WORDS = 5
"""Shorter achievements ("React") are labels, not results to tell in a sentence."""

OWN_MIN_WORDS = 3
"""A shorter line that starts with a verb is still a result: "Precepted 11 new-graduate
nurses." is told as "I precepted 11 new-graduate nurses"."""

_PAST_VERBS = frozenset(
    {
        "built", "led", "ran", "cut", "wrote", "made", "grew", "drove", "set", "won", "took",
        "brought", "began", "became", "taught", "oversaw", "sold", "spoke", "kept", "met",
        "gave", "found", "held", "rebuilt", "rewrote", "undertook", "saw", "shipped", "spun",
    }
)  # fmt: skip
BASE_VERBS = frozenset(
    {
        "build", "design", "develop", "lead", "manage", "create", "implement", "maintain", "own",
        "drive", "deliver", "write", "run", "ship", "architect", "migrate", "automate", "optimize",
        "optimise", "improve", "reduce", "increase", "mentor", "establish", "launch", "deploy",
        "work", "contribute", "help", "support", "coordinate", "collaborate", "partner", "scale",
    }
)  # fmt: skip
_PRESENT_VERBS = frozenset(
    {
        "teach", "care", "administer", "supervise", "plan", "train", "coach", "oversee",
        "handle", "serve", "provide", "assess", "monitor", "prepare", "review", "present",
        "edit", "schedule", "track", "test", "analyse", "analyze", "research", "recruit",
        "onboard", "advise", "organise", "organize", "facilitate", "triage", "treat",
    }
)  # fmt: skip
"""Verbs a current role's achievement starts with ("Teach all core subjects ..."): told
as "I teach ...". Kept apart from ``BASE_VERBS``, which also tells a posting's topic
words from its verbs ("patient care" is a topic)."""
_PASSIVE = frozenset(
    {"tasked", "promoted", "hired", "selected", "awarded", "recognized", "recognised", "asked",
     "invited", "chosen", "named", "appointed", "nominated", "entrusted", "assigned"}
)  # fmt: skip
QUOTED_LEAD = "one result of my work"


def achievement_clause(text: str) -> str:
    """An achievement as the end of a first-person sentence, its words unchanged.

    "Cut p99 latency by 40%" -> "I cut p99 latency by 40%"; a line that does not
    start with a verb is quoted: 'one result of my work: "Millions of sites use it"'.
    """
    text = one_line(text).rstrip(" .;")
    first, _, rest = text.partition(" ")
    word = first.lower()
    if first in ("I", "I'm", "I’m", "I've", "I’ve"):
        return text
    if word in _PASSIVE:
        return f"I was {word} {rest}".rstrip()
    if word.endswith("ed") or word in _PAST_VERBS or word in BASE_VERBS or word in _PRESENT_VERBS:
        lowered = word if first[1:2].islower() or len(first) == 1 else first
        return f"I {lowered} {rest}".rstrip()
    return f'{QUOTED_LEAD}: "{text}"'


def is_own_words(text: str) -> bool:
    """Whether the achievement reads as something the candidate did ("Built ...")."""
    return not achievement_clause(text).startswith(QUOTED_LEAD)


def told(role: RankedExperience) -> list[RankedAchievement]:
    """What prose can tell of a role: its achievements that are sentences, and the
    sentences of its description that speak of the candidate's own work."""
    found = [
        a
        for a in role.achievements
        if len(a.text.split()) >= TIE_MIN_WORDS
        or (len(a.text.split()) >= OWN_MIN_WORDS and is_own_words(a.text))
    ]
    for sentence in re.split(r"(?<=[.!?])\s+", role.description or ""):
        first = sentence.split(" ", 1)[0]
        about_company = first.casefold() == role.company.split(" ")[0].casefold()
        words = len(sentence.split())
        fits = words > TIE_MIN_WORDS and sentence[:1].isalpha() and is_own_words(sentence)
        if fits and not about_company:
            found.append(RankedAchievement(text=sentence, score=0.0))
    return found


def years_text(years: int) -> str:
    return f"{years} year" if years == 1 else f"{years} years"


def and_list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def header(compiled: CompiledProfile) -> str:
    """The name, then one line of contact details."""
    contact = join(compiled.email, compiled.phone, compiled.location, *compiled.links)
    name = one_line(compiled.name) or "Candidate"
    return f"# {name}\n{contact}" if contact else f"# {name}"
