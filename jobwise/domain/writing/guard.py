"""The fabrication guard: nothing reaches the page that the profile does not state.

It reads the document's Markdown (a draft, or a user's edit of one) and checks:

- each Experience entry: the employer is one of the profile's (never the target
  company), the title is one the candidate held there (no upgrade), and the dates are
  that role's; each Education entry, Project and Certification exists in the profile;
- every line of text: each number appears in the profile (exactly: 40% is not 60%),
  each skill it names is the candidate's, a leadership verb ("led") only where the
  profile speaks of leading, and no sentence presents the target company as a past
  employer.

What fails is taken out: a bullet that is an edit of a profile achievement is put back
as the profile has it; anything else (a bullet, a sentence, a skills-list item, a
whole entry) is removed. Every change is reported (``Removal``: what, where, why).
Text quoted from the posting ("Your posting asks for "...") is the job's, not a claim,
and is not checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from jobwise.domain.profile_summary import ExperienceSummary
from jobwise.domain.skills import SkillTaxonomy, default_taxonomy
from jobwise.domain.writing.claims import (
    JobWords,
    about_the_job,
    claim_words,
    credential_claims,
    degree_claims,
    duration_claims,
    job_words,
    since_claims,
    title_claims,
    unknown_names,
)
from jobwise.domain.writing.facts import (
    LEAD_CLAIM,
    LEADERSHIP,
    ProfileFacts,
    Source,
    dates_agree,
    fold_words,
    role_meta_dates,
    same_name,
    same_title,
)
from jobwise.domain.writing.markdown import SEPARATOR, Line, join, read, write
from jobwise.domain.writing.models import JobAnalysis, Removal
from jobwise.domain.writing.quantities import quantities_in, ranges_in
from jobwise.domain.writing.sentences import split_sentences
from jobwise.domain.writing.terms import skills_in

_OPENS, _CLOSES = '"“', '"”'
_DATE_LINE = re.compile(
    r"^(?:\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{1,2}, \d{4}|\d{4}-\d{2}-\d{2})$"
)
_EMPLOYED = (
    r"\b(?:worked|working|employed|served|interned|was|been)\b[^.;]{{0,40}}\b(?:at|for|by)\s+{name}\b"
    r"|\b(?:my (?:time|role|years|work)|while|when I was|during my time)\s+(?:at|with)\s+{name}\b"
    r"|(?:^|[.;]\s+)As (?:an? |the )?[A-Z][^,.;]{{0,60}} at {name}\b|\bjoined {name}\b(?! as)"
    r"|\b(?:spent|worked|was|been|served)\b[^.;]{{0,40}}\b(?:on|in|with) the {name}\b"
    r"|\b(?:years?|months?)\s+(?:on|in|with|at)\s+(?:the\s+)?{name}\b"
)
"""Phrasings that make ``name`` an employer ("worked at X", "As Engineer at X")."""
_AS_AT = re.compile(
    r"\b[Aa]s (?:an? |the )?([A-Z][^,.;]{1,80}?) at ([A-Z][^,;]{1,80}?)(?=[,;]|\.\s|\.$|$)"
)
_SECTION_KEYS = {
    "experience": ("experience", "work", "employment", "career"),
    "education": ("education", "academic"),
    "projects": ("project",),
    "certifications": ("certif", "licen"),
    "skills": ("skill",),
}


def section_key(heading: str) -> str:
    """A section heading as one of the standard keys ("Work Experience" -> experience)."""
    folded = heading.casefold()
    for key, words in _SECTION_KEYS.items():
        if any(word in folded for word in words):
            return key
    return folded


@dataclass
class _Guard:
    facts: ProfileFacts
    analysis: JobAnalysis
    taxonomy: SkillTaxonomy
    job_text: str
    job: JobWords
    removed: list[Removal] = field(default_factory=list)

    # -- entries ---------------------------------------------------------------------------

    def experience_entry(self, heading: str) -> tuple[ExperienceSummary | None, str | None]:
        """The role an entry heading names, or None and why it cannot stay.

        "Staff Nurse, ICU, Sanford Medical" reads two ways; the reading whose title the
        candidate held there wins over one that would need the title fixed."""
        readings: list[tuple[ExperienceSummary, str | None]] = []
        for title, company in _splits(heading):
            target = self.analysis.company
            employer = self.facts.employer(company)
            if employer is None:
                continue
            if target and same_name(employer, target) is False and same_name(company, target):
                continue
            roles = self.facts.roles_at(employer)
            held = [r for r in roles if same_name(r.title, title)] or [
                r for r in roles if same_title(title, r.title)
            ]
            if held:
                return held[0], None
            readings.append((roles[0], f"title:{title}"))
        if readings:
            return readings[0]
        last = _splits(heading)[-1][1] if _splits(heading) else heading
        if self.analysis.company and same_name(last, self.analysis.company):
            return None, f"{self.analysis.company} is the company applied to, not a past employer"
        return None, "the employer is not in the profile"

    def namesakes(self, role: ExperienceSummary) -> list[ExperienceSummary]:
        """The roles with ``role``'s title at its employer (``role`` among them)."""
        return [r for r in self.facts.roles_at(role.company) if same_name(r.title, role.title)]

    def stint(self, meta: str, role: ExperienceSummary) -> ExperienceSummary:
        """Two stints with one title at one employer share a heading: the entry's dates
        line says which one it is, and so whose achievements its bullets are."""
        return next(
            (
                r
                for r in self.namesakes(role)
                if dates_agree(meta, r.start_date, r.end_date, r.is_current)
            ),
            role,
        )

    def known_entry(self, section: str, heading: str) -> bool:
        if section == "education" and degree_claims(heading, self.facts):
            return False  # a degree the profile does not have, or in another field
        if section == "education":
            return any(
                any(same_name(heading, form) for form in _education_forms(e))
                or (
                    any(
                        same_name(left, e.institution) or same_name(right, e.institution)
                        for left, right in _splits(heading)
                    )
                    and _degree_in(heading, e.degree)
                )
                for e in self.facts.education
            )
        if section == "projects":
            return self.facts.project(heading) is not None
        return True

    # -- lines -----------------------------------------------------------------------------

    def problems(
        self, text: str, role: ExperienceSummary | None, original: str | None
    ) -> list[str]:
        """Why a line (or sentence) cannot stay; empty when it can."""
        unquoted = _unquoted(text, self.job_text)
        if self.facts.states(unquoted):
            return []  # the profile's own words (its summary, an achievement) as written
        # The role applied to is named, not claimed: "the Senior Python Engineer role".
        checked = unquoted
        for name in (self.analysis.title, self.analysis.company):
            if name:
                checked = re.sub(re.escape(name), " ", checked, flags=re.IGNORECASE)
        # An employer's name is the profile's own: "Aaa Dns" claims no DNS, "3M" no number.
        named = checked
        for employer in self.facts.employers:
            named = re.sub(rf"(?<!\w){re.escape(employer)}(?!\w)", " ", named, flags=re.IGNORECASE)
        why: list[str] = []
        why.extend(self._figures(self._without_titles(named), original))
        for skill in skills_in(named, self.taxonomy):
            if not self.facts.has_skill(skill):
                why.append(f"the profile does not show {skill}")
        if LEAD_CLAIM.search(self._without_titles(checked)) and not _leads(
            original, self.facts, role
        ):
            why.append("it claims a lead role the profile does not")
        why.extend(self._employment_claims(unquoted, text))
        if not about_the_job(unquoted):
            why.extend(self._claims(unquoted, named))
        return list(dict.fromkeys(why))

    def _figures(self, text: str, original: str | None) -> list[str]:
        """Each figure must be one the profile states, with its unit, and in the
        achievement the line restates when it restates one: a number borrowed from
        another achievement is not that achievement's. A change ("from 820 ms to 95 ms")
        must be stated as one change. Durations in years or months are
        ``duration_claims``' to judge, calendar years are checked against the dates."""
        why: list[str] = []
        own = Source.of(original) if original is not None else None
        for quantity in quantities_in(text):
            if quantity.is_year:
                if not self.facts.has_number((quantity.value, "")):
                    why.append(f"the year {quantity.written} is not in the profile")
                continue
            if quantity.unit in ("year", "month") or (quantity.unit == "" and quantity.value < 2):
                continue
            sources = self.facts.sources_of(quantity)
            if not sources:
                why.append(f"the figure {quantity.written} is not in the profile")
            elif own is not None and not own.states(quantity):
                why.append(f"{quantity.written} belongs to another achievement, not this one")
        for change in ranges_in(text):
            if change[0].is_year or change[1].is_year:
                continue
            if not any(source.states_change(change) for source in self.facts.sources):
                start, end = change
                why.append(f"the profile states no change from {start.written} to {end.written}")
        return why

    def _claims(self, text: str, named: str) -> list[str]:
        """What the sentence claims in words: names, titles, degrees, credentials, years."""
        return [
            *unknown_names(self._without_own_skills(named), self.facts, self.job),
            *title_claims(text, self.facts, self.job),
            *degree_claims(text, self.facts),
            *credential_claims(text, self.facts),
            *duration_claims(text, self.facts),
            *since_claims(text, self.facts),
            *claim_words(text, self.facts),
        ]

    def _without_titles(self, text: str) -> str:
        """``text`` without the profile's own titles: "Lead Developer" held claims no
        leading."""
        for title in {r.title for r in self.facts.roles}:
            text = re.sub(rf"(?<!\w){re.escape(title)}(?!\w)", " ", text, flags=re.IGNORECASE)
        return text

    def _without_own_skills(self, text: str) -> str:
        chars = list(text)
        for mention in self.taxonomy.mentions(text):
            if self.facts.has_skill(mention.name):
                chars[mention.start : mention.end] = " " * (mention.end - mention.start)
        return "".join(chars)

    def _employment_claims(self, text: str, original_text: str) -> list[str]:
        why: list[str] = []
        target = self.analysis.company
        employed = re.compile(_EMPLOYED.format(name=re.escape(target or "")), re.IGNORECASE)
        if target and employed.search(original_text):
            why.append(f"it presents {target} as a past employer")
        for match in _AS_AT.finditer(text):
            title, company = match.group(1), self._employer_at(text, match)
            if target and same_name(company, target):
                continue  # the role applied to, named: "as Engineer at <target>" is judged above
            employer = self.facts.employer(company)
            if employer is None:
                why.append(f"{company} is not an employer in the profile")
            elif not any(same_title(title, r.title) for r in self.facts.roles_at(employer)):
                why.append(f"the candidate was not {title} at {employer}")
        return why

    def _employer_at(self, text: str, match: re.Match[str]) -> str:
        """The employer an "As <title> at <employer>" names: a profile employer written
        there in full (its own full stops and all: "U.S. Army", "St. Luke's"), else
        what the pattern read."""
        rest = text[match.start(2) :].casefold()
        found = [e for e in self.facts.employers if rest.startswith(e.casefold())]
        return max(found, key=len) if found else match.group(2)

    def original_of(self, text: str, role: ExperienceSummary | None) -> str | None:
        """The profile achievement this line is an edit of, if any."""
        pool = list(role.achievements) if role else []
        pool = pool or [a for r in self.facts.roles for a in r.achievements]
        if not pool:
            return None
        # An achievement told word for word is the one the line restates, whatever
        # other achievement a fuzzy score would rank as high.
        folded = " ".join(fold_words(text))
        whole = [a for a in pool if " ".join(fold_words(a.rstrip("."))) in folded]
        if whole:
            return max(whole, key=lambda a: (_states_all(a, text), len(a)))
        ranked = process.extract(text, pool, scorer=fuzz.token_set_ratio, limit=None)
        close = [(a, score) for a, score, _ in ranked if score >= 70]
        if not close:
            return None
        # Two achievements read alike ("by 157% using Python", "by 157 using Python"):
        # the one whose figures the line states is the one it restates.
        return max(close, key=lambda pair: (_states_all(pair[0], text), pair[1]))[0]

    def report(self, what: str, where: str, why: str, replacement: str | None = None) -> None:
        action = "replaced" if replacement is not None else "removed"
        self.removed.append(
            Removal(what=what, where=where, why=why, action=action, replacement=replacement)
        )


