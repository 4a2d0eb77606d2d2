"""Which paper a document is printed on: US Letter in the United States and Canada, A4
everywhere else.

The place is read from free text: the job's location as the posting writes it first,
then the candidate's own; the first that names a recognisable place decides. When
neither does, the paper is Letter (what every document was printed on before).

A location may name several places. Alternatives ("London or New York", "US/Canada",
"Remote - US or UK") are read in order and the first that names a place decides.
Within one alternative the broadest place wins: a country over a state or province,
a state over a city ("London, Ontario" is Canadian, "London, UK (travel to New York)"
British), and of two of the same rank the later one, as "Town, Region" reads.

Codes count only after a comma or at the end ("Austin, TX", "Sydney NSW", "Melbourne, AU"
as a profile's ``countryCode`` is written); "US", "USA" and "UK" count anywhere ("Remote
(US)"). A US state's code that is also a country's ("Berlin, DE", "Bangalore, IN")
yields to a foreign city named with it, unless a well-known US town has that city's name
("Athens, GA", "Cambridge, MA"). It is a rule of thumb, not a geocoder: small, and tested
on the locations of the postings in ``tests/data`` (``tests/unit/rendering/test_page_size.py``).

The length model (``jobwise.domain.writing.length``) is calibrated on Letter and needs no
paper: A4 is 0.7 in taller and 0.2 in narrower, so what fits a Letter page fits an A4 one
(``tests/integration/rendering/test_page_size.py`` prints the proof).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from jobwise.adapters.rendering.formats import PageSize

PageSizeChoice = Literal["auto", "a4", "letter"]
"""What a user may ask for: a size, or ``auto`` (the rule of this module)."""

COUNTRY, STATE, CITY = 3, 2, 1
"""Ranks of the places a location names: the broadest one decides."""

_LETTER_COUNTRIES = "united states|united states of america|u.s.|u.s.a.|usa|north america|canada"
_A4_COUNTRIES = (
    "united kingdom|great britain|britain|england|scotland|wales|northern ireland|ireland"
    "|germany|deutschland|france|spain|portugal|italy|netherlands|the netherlands|belgium"
    "|luxembourg|switzerland|austria|denmark|sweden|norway|finland|iceland|poland|czechia"
    "|czech republic|slovakia|hungary|romania|bulgaria|greece|croatia|serbia|slovenia"
    "|estonia|latvia|lithuania|ukraine|turkey|israel|uae|united arab emirates|saudi arabia"
    "|qatar|egypt|nigeria|kenya|south africa|morocco|india|pakistan|bangladesh|sri lanka"
    "|singapore|malaysia|indonesia|philippines|vietnam|thailand|japan|south korea|korea"
    "|china|hong kong|taiwan|australia|new zealand|mexico|brazil|argentina|chile|colombia"
    "|peru|uruguay|costa rica|europe|eu|european union|emea|eea|dach|nordics|benelux"
    "|apac|asia|africa|middle east|latam|latin america|south america"
)
_LETTER_STATES = (
    "alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida"
    "|georgia|hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland"
    "|massachusetts|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada"
    "|new hampshire|new jersey|new mexico|new york state|north carolina|north dakota|ohio"
    "|oklahoma|oregon|pennsylvania|rhode island|south carolina|south dakota|tennessee|texas"
    "|utah|vermont|virginia|washington|west virginia|wisconsin|wyoming|district of columbia"
    "|ontario|quebec|british columbia|alberta|manitoba|saskatchewan|nova scotia"
    "|new brunswick|newfoundland|prince edward island|yukon"
)
_A4_STATES = (
    "new south wales|victoria|queensland|western australia|south australia|tasmania"
    "|bavaria|bayern|berlin-brandenburg|catalonia|karnataka|maharashtra|telangana"
    "|tamil nadu|haryana|county dublin|greater london"
)
_LETTER_CITIES = (
    "new york|new york city|nyc|brooklyn|manhattan|san francisco|bay area|silicon valley"
    "|san jose|palo alto|mountain view|menlo park|sunnyvale|oakland|los angeles|san diego"
    "|seattle|bellevue|redmond|portland|austin|dallas|houston|san antonio|denver|boulder"
    "|chicago|boston|atlanta|miami|raleigh|philadelphia|pittsburgh|phoenix|salt lake city"
    "|minneapolis|detroit|nashville|charlotte|st. louis|kansas city|las vegas|baltimore"
    "|indianapolis|washington dc|toronto|vancouver|montreal|montréal|ottawa|calgary"
    "|edmonton|waterloo|kitchener|winnipeg|halifax|quebec city|mississauga"
)
_A4_CITIES = (
    "london|manchester|birmingham|leeds|bristol|edinburgh|glasgow|cambridge|oxford|belfast"
    "|dublin|cork|berlin|munich|münchen|hamburg|frankfurt|cologne|köln|stuttgart"
    "|düsseldorf|paris|lyon|nantes|madrid|barcelona|valencia|lisbon|porto|rome|milan"
    "|florence|amsterdam|rotterdam|utrecht|eindhoven|groningen|the hague|brussels|antwerp"
    "|zurich|zürich|geneva|basel|vienna|copenhagen|stockholm|gothenburg|uppsala|oslo"
    "|helsinki|warsaw|krakow|kraków|wroclaw|wrocław|gdansk|gdańsk|prague|budapest"
    "|bucharest|sofia|athens|tallinn|riga|vilnius|kyiv|istanbul|tel aviv|dubai|cairo"
    "|lagos|nairobi|cape town|bangalore|bengaluru|mumbai|pune|hyderabad|chennai|delhi"
    "|new delhi|gurgaon|gurugram|noida|kuala lumpur|jakarta|manila|bangkok|tokyo|osaka"
    "|seoul|beijing|shanghai|shenzhen|taipei|sydney|melbourne|brisbane|perth|adelaide"
    "|auckland|wellington|mexico city|são paulo|sao paulo|buenos aires|bogotá|bogota"
)
_US_NAMESAKES = frozenset({"athens", "birmingham", "cambridge", "florence", "paris", "rome"})
"""Foreign cities a US town shares its name with: a code after them is believed."""

_LETTER_CODES = (
    "AK|CT|DC|D.C.|FL|HI|IA|KS|KY|LA|MI|MO|MS|NC|ND|NH|NJ|NM|NV|NY|OH|OK|OR|RI|TX|UT"
    "|VT|WI|WV|WY|CA|ON|QC|BC|AB|MB|SK|NS|NB|NL|PE"
)
_AMBIGUOUS_CODES = "AL|AR|AZ|CO|DE|GA|ID|IL|IN|MA|MD|ME|MN|MT|NE|PA|SC|SD|TN|VA|WA"
"""US states whose code is also a country's or an Australian state's ("Berlin, DE" is
German, "Bangalore, IN" Indian, "Perth, WA" Australian)."""
_A4_CODES = (
    "GB|IE|FR|ES|PT|IT|NL|BE|LU|CH|AT|DK|SE|NO|FI|IS|PL|CZ|SK|HU|RO|BG|GR|HR|SI|EE|LV|LT|UA"
    "|TR|AE|EG|NG|KE|ZA|PK|BD|LK|SG|MY|PH|VN|TH|JP|KR|CN|HK|TW|AU|NZ|BR|MX|CL|PE|UY|CR"
    "|NSW|VIC|QLD"
)
"""Countries' codes as a profile's ``countryCode`` writes them ("Melbourne, AU"), and
Australian states'."""
_COUNTRY_CODES = {
    **dict.fromkeys(("US", "USA", "U.S.", "U.S.A."), PageSize.LETTER),
    **dict.fromkeys(("UK", "U.K."), PageSize.A4),
}
"""Read anywhere, not only after a comma ("Remote (US)", "UK-based")."""

