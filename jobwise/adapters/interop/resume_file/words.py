"""The small vocabularies the reader leans on: what names a role, an organisation, a
school, a degree, a place, a spoken language; and how a line splits into its parts."""

from __future__ import annotations

import re

ROLE_WORDS = frozenset(
    [
        "engineer",
        "employee",
        "apprentice",
        "programmer",
        "developer",
        "programmer",
        "manager",
        "intern",
        "internship",
        "analyst",
        "scientist",
        "designer",
        "consultant",
        "director",
        "lead",
        "architect",
        "specialist",
        "assistant",
        "associate",
        "officer",
        "administrator",
        "coordinator",
        "researcher",
        "teacher",
        "professor",
        "lecturer",
        "head",
        "vp",
        "president",
        "founder",
        "cofounder",
        "co-founder",
        "cto",
        "ceo",
        "cfo",
        "coo",
        "owner",
        "partner",
        "principal",
        "staff",
        "senior",
        "junior",
        "sr",
        "jr",
        "trainee",
        "fellow",
        "postdoc",
        "postdoctoral",
        "student",
        "tutor",
        "instructor",
        "technician",
        "editor",
        "writer",
        "representative",
        "advisor",
        "adviser",
        "strategist",
        "executive",
        "supervisor",
        "member",
        "volunteer",
        "contractor",
        "freelancer",
        "freelance",
        "sde",
        "swe",
        "devops",
        "sre",
        "tester",
        "qa",
        "product",
        "marketing",
        "sales",
        "accountant",
        "auditor",
        "nurse",
        "physician",
        "attorney",
        "paralegal",
        "clerk",
        "chef",
        "agent",
        "economist",
        "statistician",
        "mathematician",
        "physicist",
        "chemist",
        "biologist",
        "operator",
        "maintainer",
        "contributor",
        "ta",
        "ra",
        "工程师",
        "经理",
        "开发",
        "设计师",
        "总监",
        "实习生",
        "分析师",
        "研究员",
        "主管",
        "架构师",
        "顾问",
        "教师",
    ]
)
ORG_WORDS = frozenset(
    [
        "inc",
        "inc.",
        "llc",
        "ltd",
        "ltd.",
        "corp",
        "corp.",
        "corporation",
        "company",
        "co",
        "co.",
        "gmbh",
        "ag",
        "sa",
        "s.a.",
        "plc",
        "group",
        "labs",
        "lab",
        "technologies",
        "technology",
        "tech",
        "systems",
        "solutions",
        "software",
        "studios",
        "studio",
        "partners",
        "bank",
        "capital",
        "ventures",
        "foundation",
        "institute",
        "university",
        "college",
        "school",
        "agency",
        "consulting",
        "services",
        "holdings",
        "limited",
        "pvt",
        "lp",
        "llp",
        "network",
        "networks",
        "media",
        "health",
        "hospital",
        "laboratory",
        "center",
        "centre",
        "公司",
        "集团",
        "科技",
        "有限",
        "银行",
        "大学",
        "研究院",
    ]
)
SCHOOL_WORDS = re.compile(
    r"universit|college|institut|school|academy|polytechnic|école|ecole|hochschule|"
    r"universidad|università|大学|学院|学校|gymnasium|lycée|conservatory|seminary",
    re.IGNORECASE,
)
DEGREE_WORDS = re.compile(
    r"(?:学士|硕士|博士|本科|研究生|专科|学位)"
    r"|(?<![\w.])(?:bachelor(?:'?s)?|master(?:'?s)?|doctor|doctorate|ph\.?\s?d|associate(?:'?s)?|"
    r"diploma|certificate|"
    r"b\.?\s?sc?|m\.?\s?sc?|b\.?\s?a|m\.?\s?a|b\.?\s?eng|m\.?\s?eng|b\.?\s?tech|m\.?\s?tech|"
    r"mba|m\.?\s?phil|b\.?\s?e|m\.?\s?e|b\.?\s?b\.?\s?a|ll\.?\s?[bm]|j\.?\s?d|m\.?\s?d|"
    r"high school|a-levels?|abitur|licence|licenciatura)"
    r"(?![a-z])",
    re.IGNORECASE,
)
HUMAN_LANGUAGES = frozenset(
    [
        "english",
        "french",
        "spanish",
        "german",
        "italian",
        "portuguese",
        "dutch",
        "swedish",
        "norwegian",
        "danish",
        "finnish",
        "polish",
        "czech",
        "slovak",
        "hungarian",
        "romanian",
        "bulgarian",
        "greek",
        "turkish",
        "russian",
        "ukrainian",
        "arabic",
        "hebrew",
        "persian",
        "farsi",
        "hindi",
        "urdu",
        "bengali",
        "punjabi",
        "tamil",
        "telugu",
        "marathi",
        "gujarati",
        "chinese",
        "mandarin",
        "cantonese",
        "japanese",
        "korean",
        "vietnamese",
        "thai",
        "indonesian",
        "malay",
        "tagalog",
        "filipino",
        "swahili",
        "amharic",
        "catalan",
        "basque",
        "galician",
        "serbian",
        "croatian",
        "bosnian",
        "slovenian",
        "latvian",
        "lithuanian",
        "estonian",
        "icelandic",
        "irish",
        "welsh",
        "afrikaans",
        "zulu",
        "latin",
        "esperanto",
        "中文",
        "英语",
        "日语",
        "法语",
        "德语",
        "普通话",
        "粤语",
        "韩语",
    ]
)
PROFICIENCY = {
    "native": "native",
    "mother tongue": "native",
    "bilingual": "native",
    "first language": "native",
    "fluent": "fluent",
    "proficient": "fluent",
    "professional": "fluent",
    "advanced": "fluent",
    "full professional": "fluent",
    "c1": "fluent",
    "c2": "fluent",
    "business": "fluent",
    "intermediate": "conversational",
    "conversational": "conversational",
    "working": "conversational",
    "limited working": "conversational",
    "b1": "conversational",
    "b2": "conversational",
    "basic": "basic",
    "elementary": "basic",
    "beginner": "basic",
    "a1": "basic",
    "a2": "basic",
    "母语": "native",
    "流利": "fluent",
    "熟练": "fluent",
    "良好": "conversational",
    "基础": "basic",
}
US_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
        "ON",
        "BC",
        "QC",
        "AB",
    ]
)
_COUNTRY_PATTERN = re.compile(
    r"^(?:usa|us|u\.s\.a?\.?|uk|u\.k\.|united states(?: of america)?|united kingdom|"
    r"england|scotland|wales|ireland|canada|mexico|brazil|argentina|chile|colombia|peru|"
    r"germany|france|spain|portugal|italy|netherlands|belgium|switzerland|austria|sweden|"
    r"norway|denmark|finland|poland|czech republic|czechia|hungary|romania|greece|turkey|"
    r"israel|india|china|japan|(?:south )?korea|singapore|malaysia|indonesia|thailand|"
    r"vietnam|philippines|australia|new zealand|south africa|nigeria|kenya|egypt|morocco|"
    r"republic of korea|s\.\s?korea|czech republic|"
    r"uae|united arab emirates|saudi arabia|pakistan|bangladesh|sri lanka|nepal|taiwan|"
    r"hong kong|russia|ukraine|中国|日本|美国)$",
    re.IGNORECASE,
)
_PLACE_WORD = re.compile(
    r"^(?:[A-Z\u00c0-\u024f][\w.'\u00c0-\u024f-]*|[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]+)$"
)
SEPARATORS = re.compile(r"(?:\s*(?:\t|[|·•◦⋄◇∙]|\s/\s|\s[–—-]\s|\s{3})\s*)+")
STRONG_SEPARATORS = re.compile(r"(?:\s*(?:\t|[|·•◦⋄◇∙\ue000-\uf8ff]|\s{3}|;(?=\s))\s*)+")
"""An icon between two parts ("DEVELOPER <briefcase> COMPANY A") separates them too, and
so does a semicolon ("PhD, Computer Science; Awesome University")."""
DASHES = re.compile(r"\s+[–—-]\s+")
"""Not a slash: "Scientific Employee / PhD Student" is one title."""