def guard(
    markdown: str,
    facts: ProfileFacts,
    analysis: JobAnalysis,
    taxonomy: SkillTaxonomy | None = None,
) -> tuple[str, list[Removal]]:
    """The document with every unsupported fact taken out, and what was taken out."""
    job_text = "\n".join(
        [analysis.title, *analysis.requirements, *analysis.nice_to_have, *analysis.responsibilities]
    ).casefold()
    checker = _Guard(facts, analysis, taxonomy or default_taxonomy(), job_text, job_words(analysis))
    lines = read(markdown)
    kept: list[Line] = []
    role: ExperienceSummary | None = None
    dropping = False
    for line in lines:
        key = section_key(line.section)
        if line.kind == "section":
            dropping, role = False, None
        elif line.kind == "entry":
            dropping, role = _entry(checker, line, key)
        elif line.kind == "meta" and role is not None:
            role = checker.stint(line.text, role)
        if dropping and line.kind != "section":
            continue
        kept.extend(_checked(checker, line, key, role))
    return write(kept), checker.removed


def _entry(checker: _Guard, line: Line, key: str) -> tuple[bool, ExperienceSummary | None]:
    """Whether to drop this entry, and the profile role it is."""
    where = f"{line.section} > {line.text}"
    if key == "experience":
        role, why = checker.experience_entry(line.text)
        if role is None:
            checker.report(line.text, line.section, why or "")
            return True, None
        if why and why.startswith("title:"):
            fixed = f"{role.title}, {role.company}"
            line.raw = f"### {fixed}"
            checker.report(
                why[6:], where, "the candidate never held this title there", replacement=role.title
            )
        return False, role
    if not checker.known_entry(key, line.text):
        checker.report(line.text, line.section, f"not in the profile's {key}")
        return True, None
    return False, None


