"""Is this line a place? ("Austin, TX 78701", "Berlin, Germany (Hybrid)", "Remote - EMEA").

A small gazetteer (countries, regions, US states, big tech cities) plus the shape
"Town, Region" is enough to tell a location line from a company or title line at the
top of a paste; it is not a geocoder.
"""

from __future__ import annotations

import re

_COUNTRIES = (
    "united states|united states of america|usa|us|u.s.|u.s.a.|united kingdom|uk|u.k.|great britain"
    "|england|scotland|wales|northern ireland|ireland|canada|australia|new zealand|germany"
    "|deutschland|france|spain|portugal|italy|netherlands|the netherlands|belgium|luxembourg"
    "|switzerland|austria|denmark|sweden|norway|finland|iceland|poland|czechia|czech republic"
    "|slovakia|hungary|romania|bulgaria|greece|croatia|serbia|slovenia|estonia|latvia|lithuania"
    "|ukraine|turkey|israel|uae|united arab emirates|saudi arabia|qatar|egypt|nigeria|kenya"
    "|south africa|morocco|india|pakistan|bangladesh|sri lanka|singapore|malaysia|indonesia"
    "|philippines|vietnam|thailand|japan|south korea|korea|china|hong kong|taiwan|mexico|brazil"
    "|argentina|chile|colombia|peru|uruguay|costa rica"
)
_REGIONS = (
    "emea|apac|latam|amer|americas|north america|south america|latin america|europe|eu"
    "|european union|eea|asia|asia pacific|middle east|africa|nordics|dach|benelux|anywhere"
    "|worldwide|global|us timezones|european timezones|cet|est|pst|gmt"
)
_US_STATES = (
    "alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia"
    "|hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts"
    "|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada|new hampshire|new jersey"
    "|new mexico|new york|north carolina|north dakota|ohio|oklahoma|oregon|pennsylvania"
    "|rhode island|south carolina|south dakota|tennessee|texas|utah|vermont|virginia|washington"
    "|west virginia|wisconsin|wyoming|district of columbia|ontario|quebec|british columbia"
    "|alberta|manitoba|nova scotia|new south wales|victoria|queensland|bavaria|catalonia"
    "|karnataka|maharashtra|telangana|tamil nadu|haryana"
)
_STATE_CODES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ"
    "|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|ON|QC|BC|AB|NSW|VIC|QLD"
)
_CITIES = (
    "london|manchester|birmingham|leeds|bristol|edinburgh|glasgow|cambridge|oxford|belfast"
    "|dublin|cork|berlin|munich|münchen|hamburg|frankfurt|cologne|köln|stuttgart|düsseldorf"
    "|paris|lyon|madrid|barcelona|valencia|lisbon|porto|rome|milan|amsterdam|rotterdam|utrecht"
    "|eindhoven|the hague|brussels|antwerp|zurich|zürich|geneva|basel|vienna|copenhagen"
    "|stockholm|gothenburg|oslo|helsinki|warsaw|krakow|kraków|wroclaw|wrocław|gdansk|gdańsk|poznan"
    "|poznań|lodz|łódź|katowice|prague"
    "|brno|budapest|bucharest|cluj-napoca|sofia|athens|zagreb|belgrade|tallinn|riga|vilnius"
    "|kyiv|istanbul|tel aviv|dubai|abu dhabi|cairo|lagos|nairobi|cape town|johannesburg"
    "|bangalore|bengaluru|mumbai|pune|hyderabad|chennai|delhi|new delhi|gurgaon|gurugram|noida"
    "|kolkata|ahmedabad|singapore|kuala lumpur|jakarta|manila|ho chi minh city|bangkok|tokyo"
    "|osaka|seoul|beijing|shanghai|shenzhen|hong kong|taipei|sydney|melbourne|brisbane|perth"
    "|adelaide|auckland|wellington|toronto|vancouver|montreal|montréal|ottawa|calgary|waterloo"
    "|mexico city|guadalajara|são paulo|sao paulo|rio de janeiro|buenos aires|santiago|bogotá"
    "|bogota|medellín|medellin|lima|montevideo|new york|new york city|nyc|san francisco|sf"
    "|bay area|san jose|palo alto|mountain view|menlo park|sunnyvale|oakland|los angeles|la"
    "|san diego|seattle|bellevue|redmond|portland|austin|dallas|houston|san antonio|denver"
    "|boulder|chicago|boston|cambridge|atlanta|miami|raleigh|durham|washington dc|washington"
    "|philadelphia|pittsburgh|phoenix|salt lake city|minneapolis|detroit|nashville|charlotte"
    "|columbus|st. louis|kansas city|las vegas|baltimore|new jersey|brooklyn"
)
MAX_PLACE_WORDS = 24
SHORT_PHRASE = 8
"""``place_in`` weighs the runs of at most this many words, so a long value costs little."""
_KNOWN = frozenset(
    part for group in (_COUNTRIES, _REGIONS, _US_STATES, _CITIES) for part in group.split("|")
)
_STATE_CODE_SET = frozenset(_STATE_CODES.split("|"))
_AREA_RE = re.compile(r"(?:greater )?[A-Z][\w .'-]{1,40} (?:area|metropolitan area|region)", re.I)
_PART_SPLIT_RE = re.compile(r"\s*(?:,|/|;|\||\bor\b|&|\band\b|\+)\s*")
_ZIP_RE = re.compile(r"\s+(?:\d{5}(?:-\d{4})?|[A-Z]\d[A-Z] ?\d[A-Z]\d|\d{4,6})$")
_TOWN_RE = re.compile(r"[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}")
"""A capitalised town name in any script's letters ("Gdańsk", "Łódź", "Zürich")."""
_LEGAL_FORMS = ("Inc", "Ltd", "LLC", "GmbH", "Corp", "Corporation", "Limited", "PLC", "BV", "B.V",
                "Pty", "AG", "SA", "Oy", "AB")  # fmt: skip
