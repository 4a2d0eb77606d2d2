"""The heading phrases of job postings, by the kind of section they open.

``STRICT`` patterns must match a heading's whole key (lower-case words only, see
``headings.heading_key``); ``LOOSE`` patterns are searched for inside heading-shaped
lines, strong words of every kind before the weak ones.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Kind(StrEnum):
    PREAMBLE = "preamble"
    REQUIRED = "required"
    PREFERRED = "preferred"
    RESPONSIBILITIES = "responsibilities"
    BENEFITS = "benefits"
    ABOUT_COMPANY = "about_company"
    ABOUT_ROLE = "about_role"
    OTHER = "other"


_YOU_LL = r"you ?(?:ll|will|would|d)"
_WE_RE = r"we ?(?:re|are)"

STRICT: dict[Kind, str] = {
    Kind.PREFERRED: (
        r"(?:(?:the|some) )?(?:nice|good|great|lovely) to haves?(?: skills| qualifications"
        r"| requirements| but not required)?"
        r"|(?:preferred|desired|desirable|additional|optional|bonus|extra|plus) (?:qualifications?"
        r"|skills?|experience|requirements?|criteria|knowledge|competencies|points?)"
        r"(?: and (?:experience|skills|qualifications))?"
        r"|preferred|desired|desirable|bonus(?:es)?|bonus points?(?: if you have| for)?|plus"
        r"|pluses|plusses|(?:it s |its )?a (?:big )?plus|extra (?:credit|points)|brownie points"
        r"|(?:it would be |it d be |would be )?(?:nice|great|a bonus|a plus) if you(?: also)?"
        r" (?:have|had|bring)|bonus if you(?: also)? (?:have|had|bring)"
        r"|even better(?: if you have)?"
        r"|ideally(?: you| you have| you ll have| you also have)?|what would make you stand out"
        rf"|(?:{_YOU_LL} )?stand out if you(?: have)?|what sets you apart|you might also have"
        r"|not required but (?:nice|a plus|helpful)|optional"
    ),
    Kind.BENEFITS: (
        r"(?:our |the |employee |your |key |additional )?(?:benefits|perks)"
        r"(?: and (?:perks|benefits|compensation))?|compensation(?: and benefits)?"
        r"|(?:salary|pay|benefits) and (?:benefits|compensation)|(?:total )?rewards"
        r"|what (?:we|we can) offer(?: you)?|we offer|(?:our|the) offer|what s in it for you"
        rf"|whats in it for you|what (?:{_YOU_LL} )?get(?: in return)?|in return(?: we offer"
        rf"| {_YOU_LL} get)?|why join(?: us)?|why work (?:with|for|at) us"
        rf"|why {_YOU_LL} love (?:it here|working here|working with us|us)|why us"
        r"|(?:the |our )?package|what we provide|we provide|what s on offer|on offer|working here"
        r"|what we give you"
    ),
    Kind.RESPONSIBILITIES: (
        r"(?:(?:key|main|primary|core|your|job|role|the|principal|major|general) ){0,2}"
        r"(?:roles? and )?(?:responsibilities|duties)(?: and (?:duties|responsibilities"
        r"|accountabilities))?|(?:during|in) (?:your|the|this) (?:internship|role|job|position)"
        rf"(?: {_YOU_LL})?"
        rf"|what (?:{_YOU_LL}|you) (?:do|be doing|work on|be working on|own|achieve)(?: here)?"
        r"|what youll do|(?:your |the |main |key )?tasks|(?:your |the )?mission|(?:the |your )?role"
        r"|role and responsibilities|the job|the work|what the (?:job|role) involves"
        rf"|what this role involves|in this role(?: {_YOU_LL})?|(?:a )?day in the life"
        r"|(?:your |the )?day to day(?: responsibilities)?|(?:your )?impact"
        rf"|the impact {_YOU_LL} have|(?:key )?accountabilities|{_YOU_LL}"
        rf"|how {_YOU_LL} (?:contribute|make an impact|spend your time)"
        rf"|what {_YOU_LL} be responsible for|{_YOU_LL} be responsible for|your contribution"
        r"|the challenge|your challenges|scope(?: of (?:work|the role))?"
    ),
    Kind.REQUIRED: (
        r"(?:(?:key|basic|minimum|min|required|essential|core|technical|mandatory|general|job"
        r"|role|candidate|position|your|the|our|main|must have|skill) )?(?:requirements?"
        r"|qualifications?)(?: for the role)?"
        r"|(?:requirements|qualifications|skills|experience|education|knowledge) and "
        r"(?:qualifications|requirements|experience|skills|education|expertise|abilities)"
        r"|knowledge skills and abilities"
        r"|(?:required|essential|key|core|technical|relevant|your|must have) (?:skills|experience"
        r"|competencies|criteria|knowledge)(?: and (?:experience|skills|qualifications"
        r"|competencies|knowledge))?"
        r"|skills|experience|competencies|skill ?set|(?:your |candidate |ideal )?profile"
        r"|(?:the )?ideal candidate(?: will have| has| is)?|must haves?(?: skills)?"
        r"|(?:the )?essentials"
        r"|(?:essential|required) criteria|you (?:have|are|bring|need|must have|should have)"
        r"|essential|(?:the )?person specification|(?:key )?selection criteria"
        r"|speciali[sz]ed experience(?: requirements?)?|ksas?|minimum (?:education|experience)"
        r"|(?:required )?knowledge skills and abilities(?: ksas?)?|basic requirements"
        r"|what you ll need to succeed|qualifications and skills|eligibility(?: requirements)?"
        rf"|{_YOU_LL} (?:have|need|bring)|you re|about you|who you are|who you ll be|is this you"
        rf"|who (?:{_WE_RE}|were) looking for|what you (?:have|need|bring)(?: to the (?:table|team"
        rf"|role))?(?: to succeed)?|what {_YOU_LL} (?:need|bring)(?: to (?:succeed|be successful"
        rf"|the (?:table|team|role)))?|what (?:{_WE_RE}|were) looking for(?: in you)?"
        rf"|(?:{_WE_RE}|were) looking for|what we need(?: from you)?|what we expect(?: from you)?"
        r"|what it takes|to be successful(?: in this role)?(?: you will (?:need|have))?"
        rf"|{_YOU_LL} thrive if(?: you have)?|are you|your (?:background|experience|qualifications"
        r"|skills)|(?:skills|experience|qualifications) required|desired (?:candidate )?profile"
        r"|what (?:they|the client|our client)(?: re| are)? (?:need|looking for|want)"
        r"|what we hope you (?:have|bring)"
    ),
    Kind.ABOUT_COMPANY: (
        r"about (?:us|the company|our company|the organi[sz]ation|the business|the team)"
        r"|who we are|who are we|our (?:company|story|mission|team)|the (?:company|team|business)"
        r"|company(?: overview| description| profile| information| info)?|meet the team"
        r"|our mission and values"
    ),
    Kind.ABOUT_ROLE: (
        r"about (?:the|this) (?:job|role|position|opportunity)(?: description)?"
        r"|(?:the )?opportunity|(?:job|role|position) (?:description|summary|overview|purpose"
        r"|profile)|overview|summary|description|full job description|the position"
        r"|intro(?:duction)?"
        rf"|job brief|the gig|what (?:{_WE_RE}|were) building|the project"
    ),
    Kind.OTHER: (
        r"(?:job |key |additional )?details|additional (?:information|info)|other information"
        r"|how to apply|to apply|(?:the |our )?(?:application|interview|hiring|recruitment) process"
        r"|next steps|equal (?:employment )?opportunit(?:y|ies)(?: employer| statement)?"
        r"|eeo(?: statement)?|diversity(?: equity)?(?: and inclusion)?|dei|(?:our )?values"
        r"|(?:our )?culture|locations?|work location|schedule|shift(?: and schedule)?"
        r"|(?:working )?hours|job type|pay|salary|notes?|disclaimer|(?:our )?(?:tech )?stack"
        r"|the stack|technologies|our technology|tools|(?:profile|skills|hiring) insights|legal"
        r"|privacy|(?:reasonable )?accommodations|(?:visa )?sponsorship|start date|contact(?: us)?"
        r"|questions|faq|more info(?:rmation)?|important information|please note"
        r"|(?:closing|application) (?:date|deadline)|deadline|(?:job )?reference"
        r"|travel(?: requirements?)?|work schedule|supervisory status|number of vacancies"
        r"|appointment type|(?:security )?clearance(?: requirements?)?|job title"
        r"|official title(?: in usajobs)?"
    ),
}
STRICT_RE = {kind: re.compile(pattern) for kind, pattern in STRICT.items()}
INLINE_KINDS = (Kind.PREFERRED, Kind.BENEFITS, Kind.RESPONSIBILITIES, Kind.REQUIRED)

# Loose matching for heading-shaped lines: strong words of every kind first, then weak ones.
LOOSE: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (
        Kind.PREFERRED,
        re.compile(
            r"\b(?:nice to haves?|preferred|desir(?:ed|able)|bonus|a plus|pluses|good to have"
            r"|ideally|stand out|extra credit)\b"
        ),
    ),
    (Kind.BENEFITS, re.compile(r"\b(?:benefits?|perks?|we offer|in it for you)\b")),
    (
        Kind.RESPONSIBILITIES,
        re.compile(
            rf"\b(?:responsibilit\w*|duties|tasks|{_YOU_LL} (?:do|be doing|work on)|day to day)\b"
        ),
    ),
    (
        Kind.REQUIRED,
        re.compile(
            rf"\b(?:requirements?|qualifications?|must haves?|skills|experience|you bring"
            rf"|{_YOU_LL} bring|you have|you need|{_YOU_LL} need|looking for|about you"
            r"|who you are|profile|expertise|competenc\w*)\b"
        ),
    ),
    (Kind.RESPONSIBILITIES, re.compile(rf"\b(?:role|mission|impact|{_YOU_LL})\b")),
    (Kind.BENEFITS, re.compile(r"\b(?:offer|compensation|rewards|package|why)\b")),
    (Kind.ABOUT_ROLE, re.compile(r"\b(?:opportunity|overview|summary|description|job)\b")),
    (Kind.ABOUT_COMPANY, re.compile(r"\b(?:about|company|who we are|team|story)\b")),
)

# A plain colon line ending in "with" or "of" is a lead-in unless it names a section.
LEAD_IN_OK = re.compile(
    rf"\b(?:looking for|{_YOU_LL}|you (?:have|bring|need)|we offer|responsibilit|requirement"
    r"|qualification|nice to have|bonus|plus)"
)