_ALTERNATIVES_RE = re.compile(r"\s*(?:\bor\b|/|\||;|·|&)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class _Place:
    paper: PageSize
    rank: int
    name: str
    ambiguous: bool = False


def _names(names: str, paper: PageSize, rank: int) -> dict[str, _Place]:
    return {name: _Place(paper, rank, name) for name in names.split("|")}


_NAMED: dict[str, _Place] = {
    **_names(_A4_CITIES, PageSize.A4, CITY),
    **_names(_LETTER_CITIES, PageSize.LETTER, CITY),
    **_names(_A4_STATES, PageSize.A4, STATE),
    **_names(_LETTER_STATES, PageSize.LETTER, STATE),
    **_names(_A4_COUNTRIES, PageSize.A4, COUNTRY),
    **_names(_LETTER_COUNTRIES, PageSize.LETTER, COUNTRY),
}
_CODED: dict[str, _Place] = {
    **{code: _Place(PageSize.LETTER, STATE, code) for code in _LETTER_CODES.split("|")},
    **{code: _Place(PageSize.A4, STATE, code) for code in _A4_CODES.split("|")},
    **{code: _Place(PageSize.LETTER, STATE, code, True) for code in _AMBIGUOUS_CODES.split("|")},
}


def _alternation(names: Iterable[str]) -> str:
    # Longest first, so "new south wales" is read before "wales", "new mexico" before
    # "mexico".
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


_NAME_RE = re.compile(rf"(?<![\w.])(?:{_alternation(_NAMED)})(?![\w])", re.IGNORECASE)
_CODE_RE = re.compile(
    rf"(?:(?<=,)|(?<=, )|(?<=\w )|^)({_alternation(_CODED)})"
    r"(?=\s*(?:\d{5}(?:-\d{4})?)?\s*(?:$|[,;()|·-]|\s+-))"
)
"""A code after a comma or a word, closing its part of the location ("Austin, TX 78701")."""
_COUNTRY_CODE_RE = re.compile(rf"(?<![\w.])(?:{_alternation(_COUNTRY_CODES)})(?![\w])")


def paper_of(location: str | None) -> PageSize | None:
    """Letter for a place in the United States or Canada, A4 for any other place we
    know, None when the text names no place we know ("Remote", "Anywhere")."""
    if not location:
        return None
    for alternative in _ALTERNATIVES_RE.split(location):
        place = _broadest(_places_in(alternative))
        if place is not None:
            return place.paper
    return None


def page_size_for(
    job_location: str | None,
    candidate_location: str | None,
    choice: PageSizeChoice = "auto",
) -> PageSize:
    """The paper to print on: the user's choice, else the job's place, else the
    candidate's, else Letter."""
    if choice != "auto":
        return PageSize(choice)
    return paper_of(job_location) or paper_of(candidate_location) or PageSize.LETTER


def _places_in(text: str) -> list[_Place]:
    """The places ``text`` names, in the order it names them."""
    found: list[tuple[int, _Place]] = []
    for match in _NAME_RE.finditer(text):
        # Matched without case, so looked up in lower case; a letter whose lower case is
        # two ("İstanbul") is no name we list.
        if (named := _NAMED.get(match.group(0).lower())) is not None:
            found.append((match.start(), named))
    for match in _CODE_RE.finditer(text):
        found.append((match.start(1), _CODED[match.group(1)]))
    for match in _COUNTRY_CODE_RE.finditer(text):
        code = match.group(0)
        found.append((match.start(), _Place(_COUNTRY_CODES[code], COUNTRY, code)))
    return [place for _, place in sorted(found, key=lambda item: item[0])]


def _broadest(places: list[_Place]) -> _Place | None:
    """The place that decides: the broadest, the later of equals; a code that is also
    a country's yields to a foreign city named with it."""
    foreign_city = any(
        p.rank == CITY and p.paper is PageSize.A4 and p.name.casefold() not in _US_NAMESAKES
        for p in places
    )
    counted = [p for p in places if not (p.ambiguous and foreign_city)]
    best: _Place | None = None
    for place in counted:
        if best is None or place.rank >= best.rank:
            best = place
    return best


def document_page_size(document: Mapping[str, Any]) -> PageSize:
    """The paper a stored document was generated on (its ``parameters``); Letter for
    one generated before the paper was chosen."""
    parameters = document.get("parameters") or {}
    return page_size_named(parameters.get("page_size"))


def page_size_named(chosen: str | None) -> PageSize:
    """The paper a document was generated on, by the name it keeps (Letter for a
    document generated before the paper was chosen)."""
    return PageSize(chosen) if chosen in (PageSize.A4, PageSize.LETTER) else PageSize.LETTER
