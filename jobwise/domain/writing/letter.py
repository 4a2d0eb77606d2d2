"""The offline cover letter: four paragraphs a recruiter reads, every fact the profile's.

1. The opening names the role and the company, the years in the job's field (when the
   profile proves them) and the skills the posting asks for that the profile shows.
2. and 3. Each middle paragraph connects ONE need of the posting, summarised by its
   skills or topic in the letter's own words (a posting line is never pasted or
   quoted), to ONE achievement told word for word (``achievement_clause``). Further
   real achievements support it while the letter is under its target length.
4. A plain close that names the company: no "I would welcome the opportunity".

No two sentences start with the same two words: every sentence has several openers
and the first one not used yet is taken (a sentence with none left is not written).
The body aims at ``COVER_LETTER_WORDS``. Under ``TARGET_WORDS`` it tells, in this order,
further achievements of roles in the job's field, then the candidate's other material
(``letter_material``: own summary, a role's setting, degree, asked-for credentials,
projects), and, only while still under 250 words, achievements of roles in other
fields. A profile without enough real material gets an honest, shorter letter and a
recommendation saying what to add, never padding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from jobwise.domain.skills import default_taxonomy
from jobwise.domain.writing.analysis import years_required
from jobwise.domain.writing.field import in_field
from jobwise.domain.writing.letter_material import Extra, letter_extras
from jobwise.domain.writing.markdown import long_date, one_line
from jobwise.domain.writing.models import (
    CompiledProfile,
    GenerationOptions,
    JobAnalysis,
    RankedAchievement,
    RankedExperience,
    Tone,
)
from jobwise.domain.writing.phrasing import (
    BASE_VERBS,
    achievement_clause,
    and_list,
    header,
    is_own_words,
    told,
    years_text,
)
from jobwise.domain.writing.summary import field_role, summary_skills
from jobwise.domain.writing.terms import skills_in, word_stems

COVER_LETTER_WORDS = (250, 400)
"""The body of a cover letter (salutation to signature) stays within these counts."""
TARGET_WORDS = 300
"""Supporting achievements are added until the letter reaches this many words."""
TOPIC_WORDS = 3
SHORT_ADVICE = (
    "This cover letter has {words} words, fewer than the {low} a full letter needs, because "
    "it could tell only {count} achievement(s) written as full sentences{tied}. Add two or "
    "three achievements to your roles, each saying what you did, with what, and the result; "
    "the letter is kept short rather than padded."
)

# Every sentence has alternatives: the first whose two opening words are unused wins.
_PHRASES: dict[Tone, dict[str, tuple[str, ...]]] = {
    "professional": {
        "opening": ("I am applying for the {title} position{at_company}.",),
        "years": (
            "I have {years} of experience in this field, most recently as {label} at {employer}.",
        ),
        "no_years": ("My most recent role in this field is {label} at {employer}.",),
        "latest": ("My most recent role is {label} at {employer}.",),
        "skills": ("My work has drawn on {skills}, all named in your posting.",),
        "need": (
            "Your posting puts weight on {topic}.",
            "Another need you describe is {topic}.",
            "The role also calls for {topic}.",
        ),
        "tie": (
            "As {title} at {company}, {clause}.",
            "In my role as {title} at {company}, {clause}.",
            "While working as {title} at {company}, {clause}.",
        ),
        "education": ("I studied {field} at {institution}.", "My degree is in {field}."),
        "closing": (
            "I would be glad to discuss how this experience fits the {title} role"
            "{at_company}. My contact details are above.",
        ),
        "signoff": ("Sincerely,",),
    },
    "concise": {
        "opening": ("Please consider me for the {title} role{at_company}.",),
        "years": ("I bring {years} in this field, most recently as {label} at {employer}.",),
        "no_years": ("My latest role in this field: {label} at {employer}.",),
        "latest": ("My latest role: {label} at {employer}.",),
        "skills": ("Skills you ask for that I use: {skills}.",),
        "need": (
            "You need {topic}.",
            "You also need {topic}.",
            "{Topic} is part of this role too.",
        ),
        "tie": (
            "At {company}, as {title}, {clause}.",
            "As {title} at {company}, {clause}.",
            "In my {title} role at {company}, {clause}.",
        ),
        "education": ("I studied {field} at {institution}.", "My degree: {field}."),
        "closing": (
            "My contact details are above; I can talk with {company_or_team} at any time.",
        ),
        "signoff": ("Kind regards,",),
    },
    "bold": {
        "opening": ("I want to join {company_or_team} as {article_title}.",),
        "years": (
            "For {years} I have worked in this field, most recently as {label} at {employer}.",
        ),
        "no_years": ("Most recently, I worked in this field as {label} at {employer}.",),
        "latest": ("Most recently, I worked as {label} at {employer}.",),
        "skills": ("You ask for {skills}, and my record shows each of them.",),
        "need": (
            "You are looking for {topic}, and I have done this work.",
            "{Topic} is the second need I can answer.",
            "Your team also needs {topic}.",
        ),
        "tie": (
            "As {title} at {company}, {clause}.",
            "In my role as {title} at {company}, {clause}.",
            "When I was {title} at {company}, {clause}.",
        ),
        "education": ("I studied {field} at {institution}.", "My degree is in {field}."),
        "closing": (
            "I am ready to bring this record to {company_or_team}, and I can talk whenever "
            "suits you. My contact details are above.",
        ),
        "signoff": ("Sincerely,",),
    },
}
SALUTATION = "Dear Hiring Manager,"
_ADJECTIVE_ENDINGS = ("al", "ive", "ous", "ful", "able", "ible", "less")
_GENERIC_STEMS = frozenset(
    word_stems(
        "develop developer developers build builder work worker team project system process "
        "manage manager support solution product ability skill knowledge understanding "
        "member people company business client customer various multiple new"
    )
)
SAME_ROLE = (
    "{Clause}.",
    "There, {clause}.",
    "In that role, {clause}.",
    "That role also saw this: {clause}.",
)
"""A further achievement of the role the sentence before spoke of."""
OTHER_ROLE = (
    "At {company}, {clause}.",
    "As {title} at {company}, {clause}.",
    "Earlier, at {company}, {clause}.",
    "During my time at {company}, {clause}.",
    "While at {company}, {clause}.",
    "My work at {company} counts here too: {clause}.",
)
UNNAMED_ROLE = (
    "In another role, {clause}.",
    "In one of my roles, {clause}.",
    "Elsewhere, {clause}.",
)
"""A further achievement of a role that is not named (see ``_story_sentence``)."""
SUPPORTS_PER_PARAGRAPH = 5


@dataclass(frozen=True)
class Need:
    """One need of the posting, named by its skills or topic words (never its wording)."""

    topic: str
    skills: frozenset[str]
    words: frozenset[str]


@dataclass(frozen=True)
class Story:
    """One achievement with the role it was done in."""

    role: RankedExperience
    achievement: RankedAchievement


@dataclass
class Letter:
    markdown: str
    words: int
    recommendations: list[str] = field(default_factory=list)


@dataclass
class _Openings:
    """The two opening words of every sentence written so far."""

    used: set[tuple[str, ...]] = field(default_factory=set)

    def first_free(self, options: list[str]) -> str | None:
        for option in options:
            # "at Buckeye Candle Co." ends the sentence with its own full stop.
            sentence = re.sub(r"(?<!\.)\.\.$", ".", option)
            key = opening_words(sentence)
            if key not in self.used:
                self.used.add(key)
                return sentence
        return None


def opening_words(sentence: str) -> tuple[str, ...]:
    """The first two words, case and punctuation aside: "In the same role, I" -> (in, the)."""
    return tuple(re.findall(r"[\w'’]+", sentence.casefold())[:2])


def cover_letter_markdown(
    compiled: CompiledProfile, analysis: JobAnalysis, options: GenerationOptions
) -> str:
    return write_letter(compiled, analysis, options).markdown


def write_letter(
    compiled: CompiledProfile, analysis: JobAnalysis, options: GenerationOptions
) -> Letter:
    phrases = _PHRASES[options.tone]
    low = COVER_LETTER_WORDS[0]
    values = _values(compiled, analysis)
    openings = _Openings()
    ties = pick_ties(compiled, analysis)
    draft = _Draft(
        fixed=len(SALUTATION.split())
        + len(phrases["signoff"][0].split())
        + len(one_line(compiled.name).split()),
        opening=_opening(compiled, analysis, phrases, values, openings),
        middles=[_tie_paragraph(tie, phrases, openings, i) for i, tie in enumerate(ties)],
    )
    draft.closing = _choose(phrases["closing"], values, openings)
    _support(draft, ties, _supports(compiled, analysis, ties), openings, TARGET_WORDS)
    _add_extras(draft, letter_extras(compiled, analysis), openings)
    # Still under the least a letter needs: the candidate's other work, though from
    # another field, is true and says more than a short letter can.
    _support(draft, ties, _supports(compiled, analysis, ties, other_fields=True), openings, low)
    paragraphs = [" ".join(p) for p in [draft.opening, *draft.middles, draft.closing] if p]
    body = [SALUTATION, *paragraphs, phrases["signoff"][0], one_line(compiled.name)]
    markdown = "\n\n".join([header(compiled), long_date(compiled.as_of), *body]) + "\n"
    count = draft.words()
    return Letter(markdown, count, _short_advice(count, compiled, len(ties)))


@dataclass
class _Draft:
    """The letter's sentences by paragraph while it is written, and its word count."""

    fixed: int
    """Salutation, sign-off and name: counted as validation counts them."""
    opening: list[str]
    middles: list[list[str]]
    closing: list[str] = field(default_factory=list)

    def words(self) -> int:
        prose = [*self.opening, *(s for m in self.middles for s in m), *self.closing]
        return self.fixed + sum(len(s.split()) for s in prose)

    def fits(self, sentence: str) -> bool:
        return self.words() + len(sentence.split()) <= COVER_LETTER_WORDS[1]