def _checked(checker: _Guard, line: Line, key: str, role: ExperienceSummary | None) -> list[Line]:
    where = f"{line.section} > {line.entry}" if line.entry else (line.section or "Letter")
    if line.kind in ("blank", "name", "contact", "section", "entry"):
        return [line]
    if line.kind == "meta" and role is not None:
        return [_meta(checker, line, role, where)]
    if line.kind == "meta" and key != "education":
        return [line]
    if line.kind == "meta":
        return _meta_parts(checker, line, where)
    if _DATE_LINE.match(line.text) or line.text.startswith("Dear "):
        return [line]
    if key == "certifications" and line.kind == "bullet":
        if checker.facts.certification(line.text) is None:
            checker.report(line.text, where, "not a certification in the profile")
            return []
        return [line]
    if line.kind == "label" and key == "skills":
        return _skills_line(checker, line, where)
    if line.kind == "bullet":
        return _bullet(checker, line, role, where)
    return _sentences(checker, line, role, where)


def _meta_parts(checker: _Guard, line: Line, where: str) -> list[Line]:
    """An education entry's details ("2010 – 2014 · Summa cum laude · GPA 3.9"), each
    part judged alone: an invented honour goes, the true dates stay."""
    parts = line.text.split(SEPARATOR)
    kept = []
    for part in parts:
        why = checker.problems(part, None, None)
        if why:
            checker.report(part, where, "; ".join(why))
        else:
            kept.append(part)
    if not kept:
        return []
    line.raw = line.text = SEPARATOR.join(kept)
    return [line]


