"""Job postings: turn a pasted posting into structured fields and canonical skills."""

from jobwise.domain.postings.models import ParsedKeywords, ParsedPosting, SalaryRange
from jobwise.domain.postings.parser import parse_posting

__all__ = ["ParsedKeywords", "ParsedPosting", "SalaryRange", "parse_posting"]