def _support(
    draft: _Draft,
    ties: list[tuple[Need | None, Story]],
    stories: list[Story],
    openings: _Openings,
    target: int,
) -> None:
    """Further achievements into the middle paragraphs while the letter is under
    ``target`` words."""
    plan = _assign(stories, ties)
    for paragraph, (_, told_story), chosen in zip(draft.middles, ties, plan, strict=True):
        last = told_story.role if paragraph and paragraph[-1].endswith(_ends(told_story)) else None
        for story in chosen:
            if draft.words() >= target:
                return
            lead_ins = SAME_ROLE if story.role is last else OTHER_ROLE
            sentence = _story_sentence(story, lead_ins, openings)
            if sentence and draft.fits(sentence):
                paragraph.append(sentence)
                last = story.role


def _ends(story: Story) -> str:
    """How the sentence telling ``story`` ends: "There, ..." may follow only it."""
    return f"{achievement_clause(story.achievement.text)}."


def _add_extras(draft: _Draft, extras: list[Extra], openings: _Openings) -> None:
    """Each extra into its paragraph while the letter is under its target: the opening,
    the closing (before its last sentence, which names the company), beside the role it
    describes, or the shorter middle paragraph."""
    for extra in extras:
        if draft.words() >= TARGET_WORDS:
            return
        place = _place(draft, extra)
        if place is None:
            continue
        paragraph, index = place
        fitting = [o for o in extra.options if draft.fits(o)]
        sentence = openings.first_free(fitting)
        if sentence:
            paragraph.insert(index, sentence)