def words_of(text: str) -> list[str]:
    return re.findall(r"[\w.+#-]+|[\u4e00-\u9fff]+", text.lower())


def role_score(text: str) -> int:
    lowered = text.lower()
    score = sum(word.strip(".,") in ROLE_WORDS for word in words_of(lowered))
    return score + sum(word in lowered for word in ROLE_WORDS if not word.isascii())


def org_score(text: str) -> int:
    lowered = text.lower()
    score = sum(word.strip(",") in ORG_WORDS for word in words_of(lowered))
    return score + sum(word in lowered for word in ORG_WORDS if not word.isascii())


def is_place(text: str) -> bool:
    """ "Berlin, Germany", "Austin, TX", "Remote", "San Francisco, CA, USA"."""
    text = text.strip().strip("().")
    if text.lower() in {"remote", "hybrid", "on-site", "onsite"}:
        return True
    if _COUNTRY_PATTERN.match(text):
        return True
    pieces = [piece.strip() for piece in text.split(",")]
    if not 2 <= len(pieces) <= 3 or not all(pieces):
        return False
    if len(pieces) == 3 and not _COUNTRY_PATTERN.match(pieces[-1]):
        return False  # "Acme Labs, Pomona, CA" names a firm, then where it is
    last = pieces[-1]
    code = len(last) == 2 and last.isupper() and last.isalpha()  # a state's or a country's
    if not (code or last in US_STATES or _COUNTRY_PATTERN.match(last) or last.lower() == "remote"):
        return False
    return all(
        1 <= len(piece.split()) <= 3 and all(_PLACE_WORD.match(word) for word in piece.split())
        for piece in pieces[:-1]
    )


def is_human_language(text: str) -> bool:
    head = re.split(r"[\s(:–—-]", text.strip().lower(), maxsplit=1)[0]
    return head in HUMAN_LANGUAGES or text.strip() in HUMAN_LANGUAGES


def parts_of(text: str) -> list[str]:
    """A line cut at its separators (a tab, " | ", " · ", " – ", " / ")."""
    return [part.strip(" ,;") for part in SEPARATORS.split(text) if part.strip(" ,;")]


def head_parts_of(text: str, dashes: bool = True) -> list[str]:
    """An entry's head line cut at its strong separators; a part then cut at a dash
    only when it has no comma ("Title, Company" keeps a title's own dash: "Full Stack
    Developer - SlashDB, SlashDB"), and only if ``dashes``."""
    parts: list[str] = []
    for part in STRONG_SEPARATORS.split(text):
        pieces = [part] if "," in part or not dashes else DASHES.split(part)
        parts.extend(piece.strip(" ,;") for piece in pieces if piece.strip(" ,;"))
    return parts


def split_list(text: str) -> list[str]:
    """Comma-, semicolon-, bullet- or pipe-separated items; commas inside parentheses
    ("English (native, C2)") do not split."""
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "([{（":
            depth += 1
        elif char in ")]}）" and depth:
            depth -= 1
        if depth == 0 and (char in ",;|•·、，；\t" or "\ue000" <= char <= "\uf8ff"):
            items.append("".join(current))
            current = []
            continue
        current.append(char)
    items.append("".join(current))
    return [item.strip(" .") for item in items if item.strip(" .")]
