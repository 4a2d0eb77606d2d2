"""Section headings: what a resume calls its parts, and how a heading looks.

A line is a heading when its words are one of the names below (any case, a trailing
colon, "&" for "and"), or when it is short, set apart (bold, capitals, larger than the
body, or a heading style) and holds one of the key words. The first gives a confident
heading; the second a likely one.
"""

from __future__ import annotations

import re
from enum import StrEnum

from jobwise.adapters.interop.resume_file.lines import TextLine


class Kind(StrEnum):
    SUMMARY = "summary"
    EXPERIENCE = "experience"
    EDUCATION = "education"
    SKILLS = "skills"
    PROJECTS = "projects"
    CERTIFICATIONS = "certifications"
    LANGUAGES = "languages"
    OTHER = "other"
    """A section the profile has no place for (awards, publications, ...): kept aside."""


_NAMES: dict[Kind, tuple[str, ...]] = {
    Kind.SUMMARY: (
        "summary",
        "professional summary",
        "profile",
        "professional profile",
        "about",
        "about me",
        "objective",
        "career objective",
        "career summary",
        "personal statement",
        "overview",
        "executive summary",
        "summary of qualifications",
        "qualifications summary",
        "个人简介",
        "自我评价",
        "个人总结",
        "求职意向",
        "简介",
    ),
    Kind.EXPERIENCE: (
        "experience",
        "work experience",
        "professional experience",
        "employment",
        "employment history",
        "work history",
        "career history",
        "relevant experience",
        "industry experience",
        "research experience",
        "internships",
        "internship",
        "internship experience",
        "experience and internships",
        "professional background",
        "work",
        "positions",
        "teaching experience",
        "research and work experience",
        "work and research experience",
        "volunteer",
        "volunteering",
        "volunteer experience",
        "工作经历",
        "工作经验",
        "实习经历",
        "实习经验",
        "工作与实习经历",
        "工作背景",
        "职业经历",
    ),
    Kind.EDUCATION: (
        "education",
        "academic background",
        "education and training",
        "academics",
        "academic history",
        "educational background",
        "qualifications",
        "education history",
        "教育经历",
        "教育背景",
        "学历",
    ),
    Kind.SKILLS: (
        "skills",
        "technical skills",
        "core competencies",
        "competencies",
        "key skills",
        "skills and interests",
        "skills and abilities",
        "skills and expertise",
        "expertise",
        "technologies",
        "tools",
        "tools and technologies",
        "technical expertise",
        "programming skills",
        "computer skills",
        "areas of expertise",
        "skill set",
        "skillset",
        "technical proficiencies",
        "fields",
        "operating systems",
        "strengths",
        "skill",
        "专业技能",
        "技能",
        "技术能力",
        "技能特长",
        "个人技能",
        "计算机技能",
    ),
    Kind.PROJECTS: (
        "projects",
        "personal projects",
        "selected projects",
        "side projects",
        "open source",
        "academic projects",
        "key projects",
        "project experience",
        "project",
        "open source projects",
        "software projects",
        "research projects",
        "项目经历",
        "项目经验",
        "项目",
    ),
    Kind.CERTIFICATIONS: (
        "certifications",
        "certificates",
        "certification",
        "licenses and certifications",
        "licences and certifications",
        "certifications and licenses",
        "credentials",
        "证书",
        "资格证书",
    ),
    Kind.LANGUAGES: (
        "languages",
        "language skills",
        "spoken languages",
        "语言",
        "语言能力",
        "语言技能",
    ),
    Kind.OTHER: (
        "awards",
        "honors",
        "honours",
        "honors and awards",
        "awards and honors",
        "achievements",
        "awards and achievements",
        "publications",
        "selected publications",
        "leadership",
        "leadership experience",
        "activities",
        "extracurricular activities",
        "interests",
        "hobbies",
        "references",
        "courses",
        "coursework",
        "relevant coursework",
        "contact",
        "contact information",
        "patents",
        "talks",
        "presentations",
        "conferences",
        "memberships",
        "affiliations",
        "leadership and activities",
        "community",
        "hobbies and interests",
        "personal",
        "获奖经历",
        "荣誉奖项",
        "兴趣爱好",
        "校园经历",
        "社会实践",
    ),
}
_BY_NAME = {name: kind for kind, names in _NAMES.items() for name in names}
_KEY_WORDS = {
    "experience": Kind.EXPERIENCE,
    "employment": Kind.EXPERIENCE,
    "education": Kind.EDUCATION,
    "skills": Kind.SKILLS,
    "projects": Kind.PROJECTS,
    "certifications": Kind.CERTIFICATIONS,
    "certificates": Kind.CERTIFICATIONS,
    "summary": Kind.SUMMARY,
    "publications": Kind.OTHER,
    "awards": Kind.OTHER,
}
MAX_HEADING_WORDS = 5
_ALSO_WORDS = frozenset(
    [
        "volunteer",
        "work",
        "project",
        "tools",
        "personal",
        "community",
        "about",
        "profile",
        "contact",
        "activities",
        "leadership",
        "expertise",
        "technologies",
        "qualifications",
    ]
)
"""Names that are also an entry's words ("Volunteer" under "YMCA"): headings only when
set apart."""


def normalised(text: str) -> str:
    text = text.lower().replace("&", " and ").replace("／", "/")
    text = re.sub(r"[^\w\s/]", " ", text)
    return " ".join(text.split())


def is_heading_name(text: str) -> bool:
    words = normalised(text)
    return words in _BY_NAME or words.replace(" ", "") in _BY_NAME


def heading_kind(line: TextLine, body_size: float) -> tuple[Kind, float] | None:
    """The section ``line`` opens and how sure that is, or None if it opens none."""
    if line.marked or "\t" in line.text or len(line.text) > 60:
        return None
    words = normalised(line.text)
    if not words or len(words.split()) > MAX_HEADING_WORDS:
        return None
    set_apart = line.heading or line.bold or _capitals(line.text) or line.size > body_size * 1.1
    kind = _BY_NAME.get(words) or _BY_NAME.get(words.replace(" ", ""))
    if kind is not None and (set_apart or words not in _ALSO_WORDS):
        return kind, 0.95 if set_apart else 0.75
    # A key word in a short line set apart by more than bold type (an entry's head is
    # often bold: "Institution of Example Certifications").
    shown = line.heading or _capitals(line.text) or line.size > body_size * 1.1
    if not shown or len(words.split()) > 3 or any(char.isdigit() for char in words):
        return None
    for word in words.split():
        if word in _KEY_WORDS:
            return _KEY_WORDS[word], 0.6
    return None


def _capitals(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return len(letters) >= 3 and all(char.isupper() for char in letters)