def _place(draft: _Draft, extra: Extra) -> tuple[list[str], int] | None:
    if extra.paragraph == "opening":
        return draft.opening, len(draft.opening)
    if extra.paragraph == "closing":
        return draft.closing, max(len(draft.closing) - 1, 0)
    if extra.role is None:
        shortest = min(draft.middles, key=lambda p: sum(len(s.split()) for s in p))
        return shortest, len(shortest)
    company = one_line(extra.role.company)
    for paragraph in draft.middles:  # after the first sentence that names the role
        for index, sentence in enumerate(paragraph):
            if f" {company}," in sentence or f" {company}:" in sentence:
                return paragraph, index + 1
    return None


def _values(compiled: CompiledProfile, analysis: JobAnalysis) -> dict[str, str]:
    title = analysis.title or "advertised"
    article = "an" if title[:1].lower() in "aeiou" else "a"
    return {
        "title": title,
        "article_title": f"{article} {title}" if analysis.title else "a member of your team",
        "at_company": f" at {analysis.company}" if analysis.company else "",
        "company_or_team": analysis.company or "your team",
        "years": years_text(compiled.years_of_experience),
        "skills": and_list(summary_skills(compiled)),
    }


def _choose(options: tuple[str, ...], values: dict[str, str], openings: _Openings) -> list[str]:
    chosen = openings.first_free([_capital(o.format(**values)) for o in options])
    return [chosen] if chosen else []


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _opening(
    compiled: CompiledProfile,
    analysis: JobAnalysis,
    phrases: dict[str, tuple[str, ...]],
    values: dict[str, str],
    openings: _Openings,
) -> list[str]:
    sentences = _choose(phrases["opening"], values, openings)
    role = field_role(compiled, analysis, strict=True)
    which = "years" if compiled.years_of_experience else "no_years"
    if role is None:  # nothing in the job's field: say what the latest role is, no more
        role = compiled.experiences[0] if compiled.experiences else None
        which = "latest"
    if role is not None:
        about = {**values, "label": one_line(role.title), "employer": one_line(role.company)}
        sentences += _choose(phrases[which], about, openings)
    if values["skills"]:
        sentences += _choose(phrases["skills"], values, openings)
    return sentences


