"""What every query reads: the read models, and a wait until they include a write."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from jobwise.application.repository import ReadYourWrites


@dataclass(frozen=True, slots=True)
class ReadModels:
    database: AsyncDatabase[Any]
    """The projections' collections (never the event store)."""
    caught_up: ReadYourWrites
    """Returns once the read models include a log position: a query that must see a
    write made elsewhere (a worker's document, say) waits on this, within a bound."""
