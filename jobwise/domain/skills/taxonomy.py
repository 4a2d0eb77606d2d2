"""The canonical skill taxonomy: one spelling per skill, and a matcher that finds skills.

Job-posting parsing, profiles and resume generation share one taxonomy, so "JS",
"javascript" and "JavaScript" are the same skill everywhere, stored as ``JavaScript``.

The data file
-------------
``data/skills.json`` ships with the package (``default_taxonomy()`` loads it once)::

    {"version": 1, "skills": [
      {"name": "Go", "category": "languages", "aliases": ["Golang"], "exact_case": ["Go"]},
      {"name": "Python", "category": "languages", "aliases": ["Python3", "py"],
       "name_only": ["py"]},
      ...
    ]}

Each skill has:

- ``name``: the canonical spelling, the one callers store and show.
- ``category``: one of ``CATEGORIES``.
- ``aliases`` (optional): other spellings of the same skill. The name and the aliases are
  the skill's *spellings*; by default a spelling matches in any case, in whole names and
  in free text alike.
- ``exact_case`` (optional): spellings, among the name and aliases, that are also
  ordinary words ("Go", "R", "Swift", "React", "Spring", "Shell", "REST"). In free text
  they match only in exactly this case and only as a standalone word: not hyphen- or
  ampersand-joined to a neighbour ("go-to", "Go-getter", "C-level", "R&D"). A whole name
  still matches them in any case, since a skills-list entry "go" can only mean Go.
- ``name_only`` (optional): spellings that only whole names match, never free text, for
  the few too ambiguous even in exact case ("py"; "Make" and "Access" start sentences).

Spellings are trimmed with single inner spaces. Loading rejects, with a message naming
the skill (``SkillTaxonomyError``): unknown keys, a blank spelling, an unknown category,
``exact_case``/``name_only`` entries that are not the skill's spellings or are in both
lists, a spelling listed twice, and a spelling (compared case-insensitively) shared by
two skills.

Matching
--------
``canonical(name)`` looks up a whole given name (one entry of a skills list): case and
runs of whitespace are ignored, punctuation is not ("node js" is not "Node.js").

``find_in(text)`` and ``mentions(text)`` scan free text. The text is split into tokens
(runs of letters, runs of digits, and every other non-space character on its own), and at
each token the longest run of tokens that spells a skill wins, so "Google Cloud Platform"
is one GCP mention and "C++" is not C. A mention must be whole: "Java" is not found in
"JavaScript", nor "JS" in "index.js" or "Python" in "python.org"; trailing punctuation and
version numbers do not block one ("Python.", "(Kubernetes)", "Python3", "C++17").
Lookups are dictionary hits on the tokens, so the cost grows with the text, not with the
size of the taxonomy.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal, NamedTuple, Self, get_args

import orjson
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

Category = Literal[
    "languages",
    "frameworks",
    "databases",
    "cloud",
    "devops",
    "data_ml",
    "testing",
    "tools",
    "methods",
    "security",
    "soft",
]
CATEGORIES: tuple[str, ...] = get_args(Category)
"""Every skill belongs to exactly one of these."""

DATA_FILE = Path(__file__).with_name("data") / "skills.json"
"""The taxonomy shipped with the package."""

_TOKEN = re.compile(r"[^\W\d_]+|\d+|\S")
"""Letters, digits, or one other non-space character: "k8s" is k|8|s, "C++17" is C|+|+|17."""

_JOINERS = frozenset("-&+#@")
"""Glued to an exact-case spelling, these make it part of another word: "Go-getter", "R&D"."""

_LETTER_CONTEXT_BEFORE = frozenset(
    {
        "series", "type", "plan", "grade", "vitamin", "class", "section", "part", "tier",
        "round", "option", "phase", "step", "model", "category", "group", "level", "appendix",
        "exhibit", "schedule", "form", "unit", "block", "building", "floor", "suite", "team",
        "size", "letter", "point",
    }
)  # fmt: skip
"""Words that make a following lone capital letter a label, not a language: "Series C"."""

_LETTER_CONTEXT_AFTER = frozenset(
    {"suite", "level", "levels", "corp", "corporation", "grade", "rating"}
)
"""Words that make a preceding lone capital letter a label: "C suite", "C level"."""


class SkillTaxonomyError(ValueError):
    """The taxonomy data is malformed or inconsistent."""


@dataclass(frozen=True)
class Skill:
    """One canonical skill and the other spellings that mean it."""

    name: str
    category: str
    aliases: tuple[str, ...] = ()
    exact_case: tuple[str, ...] = ()
    """Spellings that free text must match in exactly this case (see the module doc)."""
    name_only: tuple[str, ...] = ()
    """Spellings that only whole names match, never free text."""

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class SkillMention(NamedTuple):
    """One skill found in free text: its canonical name and the ``text[start:end]`` span."""

    name: str
    start: int
    end: int


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _name_key(name: str) -> str:
    return _collapse(name).casefold()


# -- the file schema ----------------------------------------------------------------------


def _tidy(value: str) -> str:
    if not value or value != _collapse(value):
        raise ValueError("must be non-blank, trimmed, with single inner spaces")
    return value


Spelling = Annotated[str, AfterValidator(_tidy)]


class _SkillEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Spelling
    category: Category
    aliases: tuple[Spelling, ...] = ()
    exact_case: tuple[Spelling, ...] = ()
    name_only: tuple[Spelling, ...] = ()

    @model_validator(mode="after")
    def _marks_name_own_spellings(self) -> Self:
        spellings = (self.name, *self.aliases)
        if len(set(spellings)) != len(spellings):
            raise ValueError("a spelling is listed twice")
        for field, marked in (("exact_case", self.exact_case), ("name_only", self.name_only)):
            strangers = sorted(set(marked) - set(spellings))
            if strangers:
                raise ValueError(f"{field} lists {strangers}: not the name or an alias")
        both = sorted(set(self.exact_case) & set(self.name_only))
        if both:
            raise ValueError(f"{both} are in both exact_case and name_only")
        self._check_case_variants(spellings)
        return self

    def _check_case_variants(self, spellings: tuple[str, ...]) -> None:
        # "Less" and "LESS" may both be listed, as exact-case spellings; were one of them
        # case-insensitive, it would make the other's exact case pointless.
        by_key: dict[str, list[str]] = {}
        for spelling in spellings:
            by_key.setdefault(_name_key(spelling), []).append(spelling)
        for variants in by_key.values():
            if len(variants) > 1 and not set(variants) <= set(self.exact_case):
                raise ValueError(
                    f"{variants} differ only in case: drop all but one (spellings match in "
                    "any case) or list them all in exact_case"
                )

    def to_skill(self) -> Skill:
        return Skill(self.name, self.category, self.aliases, self.exact_case, self.name_only)


class _TaxonomyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    skills: list[_SkillEntry] = Field(min_length=1)


def _describe(error: ValidationError, data: object) -> str:
    """Pydantic's errors, each located by the skill's index and name."""
    return "\n".join(f"  {_location(item['loc'], data)}: {item['msg']}" for item in error.errors())


def _location(loc: tuple[int | str, ...], data: object) -> str:
    if len(loc) < 2 or loc[0] != "skills" or not isinstance(loc[1], int):
        return ".".join(map(str, loc)) or "(top level)"
    skills = data.get("skills") if isinstance(data, Mapping) else None
    entry = skills[loc[1]] if isinstance(skills, list) else None
    name = entry.get("name") if isinstance(entry, Mapping) else None
    field = ".".join(map(str, loc[2:]))
    return f"skill #{loc[1]} ({name!r})" + (f" {field}" if field else "")


# -- free-text matching -------------------------------------------------------------------


class _Tokens(NamedTuple):
    text: str
    words: list[str]
    """Each token lower-cased."""
    spans: list[tuple[int, int]]


def _tokenize(text: str) -> _Tokens:
    lowered = text.lower()
    if len(lowered) == len(text):
        matches = list(_TOKEN.finditer(lowered))
        return _Tokens(text, [m.group() for m in matches], [m.span() for m in matches])
    # A few characters lower-case to two ("İ"): fold token by token to keep the offsets.
    matches = list(_TOKEN.finditer(text))
    return _Tokens(text, [m.group().lower() for m in matches], [m.span() for m in matches])


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _char(text: str, index: int) -> str:
    return text[index] if 0 <= index < len(text) else " "


def _is_whole(text: str, start: int, end: int) -> bool:
    """Not part of a longer word, a dotted name (``index.js``, ``python.org``) or an id.

    A digit right after is a version ("Python3", "C++17"), not another word.
    """
    # Runs for every candidate mention: plain indexing, no helper calls.
    size = len(text)
    before = text[start - 1] if start else " "
    after = text[end] if end < size else " "
    if before.isalnum() or before == "_" or after.isalpha() or after == "_":
        return False
    if before == "." and start >= 2 and _is_word_char(text[start - 2]):
        return False
    if (after == "&" or before == "&") and _firm_initials(text, start, end):
        return False
    following = text[end + 1] if end + 1 < size else " "
    return not (after == "." and (following.islower() or following.isdigit()))


def _firm_initials(text: str, start: int, end: int) -> bool:
    """ "JS&A", "AT&T", "R&D": capitals glued by an ampersand to a lone capital are one
    name's initials; "HTML&CSS" and "Python&Django" are two skills. The glued word is read
    at most 20 characters either side, so a long run of them costs no more per mention."""
    left, floor = start, max(0, start - 20)
    while left > floor and (text[left - 1].isalnum() or text[left - 1] == "&"):
        left -= 1
    right, ceiling = end, min(len(text), end + 20)
    while right < ceiling and (text[right].isalnum() or text[right] == "&"):
        right += 1
    sides = text[left:right].split("&")
    return all(side.isupper() for side in sides) and any(len(side) == 1 for side in sides)


def _stands_alone(tokens: _Tokens, first: int, stop: int) -> bool:
    """An exact-case spelling is the word itself, not part of "Go-getter" or "R&D"."""
    text = tokens.text
    start, end = tokens.spans[first][0], tokens.spans[stop - 1][1]
    before, after = _char(text, start - 1), _char(text, end)
    if before in _JOINERS or after in _JOINERS:
        return False
    if end - start == 1:
        return _lone_letter_is_a_skill(tokens, first, stop)
    return True


def _lone_letter_is_a_skill(tokens: _Tokens, first: int, stop: int) -> bool:
    """The language C or R, not an initial ("C.J.") or a label ("Series C", "C suite", "C4").

    Real versions ("C99") are aliases of their own, matched before the lone letter.
    """
    text, (start, end) = tokens.text, tokens.spans[first]
    after = _char(text, end)
    if _char(text, start - 1) == "." or after.isdigit():
        return False
    if after == "." and _char(text, end + 1).isalpha():
        return False
    previous = tokens.words[first - 1] if first > 0 else ""
    following = tokens.words[stop] if stop < len(tokens.words) else ""
    return previous not in _LETTER_CONTEXT_BEFORE and following not in _LETTER_CONTEXT_AFTER


def _prefixes(spelling: str) -> Iterable[str]:
    """The spelling's match key after each of its tokens: "Node.js" -> node, node., node.js."""
    for match in _TOKEN.finditer(spelling):
        yield _collapse(spelling[: match.end()]).lower()