def _tie_paragraph(
    tie: tuple[Need | None, Story],
    phrases: dict[str, tuple[str, ...]],
    openings: _Openings,
    index: int,
) -> list[str]:
    need, story = tie
    sentences: list[str] = []
    if need is not None:
        # The second need starts from the second phrasing: "Another need ..." reads right.
        options = phrases["need"][index:] + phrases["need"][:index]
        topic = {"topic": need.topic, "Topic": _capital(need.topic)}
        sentences += _choose(options, topic, openings)
    sentence = _story_sentence(story, phrases["tie"], openings)
    return [*sentences, sentence] if sentence else sentences


def _story_sentence(story: Story, options: tuple[str, ...], openings: _Openings) -> str | None:
    """The achievement told in the first phrasing whose opening words are free. A role
    at an employer whose name holds a figure ("Arcadia Redux (Dota 2 Unofficial)") is not
    named: the guard reads that figure as one the achievement does not hold."""
    clause = achievement_clause(story.achievement.text)
    if re.search(r"\b\d+\b", story.role.company):  # "Dota 2", not "Domain7"
        options = UNNAMED_ROLE
    values = {
        "title": one_line(story.role.title),
        "company": one_line(story.role.company),
        "clause": clause,
        "Clause": _capital(clause),
    }
    return openings.first_free([_capital(o.format(**values)) for o in options])


def _supports(
    compiled: CompiledProfile,
    analysis: JobAnalysis,
    ties: list[tuple[Need | None, Story]],
    *,
    other_fields: bool = False,
) -> list[Story]:
    """The achievements not told yet, best first. A line that is not the candidate's own
    doing ("Millions of sites use it") is told only when it holds a figure or a skill
    the job asks for: otherwise it says nothing to this reader. ``other_fields``: those
    of the roles outside the job's field instead, for a letter still too short."""
    asked = set(analysis.keywords)
    told_texts = {story.achievement.text for _, story in ties}
    stories = [
        Story(role, a)
        for role in compiled.experiences
        for a in told(role)
        if a.text not in told_texts
        and (is_own_words(a.text) or re.search(r"\d", a.text) or asked & set(skills_in(a.text)))
        # Work from another field (a teacher's lessons in an analyst's letter) is told
        # only in a letter too short without it, unless it names a hard skill: that is
        # relevant to a reader in any field near it.
        and (_in_field_role(role, analysis) or _names_hard_skill(a.text)) != other_fields
    ]
    return sorted(
        stories, key=lambda s: (not is_own_words(s.achievement.text), -s.achievement.score)
    )


def _in_field_role(role: RankedExperience, analysis: JobAnalysis) -> bool:
    texts = [role.description or "", *(a.text for a in role.achievements)]
    return in_field(role.title, texts, analysis)


def _names_hard_skill(text: str) -> bool:
    taxonomy = default_taxonomy()
    return any(taxonomy.category_of(skill) != "soft" for skill in skills_in(text, taxonomy))


def _assign(stories: list[Story], ties: list[tuple[Need | None, Story]]) -> list[list[Story]]:
    """Each further achievement goes to the middle paragraph whose need it shares most
    with (the emptier one on a tie), at most ``SUPPORTS_PER_PARAGRAPH`` each; within a
    paragraph, achievements of the tie's own role come first, then by role."""
    plan: list[list[Story]] = [[] for _ in ties]
    for story in stories:
        open_slots = [i for i in range(len(ties)) if len(plan[i]) < SUPPORTS_PER_PARAGRAPH]
        if not open_slots:
            break
        best = max(open_slots, key=lambda i: (_relevance(story, ties[i][0]), -len(plan[i])))
        plan[best].append(story)
    for index, (_, tie_story) in enumerate(ties):
        plan[index].sort(key=lambda s: (s.role is not tie_story.role, s.role.index))
    return plan


def _relevance(story: Story, need: Need | None) -> float:
    if need is None:
        return 0.0
    text = story.achievement.text
    return 2 * len(need.skills & set(skills_in(text))) + 0.5 * len(
        need.words & set(word_stems(text))
    )


def _short_advice(words: int, compiled: CompiledProfile, ties: int) -> list[str]:
    low = COVER_LETTER_WORDS[0]
    if words >= low:
        return []
    count = sum(len(told(role)) for role in compiled.experiences)
    tied = "" if ties >= 2 else ", and few of them answer the posting's needs"
    return [SHORT_ADVICE.format(words=words, low=low, count=count, tied=tied)]