_REGION_CODES = frozenset({"AG", "SA", "Oy", "AB"})
"""Legal forms that are also a place's code ("Calgary, AB", "Adelaide, SA")."""
_BUSINESS_WORDS = ("labs?", "technologies", "solutions", "group", "software", "systems",
                   "studios?", "ventures", "holdings")  # fmt: skip
COMPANY_SUFFIX_RE = re.compile(rf"(?:{'|'.join(re.escape(form) for form in _LEGAL_FORMS)})\.?,?")
"""The legal-form word that ends a company's name ("Acme Inc.", "Globex GmbH")."""
_COMPANY_WORD_RE = re.compile(
    rf"\b(?:{'|'.join(re.escape(form) for form in _LEGAL_FORMS if form not in _REGION_CODES)}"
    rf"|{'|'.join(_BUSINESS_WORDS)})\b\.?",
    re.I,
)
"""A word of a company's name that no place has ("Acme Labs", "Globex GmbH")."""

_HYBRID_RE = re.compile(
    r"\bhybrid\b(?!\s+(?:cloud|apps?|mobile|search|infrastructure|environments?|systems?"
    r"|architectures?|deployments?|models? of))",
    re.IGNORECASE,
)
_ONSITE_RE = re.compile(
    r"\b(?:on[- ]?site|onsite|in[- ]office|office[- ]based|in[- ]person|not remote|no remote)\b",
    re.IGNORECASE,
)
_REMOTE_RE = re.compile(
    r"\b(?:remote|remotely|wfh|work from home|work from anywhere|home[- ]based)\b", re.IGNORECASE
)
_WORKPLACE_WORDS = (
    r"(?:fully |100% |temporarily |hybrid )?remote(?:[- ](?:first|friendly|only))?|hybrid(?: work)?"
    r"|on[- ]?site|onsite|in[- ]office|office[- ]based|in[- ]person|wfh|work from home"
)
_PAREN_WORKPLACE_RE = re.compile(
    r"\((?=[^()]*\b(?:hybrid|remote|on[- ]?site|onsite|in[- ]office|office|days?)\b)[^()]{0,60}\)",
    re.IGNORECASE,
)
_LEADING_WORKPLACE_RE = re.compile(
    rf"^(?:{_WORKPLACE_WORDS})\b[ ]*(?:in|from|within|based in|[-–—:,|/·])?[ ]*", re.IGNORECASE
)
# "(occasional travel to Leeds)", "UK-based": notes about the place, not the place.
_NOTE_RE = re.compile(r"(?<=\S)[ ]*\([^()]*\)?$|[ ]*\((?=[^()]*\b[a-z]{3,})[^()]*\)?$|-[Bb]ased\b")
_OR_REMOTE_RE = re.compile(
    r"[ ]*(?:\bor\b|/|\|)[ ]*(?:fully )?remote(?:[ ]*\([^()]{0,30}\))?[ ]*$", re.IGNORECASE
)
_TRAILING_WORKPLACE_RE = re.compile(
    # \b: "Austin office" ends in "in office" only for a reader that cannot see words.
    rf"[ ]*(?:[-–—,|/·]|\bor\b)?[ ]*\(?\b(?:{_WORKPLACE_WORDS})\)?$",
    re.IGNORECASE,
)


