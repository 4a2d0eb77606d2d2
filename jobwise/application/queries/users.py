"""Reading users: what ``GET /auth/me`` and every route's ``current_user`` see."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.domain.events import utc_now
from jobwise.projections.users import USERS


class UserView(BaseModel):
    id: str
    email: str
    full_name: str
    is_active: bool
    is_verified: bool
    subscription_tier: str
    generations_used: int
    generations_limit: int | None
    """None: unlimited (enterprise)."""
    created_at: datetime
    updated_at: datetime


async def get_user(database: AsyncDatabase[Any], user_id: str) -> UserView | None:
    document = await database[USERS].find_one({"_id": user_id})
    return None if document is None else to_view(document)


def to_view(document: dict[str, Any], *, now: datetime | None = None) -> UserView:
    # generations_used counts this calendar month only: a new month starts at zero.
    month = (now or utc_now()).strftime("%Y-%m")
    used = document["generations_used"] if document.get("generations_period") == month else 0
    return UserView(
        id=document["_id"],
        email=document["email"],
        full_name=document["full_name"],
        is_active=document["is_active"],
        is_verified=document["is_verified"],
        subscription_tier=document["subscription_tier"],
        generations_used=used,
        generations_limit=document["generations_limit"],
        created_at=document["created_at"],
        updated_at=document["updated_at"],
    )
