"""Stage 2, ``compiling_profile``: what of the profile goes on the page, in what order.

Roles, achievements and projects are ranked by relevance (``ranking``); skills are
ordered matches first. Then items are chosen greedily until the length model
(``length``) says the page budget (``max_pages`` x the template's lines per page) is used:

1. always: the contact block, the summary, the skills, the education, the
   certifications, and every current role with its best achievements (the current role
   is never dropped);
2. then other roles, most relevant first, each with its best achievement;
3. then more achievements, best first, up to a cap per role;
4. then projects that share something with the job.

Certifications are never left out to make room: a licence or certificate is often what
a posting requires (an RN licence, BLS, PMP), and for a career changer it may be the
one credential for the new field. They were once chosen last, with what space was left,
so a template with fewer lines per page (classic) silently dropped them.

Roles stay newest first on the page (what recruiters and ATS expect); within a role
achievements are ordered by relevance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from jobwise.domain.profile_summary import ExperienceSummary, ProfileSummary
from jobwise.domain.skills import SkillTaxonomy, default_taxonomy
from jobwise.domain.writing.field import field_years
from jobwise.domain.writing.length import (
    ENTRY_GAP,
    ENTRY_LINES,
    NAME_LINES,
    SECTION_LINES,
    budget,
    bullet_lines,
    text_lines,
)
from jobwise.domain.writing.models import (
    CompiledEducation,
    CompiledProfile,
    DocumentKind,
    GenerationOptions,
    JobAnalysis,
    RankedAchievement,
    RankedExperience,
    RankedProject,
    SkillKind,
    SkillMatch,
)
from jobwise.domain.writing.ranking import JobQuery, score_texts
from jobwise.domain.writing.terms import skills_in, word_stems

SUMMARY_RESERVE = 4.0
"""Lines kept for the summary paragraph, written later."""
BULLET_CAP = {1: (5, 3), 2: (7, 5)}
"""max_pages -> (bullets of the most relevant role, bullets of any other role)."""
PROJECT_CAP = {1: 2, 2: 4}
SKILL_CAP = {1: 24, 2: 36}
RECENT_BONUS = 0.5
"""Added to a current role's score: the latest work says most about the candidate."""
TITLE_WEIGHT = 2.0
"""Times the share of the job title's words a past title shares."""


def compile_profile(
    profile: ProfileSummary,
    analysis: JobAnalysis,
    options: GenerationOptions | None = None,
    *,
    today: date,
    taxonomy: SkillTaxonomy | None = None,
    kind: DocumentKind = "resume",
) -> CompiledProfile:
    """The profile chosen and ordered for this job, within ``options.max_pages``.

    A resume's pages are those of its template (``length.TEMPLATE_LINES``). A cover
    letter prints none of these sections: it gets every role, achievement and relevant
    project, ranked the same way, and picks by relevance up to its own word target
    (``letter``). Cut to a resume page, it once had too few achievements to reach 250
    words for a profile with many roles (an ICU nurse's best result was left out)."""
    chosen = options or GenerationOptions()
    skills = taxonomy or default_taxonomy()
    emphasis = [skills.normalize(word) for word in chosen.emphasis_keywords if word.strip()]
    query = JobQuery(analysis, emphasis)
    roles = _rank_roles(profile.experiences, analysis, query, skills, today)
    projects = _rank_projects(profile, query, skills)
    template = chosen.template if kind == "resume" else None
    plan = _Plan(budget(chosen.max_pages, template), chosen, unlimited=kind == "cover_letter")
    plan.fixed(profile, skills)
    kept_roles = plan.roles(roles)
    return CompiledProfile(
        name=profile.name or "",
        email=profile.contact.email,
        phone=profile.contact.phone,
        location=profile.contact.location,
        links=list(dict.fromkeys(profile.contact.links.values())),
        current_title=profile.experiences[0].title if profile.experiences else None,
        years_of_experience=stated_years(profile, analysis, skills, today),
        experiences=kept_roles,
        projects=plan.projects(projects) if chosen.shows("projects") else [],
        skills=_skills(profile, analysis, emphasis, skills)[: SKILL_CAP[chosen.max_pages]],
        soft_skills=profile.soft_skills,
        languages=[_language(lang.name, lang.proficiency) for lang in profile.languages],
        education=[_education(item) for item in profile.education]
        if chosen.shows("education")
        else [],
        certifications=plan.certifications(profile.certifications)
        if chosen.shows("certifications")
        else [],
        own_summary=profile.summary,
        dropped_experiences=len(profile.experiences) - len(kept_roles),
        estimated_lines=round(plan.used, 1),
        line_budget=plan.budget,
        max_pages=chosen.max_pages,
        as_of=today,
    )


def stated_years(
    profile: ProfileSummary, analysis: JobAnalysis, taxonomy: SkillTaxonomy, today: date
) -> int:
    """The years of experience the documents state: those in the job's field (``field``),
    floored; 0 (not stated) when under a year or the field cannot be told. The guard
    accepts any count up to the profile's own total (``claims.duration_claims``)."""
    return field_years(profile.experiences, analysis, today=today, taxonomy=taxonomy)