# -- the taxonomy -------------------------------------------------------------------------


class SkillTaxonomy:
    """Canonical skills, looked up by whole name or found in free text. Immutable."""

    def __init__(self, skills: Iterable[Skill]) -> None:
        self._skills = tuple(skills)
        self._by_name: dict[str, Skill] = {}
        self._any_case: dict[str, str] = {}
        """Lower-cased match key -> canonical name, for spellings that match in any case."""
        self._exact: dict[str, str] = {}
        """Match key as written -> canonical name, for exact-case spellings."""
        prefixes: set[str] = set()
        for skill in self._skills:
            for spelling in skill.spellings:
                self._claim(_name_key(spelling), skill)
                if spelling not in skill.name_only:
                    self._index_text(spelling, skill)
                    prefixes.update(_prefixes(spelling))
        self._prefixes = frozenset(prefixes)
        """Lower-cased keys that start a spelling (or are one): where to keep extending."""
        self._complete = frozenset(self._any_case) | {key.lower() for key in self._exact}
        """Lower-cased keys that are a whole spelling: where a mention may end."""

    def _claim(self, key: str, skill: Skill) -> None:
        owner = self._by_name.setdefault(key, skill)
        if owner.name != skill.name:
            raise SkillTaxonomyError(f"{key!r} is a spelling of both {owner.name} and {skill.name}")

    def _index_text(self, spelling: str, skill: Skill) -> None:
        if spelling in skill.exact_case:
            self._exact[spelling] = skill.name
        else:
            self._any_case[spelling.lower()] = skill.name

    @classmethod
    def from_file(cls, path: Path) -> SkillTaxonomy:
        """Load and validate a taxonomy file; ``SkillTaxonomyError`` says what is wrong."""
        try:
            data = orjson.loads(path.read_bytes())
        except orjson.JSONDecodeError as exc:
            raise SkillTaxonomyError(f"{path}: not valid JSON: {exc}") from exc
        return cls.from_data(data, source=str(path))

    @classmethod
    def from_data(cls, data: object, *, source: str = "skill taxonomy") -> SkillTaxonomy:
        """Validate already-parsed taxonomy data (the file's JSON document)."""
        try:
            parsed = _TaxonomyFile.model_validate(data)
        except ValidationError as exc:
            raise SkillTaxonomyError(f"{source}: invalid:\n{_describe(exc, data)}") from exc
        try:
            return cls(entry.to_skill() for entry in parsed.skills)
        except SkillTaxonomyError as exc:
            raise SkillTaxonomyError(f"{source}: {exc}") from exc

    # -- whole names ----------------------------------------------------------------------

    def canonical(self, name: str) -> str | None:
        """The canonical name for a whole given name, ignoring case and extra whitespace.

        ``"go"`` -> ``"Go"``, ``" k8s "`` -> ``"Kubernetes"``; unknown -> None.
        """
        skill = self._by_name.get(_name_key(name))
        return None if skill is None else skill.name

    def skill(self, name: str) -> Skill | None:
        """The skill a whole name spells (any of its spellings, any case), or None."""
        return self._by_name.get(_name_key(name))

    def normalize(self, name: str) -> str:
        """``canonical(name)``, or the name trimmed with its whitespace runs collapsed."""
        return self.canonical(name) or _collapse(name)

    def category_of(self, name: str) -> str | None:
        """The category of the skill a whole name spells, or None if unknown."""
        skill = self._by_name.get(_name_key(name))
        return None if skill is None else skill.category

    def skills(self) -> tuple[Skill, ...]:
        """Every skill, in the data file's order."""
        return self._skills

    def __len__(self) -> int:
        return len(self._skills)

    def __contains__(self, name: object) -> bool:
        """Whether ``name`` is any known spelling (whole-name rules, as ``canonical``)."""
        return isinstance(name, str) and _name_key(name) in self._by_name

    def __repr__(self) -> str:
        return f"<SkillTaxonomy: {len(self)} skills>"

    # -- free text ------------------------------------------------------------------------

    def find_in(self, text: str) -> list[str]:
        """Canonical names of the skills mentioned in ``text``, in order of first mention."""
        return list(dict.fromkeys(mention.name for mention in self.mentions(text)))

    def mentions(self, text: str) -> list[SkillMention]:
        """Every skill mention in ``text``, left to right, longest match first."""
        tokens = _tokenize(text)
        prefixes = self._prefixes
        found: list[SkillMention] = []
        resume = 0
        for index, word in enumerate(tokens.words):
            # Most tokens start no spelling: one set lookup rejects them.
            if index < resume or word not in prefixes:
                continue
            hit = self._longest_at(tokens, index)
            if hit is not None:
                mention, resume = hit
                found.append(mention)
        return found

    def _longest_at(self, tokens: _Tokens, first: int) -> tuple[SkillMention, int] | None:
        """The longest acceptable mention starting at token ``first``, and the token after it."""
        words, spans = tokens.words, tokens.spans
        key = words[first]
        ends = [first + 1] if key in self._complete else []
        for stop in range(first + 1, len(words)):
            glue = "" if spans[stop][0] == spans[stop - 1][1] else " "
            key = f"{key}{glue}{words[stop]}"
            if key not in self._prefixes:
                break
            if key in self._complete:
                ends.append(stop + 1)
        for stop in reversed(ends):
            mention = self._accept(tokens, first, stop)
            if mention is not None:
                return mention, stop
        return None

    def _accept(self, tokens: _Tokens, first: int, stop: int) -> SkillMention | None:
        """Tokens ``first:stop`` as a mention, if they spell a skill in an acceptable way."""
        start, end = tokens.spans[first][0], tokens.spans[stop - 1][1]
        text = tokens.text
        written = _collapse(text[start:end])
        name = self._any_case.get(written.lower())
        if name is None:
            name = self._exact.get(written)
            if name is None or not _stands_alone(tokens, first, stop):
                return None
        return SkillMention(name, start, end) if _is_whole(text, start, end) else None


@functools.cache
def default_taxonomy() -> SkillTaxonomy:
    """The taxonomy shipped with the package, loaded once per process."""
    return SkillTaxonomy.from_file(DATA_FILE)
