"""Text clean-up shared by the parser's stages: line splitting, bullet markers, paste noise.

Pastes come from browsers, Word and e-mail clients, so the same posting can arrive
with CRLF endings, tabs, no-break spaces, zero-width joiners and job-board chrome
("Show more", "Apply now"). Everything downstream works on the lines returned here.
"""

from __future__ import annotations

import re

MAX_CHARS = 100_000
"""Work on at most this much of a paste; the API accepts 50,000, this bounds the cost of worse."""

_TRANSLATE = str.maketrans(
    {
        "\t": "    ",
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\u2060": "",
        "\ufeff": "",
        "\u00ad": "",
        "\u2028": "\n",
        "\u2029": "\n",
        "\x0b": "\n",
        "\x0c": "\n",
        "\r": "\n",
    }
)

# A bullet marker: ASCII ones need a space after (so "-5" or "**Bold**" are not bullets),
# glyphs from Word and web pages do not, numbered and lettered items need ")" or ". ".
BULLET_RE = re.compile(
    r"^[ ]*(?:[-*+](?=\s)|[•·‣◦▪▫●○■□➢➤►▶✓✔✅→–—]|[\uf0b7\uf0a7\uf076]|o(?=[ ]+[A-Z])"
    r"|\d{1,2}[.)](?=\s)|[a-z][.)](?=\s)|[A-Z]\)(?=\s)|\((?:\d{1,2}|[a-z]|[ivx]{1,4})\))[ ]*"
)

_NOISE_RE = re.compile(
    r"(?:show (?:more|less|all)|see (?:more|less)|(?:…|\.\.\.) ?(?:more|see more)|read more"
    r"|see how you compare.*|(?:try|retry|reactivate) premium.*|get ai[- ]powered.*"
    r"|am i a good fit.*|tailor my resume.*|how can i best position myself.*|show match details"
    r"|help me stand out.*|apply|apply now|easy apply|apply on company (?:website|site)|save|saved"
    r"|share|report (?:this )?job|promoted|actively recruiting|be an early applicant"
    r"|(?:over )?\d[\d,]* (?:applicants?|people clicked apply)|meet the hiring team|message"
    r"|people you can reach out to|responses managed off linkedin|skip to main content"
    r"|sign in|join now|job post|- job post|pulled from the full job description"
    r"|here[’'`]?s how the job (?:details|qualifications) aligns? with your profile\.?"
    r"|(?:reposted |posted |active )?\d+\+? (?:minutes?|hours?|days?|weeks?|months?) ago"
    r"|just posted|hiring ongoing|urgently hiring|\d(?:\.\d)? ?(?:★|out of 5 stars?)"
    r"|\d\.\d|\(?\d[\d,]* reviews?\)?|[-=_*~]{3,}|company logo.{0,60}"
    r"|(?-i:(?:[A-Z0-9][\w&.'’-]*[ ]){1,4})logo)",
    re.IGNORECASE,
)

_SPACES_RE = re.compile(r"[ ]{2,}")

# Markdown and template syntax that carries no words, removed before any field is read
# (a company must not be read as "`Berlin`", nor a title as "[Engineer](https://...)").
# Each pattern is bounded so a 50,000-character line is still scanned in linear time.
# The text and the address stop at the next bracket, so a run of "[" or "[a](" is scanned
# once, not up to the bound again from each bracket.
_IMAGE_RE = re.compile(r'!\[[^\[\]\n]{0,300}\]\([^()\s]{0,2000}(?:[ ]+"[^"\n]{0,300}")?\)')
_LINK_RE = re.compile(r'\[([^\[\]\n]{1,300})\]\([^()\s]{0,2000}(?:[ ]+"[^"\n]{0,300}")?\)')
_AUTOLINK_RE = re.compile(r"<(https?://[^>\s]{1,2000})>")
_CODE_RE = re.compile(r"`{1,3}([^`\n]{1,300})`{1,3}")
_INLINE_EMPHASIS_RE = re.compile(r"(?<=\S)(?:\*\*|__)|(?:\*\*|__)(?=\S)")
_TEMPLATE_RE = re.compile(
    r"\{\{[<%].{0,500}?[%>]\}\}|\{%.{0,500}?%\}|<!--.{0,500}?-->|\{\{[^{}\n]{1,200}\}\}"
)
"""Shortcodes, tags, comments and ``{{ page.title }}`` placeholders: what they render to is
not in the paste, so a label whose value is one ("Job title: {{ page.title }}") has none."""
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~>])|\\$")
MAX_ABBREVIATION_END = 24
_ABBREVIATION_END_RE = re.compile(r"(?:\b[A-Za-z]\.){2,}$|\b(?:Inc|Ltd|Co|Corp|Pty|Intl|St)\.$")