# -- ranking ----------------------------------------------------------------------------


@dataclass
class _Role:
    index: int
    item: ExperienceSummary
    score: float
    achievements: list[RankedAchievement]


def _rank_roles(
    experiences: Sequence[ExperienceSummary],
    analysis: JobAnalysis,
    query: JobQuery,
    taxonomy: SkillTaxonomy,
    today: date,
) -> list[_Role]:
    texts: list[str] = []
    for role in experiences:
        texts.append(f"{role.title}\n{role.description or ''}")
        texts.extend(role.achievements)
    scores = iter(score_texts(texts, query, taxonomy))
    keywords = set(analysis.keywords)
    ranked: list[_Role] = []
    for index, role in enumerate(experiences):
        own = next(scores)
        achievements = [
            RankedAchievement(
                text=text,
                score=round(next(scores), 4),
                skills=[s for s in skills_in(text, taxonomy) if s in keywords],
            )
            for text in role.achievements
        ]
        achievements.sort(key=lambda a: -a.score)  # stable: ties keep the profile's order
        best = [a.score for a in achievements[:3]]
        score = own + (max(best) if best else 0.0) + sum(best) / 3
        score += TITLE_WEIGHT * _title_overlap(role.title, analysis)
        score += RECENT_BONUS if role.is_current else _recency(role, today)
        ranked.append(_Role(index, role, round(score, 4), achievements))
    return ranked


def _title_overlap(title: str, analysis: JobAnalysis) -> float:
    wanted = set(analysis.title_terms)
    return len(wanted & set(word_stems(title))) / len(wanted) if wanted else 0.0


def _recency(role: ExperienceSummary, today: date) -> float:
    """Up to half of ``RECENT_BONUS`` for a role that ended in the last five years."""
    if role.end_date is None:
        return 0.0
    years_ago = max(0.0, (today - role.end_date).days / 365.25)
    return max(0.0, RECENT_BONUS / 2 * (1 - years_ago / 5))


def _rank_projects(
    profile: ProfileSummary, query: JobQuery, taxonomy: SkillTaxonomy
) -> list[RankedProject]:
    texts = [
        "\n".join([p.name, p.description or "", ", ".join(p.technologies)])
        for p in profile.projects
    ]
    scored = [
        RankedProject(
            name=p.name,
            description=p.description,
            technologies=p.technologies,
            url=p.url,
            score=round(score, 4),
        )
        for p, score in zip(profile.projects, score_texts(texts, query, taxonomy), strict=True)
    ]
    return sorted(scored, key=lambda p: -p.score)


def _skills(
    profile: ProfileSummary,
    analysis: JobAnalysis,
    emphasis: list[str],
    taxonomy: SkillTaxonomy,
) -> list[SkillMatch]:
    """The candidate's skills, matches first; a job skill shown only in the candidate's
    work (not in their skills list) is still theirs, so it is listed too."""
    listed = list(profile.skills)
    # Skills named inside the candidate's own phrases ("Usage with Docker") count too.
    evidence = set(listed) | set(skills_in(profile_text(profile), taxonomy))
    evidence |= set(listed_parts(listed, taxonomy))
    by_key = {name.casefold(): name for name in evidence}
    shown: dict[str, SkillMatch] = {}

    def add(name: str, kind: SkillKind) -> None:
        own = by_key.get(name.casefold())
        if own is None or own.casefold() in shown:
            return
        spelled = analysis.spelled(own) if kind != "other" else own
        shown[own.casefold()] = SkillMatch(name=own, shown_as=spelled, kind=kind)

    for name in analysis.required_skills:
        add(name, "required")
    for name in emphasis:
        add(name, "emphasis")
    for name in analysis.preferred_skills:
        add(name, "preferred")
    for name in analysis.other_skills:
        add(name, "related")
    job_categories = {taxonomy.category_of(s) for s in analysis.keywords} - {None}
    for name in listed:
        if taxonomy.category_of(name) in job_categories:
            add(name, "related")
    for name in listed:
        inside = skills_in(name, taxonomy) + listed_parts([name], taxonomy)
        # "HTML / JSX" says nothing more once HTML is shown.
        if name in taxonomy or not inside or any(s.casefold() not in shown for s in inside):
            add(name, "other")
    return list(shown.values())


def listed_parts(listed: Sequence[str], taxonomy: SkillTaxonomy) -> list[str]:
    """Skills inside composite list entries, read as whole names: "Javascript / Typescript"
    is JavaScript and TypeScript (free text would need "TypeScript" in exact case)."""
    parts = (part for entry in listed for part in re.split(r"\s*[/,;|]\s*", entry))
    return [name for name in (taxonomy.canonical(part) for part in parts if part) if name]


def profile_text(profile: ProfileSummary) -> str:
    """Every free-text field of the profile, one per line."""
    parts: list[str] = [profile.summary or ""]
    for role in profile.experiences:
        parts.extend([role.title, role.description or "", *role.achievements])
    for project in profile.projects:
        parts.extend([project.name, project.description or "", ", ".join(project.technologies)])
    parts.extend(profile.skills)
    parts.extend(profile.certifications)
    return "\n".join(part for part in parts if part)


