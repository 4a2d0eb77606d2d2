"""Numbers a client may send, bounded: paging, positions and versions.

Every integer from outside has an upper bound, so a hostile value such as
``offset=9223372036854775808`` is a 422 naming the bound, never an overflow in
the database driver. Versions in a body are strict integers: ``"1"`` and
``true`` are refused rather than guessed at.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000
"""Far past any real list; a deeper page is a sign of a scraper or a bug."""
MAX_POSITION = 2**53 - 1
"""Event positions stay exact in every JSON client (JavaScript's safe integers)."""
MAX_VERSION = 2**31 - 1

Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="Items to skip")]
Position = Annotated[int, Field(ge=0, le=MAX_POSITION)]
Version = Annotated[int, Field(ge=1, le=MAX_VERSION)]
ExpectedVersion = Annotated[
    int | None,
    Field(
        default=None,
        ge=1,
        le=MAX_VERSION,
        strict=True,
        description="The version this write expects (as If-Match); a stale one is a 409",
    ),
]


class PageQuery(BaseModel):
    """``limit`` and ``offset`` of every list (the contract's paging)."""

    limit: int = Field(default=20, ge=1, le=MAX_LIMIT)
    offset: Offset = 0