def workplace_of(text: str) -> str | None:
    """ "hybrid", "onsite" or "remote" as the text states it; hybrid wins over the others."""
    if _HYBRID_RE.search(text):
        return "hybrid"
    if _ONSITE_RE.search(text):
        return "onsite"
    if _REMOTE_RE.search(text):
        return "remote"
    return None


def clean_location(text: str) -> str:
    """The place alone: "Berlin, Germany (Hybrid)" -> "Berlin, Germany"; "Remote (US)" -> "US".

    A bare "Remote" stays "Remote": it is where the job is.
    """
    place = _OR_REMOTE_RE.sub("", text)
    place = _PAREN_WORKPLACE_RE.sub("", place).strip()
    for _ in range(2):
        place = _LEADING_WORKPLACE_RE.sub("", place).strip()
        place = _TRAILING_WORKPLACE_RE.sub("", place).strip()
    place = _NOTE_RE.sub("", place).strip()
    place = _ZIP_RE.sub("", place).strip(" ,;:-–—|/·()[]")
    if not place and _REMOTE_RE.search(text):
        return "Remote"
    return place


def looks_like_location(text: str) -> bool:
    """True for a line that is only a place, possibly with a workplace word."""
    if len(text) > 80:
        return False
    if _REMOTE_RE.search(text) or _HYBRID_RE.search(text) or _ONSITE_RE.search(text):
        place = clean_location(text)
        return place == "Remote" or not place or _is_place(place)
    return _is_place(clean_location(text))


def place_in(text: str) -> str | None:
    """The place a longer value opens with ("Seguin, Texas - On-site position with 2nd
    shift schedule") or a short phrase ends with ("Commutable distance from Wilmington,
    NC"); None when it names none there. The longest run wins. A sentence states its place
    first: the last word of one ("... must work PST") is not where the job is."""
    words = text.split()[:MAX_PLACE_WORDS]
    runs = [words[:size] for size in range(len(words), 0, -1)]
    if len(words) <= SHORT_PHRASE:
        runs += [words[-size:] for size in range(len(words) - 1, 0, -1)]
    for run in runs:
        place = " ".join(run).strip(" ,.;:-–—")
        # "Hybrid - 3 days in our Austin office": a workplace word alone is no place.
        if place and looks_like_location(place) and clean_location(place):
            return place
    return None


def _is_place(place: str) -> bool:
    if not place or _COMPANY_WORD_RE.search(place) or any(c.isdigit() for c in place):
        return False
    if _AREA_RE.fullmatch(place):
        return True
    parts = [part for part in _PART_SPLIT_RE.split(place) if part]
    if not parts or len(parts) > 6:
        return False
    known = [_known(part) for part in parts]
    if all(known):
        return True
    # "Sydney NSW", "Austin TX": a town and a state code without a comma.
    town, _, code = place.rpartition(" ")
    if code in _STATE_CODE_SET and _TOWN_RE.fullmatch(town) and len(parts) == 1:
        return True
    # "Bozeman, MT", "Leipzig, Germany": an unknown town before a known region.
    commas = [part.strip() for part in place.split(",")]
    return (
        2 <= len(commas) <= 3
        and _known(commas[-1])
        and all(_TOWN_RE.fullmatch(part) for part in commas[:-1])
    )


def _known(part: str) -> bool:
    return part.lower().strip(". ") in _KNOWN or part.strip(".") in _STATE_CODE_SET


_DOLLARS = (
    ("CAD", re.compile(r"\b(?:canada|ontario|quebec|british columbia|alberta|toronto|vancouver"
                       r"|montr[eé]al|ottawa|calgary|waterloo|ON|QC|BC|AB)\b", re.IGNORECASE)),
    ("AUD", re.compile(r"\b(?:australia|sydney|melbourne|brisbane|perth|adelaide|NSW|VIC|QLD)\b",
                       re.IGNORECASE)),
    ("NZD", re.compile(r"\b(?:new zealand|auckland|wellington)\b", re.IGNORECASE)),
    ("SGD", re.compile(r"\bsingapore\b", re.IGNORECASE)),
    ("HKD", re.compile(r"\bhong kong\b", re.IGNORECASE)),
)  # fmt: skip


def dollar_currency(place: str | None) -> str:
    """What a bare "$" means for a job in this place: USD unless the place says otherwise."""
    for code, pattern in _DOLLARS:
        if place and pattern.search(place):
            return code
    return "USD"