def _language(name: str, proficiency: object) -> str:
    level = getattr(proficiency, "value", proficiency)
    return f"{name} ({level})" if level else name


def _education(item: object) -> CompiledEducation:
    return CompiledEducation.model_validate(item, from_attributes=True)


# -- fitting the page ---------------------------------------------------------------------


@dataclass
class _Plan:
    budget: int
    options: GenerationOptions
    unlimited: bool = False
    """A cover letter's choice: no page to fit, so everything relevant is kept."""
    used: float = 0.0
    bullets: dict[int, list[RankedAchievement]] = field(default_factory=dict)

    def fits(self, lines: float) -> bool:
        return self.unlimited or self.used + lines <= self.budget

    def take(self, lines: float) -> None:
        self.used += lines

    def fixed(self, profile: ProfileSummary, taxonomy: SkillTaxonomy) -> None:
        """The parts that are always there."""
        # As the writers print it: email, phone, place, then the links (a long line).
        details = [profile.contact.email, profile.contact.phone, profile.contact.location]
        contact = " · ".join(v for v in [*details, *profile.contact.links.values()] if v)
        self.take(NAME_LINES + text_lines(contact or "-"))
        if self.options.shows("summary"):
            self.take(SECTION_LINES + SUMMARY_RESERVE)
        if self.options.shows("skills") and profile.skills:
            self.take(SECTION_LINES + text_lines(", ".join(profile.skills[:24])) + 1)
        if self.options.shows("education") and profile.education:
            self.take(SECTION_LINES + len(profile.education) * (2 * ENTRY_LINES + ENTRY_GAP))
        if self.options.shows("certifications") and profile.certifications:
            self.take(SECTION_LINES + sum(bullet_lines(c) for c in profile.certifications))
        self.take(SECTION_LINES)  # Experience

    def roles(self, roles: list[_Role]) -> list[RankedExperience]:
        current = [r for r in roles if r.item.is_current] or roles[:1]
        for rank, role in enumerate(current):
            self._add_role(role, bullets=2 if rank == 0 else 1, force=True)
        others = sorted((r for r in roles if r not in current), key=lambda r: -r.score)
        for role in others:
            self._add_role(role, bullets=1, force=False)
        self._more_bullets(roles)
        kept = sorted((r for r in roles if r.index in self.bullets), key=lambda r: r.index)
        return [_ranked(role, self.bullets[role.index]) for role in kept]

    def _add_role(self, role: _Role, *, bullets: int, force: bool) -> None:
        first = role.achievements[:bullets]
        cost = 2 * ENTRY_LINES + ENTRY_GAP + sum(bullet_lines(a.text) for a in first)
        if not role.achievements and role.item.description:
            cost += text_lines(role.item.description)
        if force or self.fits(cost):
            self.take(cost)
            self.bullets[role.index] = list(first)

    def _more_bullets(self, roles: list[_Role]) -> None:
        kept = [r for r in roles if r.index in self.bullets]
        if not kept:
            return
        top = max(kept, key=lambda r: r.score).index
        top_cap, other_cap = BULLET_CAP[self.options.max_pages]
        if self.unlimited:
            top_cap = other_cap = max(len(r.achievements) for r in kept)
        waiting = [
            (achievement, role)
            for role in kept
            for achievement in role.achievements
            if achievement not in self.bullets[role.index]
        ]
        waiting.sort(key=lambda pair: -pair[0].score)
        for achievement, role in waiting:
            cap = top_cap if role.index == top else other_cap
            chosen = self.bullets[role.index]
            if len(chosen) < cap and self.fits(bullet_lines(achievement.text)):
                self.take(bullet_lines(achievement.text))
                chosen.append(achievement)

    def projects(self, ranked: list[RankedProject]) -> list[RankedProject]:
        relevant = [p for p in ranked if p.score > 0]
        if not self.unlimited:
            relevant = relevant[: PROJECT_CAP[self.options.max_pages]]
        chosen: list[RankedProject] = []
        heading = SECTION_LINES
        for project in relevant:
            cost = heading + 2 * ENTRY_LINES + ENTRY_GAP + text_lines(project.description or "")
            if self.fits(cost):
                self.take(cost)
                chosen.append(project)
                heading = 0.0
        return chosen

    def certifications(self, names: list[str]) -> list[str]:
        """All of them: their lines were taken with the fixed parts."""
        return list(names)


def _ranked(role: _Role, chosen: list[RankedAchievement]) -> RankedExperience:
    item = role.item
    return RankedExperience(
        index=role.index,
        title=item.title,
        company=item.company,
        location=item.location,
        start_date=item.start_date,
        end_date=item.end_date,
        is_current=item.is_current,
        description=item.description,
        score=role.score,
        achievements=sorted(chosen, key=lambda a: -a.score),
        dropped_achievements=len(role.achievements) - len(chosen),
    )