def split_lines(raw_text: str) -> list[str]:
    """The paste as right-trimmed lines, invisible characters removed, tabs expanded, and
    inline markdown reduced to its words (see ``plain_markdown``)."""
    text = raw_text[:MAX_CHARS].translate(_TRANSLATE)
    return [plain_markdown(line).rstrip() for line in text.split("\n")]


def plain_markdown(line: str) -> str:
    """Inline markdown and template tags reduced to the words a reader sees.

    ``[Title](url)`` becomes "Title", images and ``{{< shortcode >}}``/``{% tag %}``/
    ``<!-- -->`` go, ``code`` loses its backticks, backslash escapes their backslash, and
    ``**``/``__`` inside a line go. A line wholly wrapped in ``**`` keeps its wrapper: that
    is how a bold heading is told from a sentence.
    """
    if not any(mark in line for mark in "[]`<{\\*_"):
        return line
    text = _TEMPLATE_RE.sub("", line)
    text = _IMAGE_RE.sub("", text).replace(")[", ") [")
    if len(_LINK_RE.findall(text)) >= 2 and not _LINK_RE.sub("", text).strip():
        return ""  # a row of links only ("[Overview](…)[Application](…)") is navigation
    text = _LINK_RE.sub(r"\1", text)
    text = _AUTOLINK_RE.sub(r"\1", text)
    text = _CODE_RE.sub(r"\1", text)
    text = _ESCAPE_RE.sub(r"\1", text)
    if not _wholly_bold(text):
        text = _INLINE_EMPHASIS_RE.sub("", text)
    return text if text.strip() or not line.strip() else ""


def _wholly_bold(text: str) -> bool:
    stripped = text.strip().lstrip("#").strip()
    for wrapper in ("**", "__"):
        if stripped.startswith(wrapper) and stripped.rstrip(" :").endswith(wrapper):
            return len(stripped) > 2 * len(wrapper)
    return False


def is_noise(line: str) -> bool:
    """True for job-board chrome that carries no content ("Show more", "3 days ago", ...)."""
    stripped = line.strip()
    return len(stripped) <= 120 and bool(stripped) and _NOISE_RE.fullmatch(stripped) is not None


def bullet_of(line: str) -> tuple[bool, str]:
    """Split a line into (had a bullet marker, the text after it)."""
    match = BULLET_RE.match(line)
    if match is None or match.end() == len(line):
        return False, line.strip()
    return True, line[match.end() :].strip()


def tidy(text: str) -> str:
    """Collapse runs of spaces and trim; keeps the words exactly as written."""
    return _SPACES_RE.sub(" ", text).strip()


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def strip_markdown(text: str) -> str:
    """Remove heading hashes and bold/italic wrappers around a whole line."""
    stripped = text.strip().lstrip("#").strip()
    for wrapper in ("**", "__", "*", "_"):
        if len(stripped) > 2 * len(wrapper) and stripped.startswith(wrapper):
            inner = stripped[len(wrapper) :]
            end = inner.rfind(wrapper)
            if end > 0 and not inner[end + len(wrapper) :].strip(" :"):
                stripped = inner[:end] + inner[end + len(wrapper) :]
                break
    return stripped.replace("**", "").strip()


def ends_with_abbreviation(text: str) -> bool:
    """ "Acme Inc.", "Tulip Energy B.V.": the final period belongs to the name."""
    # The end is all that can match: a search over the whole of "a.a.a.a…x" would retry
    # the dotted run from every letter.
    return _ABBREVIATION_END_RE.search(text[-MAX_ABBREVIATION_END:]) is not None