def _meta(checker: _Guard, line: Line, role: ExperienceSummary, where: str) -> Line:
    # Two stints with one title at one employer: the dates say which one this is.
    if any(
        dates_agree(line.text, r.start_date, r.end_date, r.is_current)
        for r in checker.namesakes(role)
    ):
        return line
    fixed = join(role.location, role_meta_dates(role))
    checker.report(line.text, where, "the dates are not this role's", replacement=fixed)
    line.raw = line.text = fixed
    return line


def _bullet(checker: _Guard, line: Line, role: ExperienceSummary | None, where: str) -> list[Line]:
    original = checker.original_of(line.text, role)
    why = checker.problems(line.text, role, original)
    if not why:
        return [line]
    if original is not None and not checker.problems(original, role, original):
        checker.report(line.text, where, "; ".join(why), replacement=original)
        line.raw = f"- {original}"
        return [line]
    checker.report(line.text, where, "; ".join(why))
    return []


def _sentences(
    checker: _Guard, line: Line, role: ExperienceSummary | None, where: str
) -> list[Line]:
    kept: list[str] = []
    sentences = split_sentences(line.text)
    after_removal = False
    for sentence in sentences:
        why = checker.problems(sentence, role, checker.original_of(sentence, role))
        if why:
            checker.report(sentence, where, "; ".join(why))
            after_removal = True
            continue
        if after_removal and (lead := _BACK_REFERENCE.match(sentence)):
            # "In the same role, I built..." after its role's sentence was taken out
            # would now point at another employer: it keeps its facts, not the pointer.
            rest = sentence[lead.end() :]
            sentence = rest[:1].upper() + rest[1:]
        kept.append(sentence)
        after_removal = False
    if not kept:
        return []
    if kept != sentences:
        line.raw = line.text = " ".join(kept)
    return [line]