# -- needs and the achievements that answer them ---------------------------------------------


def needs_of(analysis: JobAnalysis, compiled: CompiledProfile) -> list[tuple[str, Need]]:
    """Each requirement line (or responsibility) with the need it states, for the skills
    and words it shares with the candidate's work."""
    lines = [*analysis.requirements, *analysis.responsibilities]
    theirs = {s.name for s in compiled.skills} | set(compiled.soft_skills)
    shown = {s.name: s.shown_as for s in compiled.skills}
    found: list[tuple[str, Need]] = []
    for line in lines:
        skills = skills_in(line)
        # A need is answered only when the candidate has every skill it names.
        if not set(skills) <= theirs:
            continue
        if (years_required([line]) or 0) > compiled.years_of_experience:
            continue
        topic = and_list([shown.get(s, s) for s in skills[:TOPIC_WORDS]])
        found.append((line, Need(topic, frozenset(skills), frozenset(word_stems(line)))))
    return found


def pick_ties(compiled: CompiledProfile, analysis: JobAnalysis) -> list[tuple[Need | None, Story]]:
    """Two (need, achievement) pairs, best first; each need and achievement used once.

    A pair counts when the achievement names a skill of the need, or shares at least
    two words with it; its topic is then the shared skills, else the shared words as
    the candidate wrote them (single words, so nothing of the posting is pasted)."""
    scored: list[tuple[float, Need, Story]] = []
    for line, need in needs_of(analysis, compiled):
        for story in _stories(compiled):
            text = story.achievement.text
            skills = need.skills & set(skills_in(text))
            shared = need.words & set(word_stems(text))
            score = 2 * len(skills) + 0.5 * len(shared) + story.achievement.score / 10
            if skills:
                pair = Need(and_list(_shown(compiled, skills, line)), need.skills, need.words)
            elif len(shared) >= 2 and (topic := _topic_words(line, shared)):
                pair = Need(topic, need.skills, need.words)
            else:
                continue
            scored.append((score, pair, story))
    scored.sort(key=lambda item: -item[0])
    ties: list[tuple[Need | None, Story]] = []
    for _, need, story in scored:
        if len(ties) == 2:
            break
        if all(
            n is None or (n.topic != need.topic and s.achievement is not story.achievement)
            for n, s in ties
        ):
            ties.append((need, story))
    for story in _stories(compiled):  # too few needs answered: lead with the best work
        if len(ties) >= 2:
            break
        if all(s.achievement.text != story.achievement.text for _, s in ties):
            ties.append((None, story))
    return ties


def _stories(compiled: CompiledProfile) -> Iterator[Story]:
    for role in compiled.experiences:
        for achievement in told(role):
            if is_own_words(achievement.text):
                yield Story(role, achievement)


def _shown(compiled: CompiledProfile, skills: frozenset[str] | set[str], line: str) -> list[str]:
    shown = {s.name: s.shown_as for s in compiled.skills}
    ordered = [s for s in skills_in(line) if s in skills]
    return [shown.get(s, s) for s in ordered][:TOPIC_WORDS]


def _topic_words(line: str, shared: frozenset[str] | set[str]) -> str:
    """The need in a few of the posting's own words, never a phrase of five: the longest
    run (up to three words) of words it shares with the achievement ("patient care"),
    else the shared words one by one ("work with medications"). A line's first word is
    its verb ("Provide ...") and is left out, as is any word that reads as a verb."""
    words = re.findall(r"[^\W\d_]{3,}", line)[1:]
    keep = [w.lower() for w in words if _is_topic(w, shared)]
    runs: list[list[str]] = [[]]
    for word in words:
        if _is_topic(word, shared):
            runs[-1].append(word.lower())
        elif runs[-1]:
            runs.append([])
    longest = max(runs, key=len)[:TOPIC_WORDS]
    if len(longest) >= 2:
        return " ".join(longest)
    unique = list(dict.fromkeys(keep))[:TOPIC_WORDS]
    return "work with " + and_list(unique) if unique else ""


def _is_topic(word: str, shared: frozenset[str] | set[str]) -> bool:
    """A word that can name a need: shared, and neither a verb, an adjective nor a word
    every posting uses ("external", "developers" say nothing of what is needed)."""
    lowered = word.lower()
    stem = word_stems(word)
    verbish = lowered.endswith(("ed", "ly")) or lowered in BASE_VERBS
    adjective = lowered.endswith(_ADJECTIVE_ENDINGS)
    generic = bool(stem) and stem[0] in _GENERIC_STEMS
    return bool(stem) and stem[0] in shared and not (verbish or adjective or generic)