_BACK_REFERENCE = re.compile(
    r"^(?:In (?:the same|that|this) (?:role|job|position|team|company)|There|At the same "
    r"(?:company|place|employer)|Also there|Still there|In the same place),\s+(?=\S)",
)
"""Openings that point back at the sentence before for their employer."""


def _skills_line(checker: _Guard, line: Line, where: str) -> list[Line]:
    if line.label.casefold().startswith(("language", "soft")):
        return [line]
    kept: list[str] = []
    for item in (part.strip() for part in line.text.split(",")):
        if not item:
            continue
        named = skills_in(item, checker.taxonomy)
        canonical = checker.taxonomy.canonical(item)
        known = [*named, *([canonical] if canonical else [])]
        ok = checker.facts.lists(item) or (known and all(checker.facts.has_skill(s) for s in known))
        if ok:
            kept.append(item)
        else:
            checker.report(item, where, "the profile does not show this skill")
    if not kept:
        return []
    line.raw = f"**{line.label}:** {', '.join(kept)}"
    line.text = ", ".join(kept)
    return [line]


def _splits(heading: str) -> list[tuple[str, str]]:
    """Every way to read "Title, Organisation" (titles and names may hold commas)."""
    parts = heading.split(", ")
    # A heading is a title and an organisation: readings past a few commas are noise,
    # and trying every one of thousands of commas would take quadratic time.
    cuts = sorted({*range(1, min(len(parts), 6)), *range(max(1, len(parts) - 4), len(parts))})
    found = [(", ".join(parts[:i]), ", ".join(parts[i:])) for i in cuts]
    for separator in (" at ", " | ", " - ", " – ", " — "):
        if separator in heading:
            left, _, right = heading.rpartition(separator)
            found.append((left, right))
    return found


def _education_forms(item: object) -> list[str]:
    degree = getattr(item, "degree", "")
    field_of_study = getattr(item, "field_of_study", None)
    institution = getattr(item, "institution", "")
    forms = [f"{degree}, {institution}"]
    if field_of_study:
        forms.append(f"{degree} in {field_of_study}, {institution}")
    return forms


def _degree_in(heading: str, degree: str) -> bool:
    return fuzz.partial_ratio(degree.casefold(), heading.casefold()) >= 85


def _states_all(achievement: str, line: str) -> bool:
    """Whether ``achievement`` states every figure ``line`` does, each with its unit."""
    source = Source.of(achievement)
    return all(source.states(quantity) for quantity in quantities_in(line))


def _leads(original: str | None, facts: ProfileFacts, role: ExperienceSummary | None) -> bool:
    if original is not None:
        return LEADERSHIP.search(original) is not None
    return facts.leads(role)


def _unquoted(text: str, job_text: str) -> str:
    """``text`` without the spans it quotes from the posting.

    A quote is an opening ``"``/``“``, three or more characters, and the first ``"``/``”``
    after them: what ``["“]([^"”]{3,})["”]`` matched. That pattern rescanned the rest of
    the line from every ``“`` that never closes (a line of them took minutes); this
    scan finds each closing mark once."""
    out: list[str] = []
    done = at = 0
    close = -1  # the first closing mark after ``at``, found once and kept
    while at < len(text):
        if text[at] not in _OPENS:
            at += 1
            continue
        if close <= at:
            close = next((i for i in range(at + 1, len(text)) if text[i] in _CLOSES), -1)
            if close == -1:
                break  # no closing mark after this opening, so none after any later one
        if close - at - 1 < 3:
            at += 1
            continue
        quoted = " ".join(text[at + 1 : close].split()).casefold()
        if quoted in job_text:
            out.append(text[done:at])
            done = close + 1
        at = close + 1
    out.append(text[done:])
    return "".join(out)
