"""``Idempotency-Key``: a retried create answers what the first one did.

Every POST that creates something (a 201 route) accepts the header. The first
request with a key reserves it; its successful answer is kept for 24 hours
and replayed, byte for byte, to any retry with the same key and the same
body. The same key with a different body is a 422 ``idempotency_key_reused``.
Failed answers are not kept, so a corrected retry goes through. Keys are
scoped to the caller (or to "anonymous" before login).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import orjson
from aiohttp import web
from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from jobwise.domain.errors import DomainError, InvalidInput, InvalidRequest, RuleViolation
from jobwise.domain.events import utc_now
from jobwise.entrypoints.http.auth import CURRENT_USER

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(hours=24)
_WAIT_FOR_FIRST_SECONDS = 15.0
_SANE_KEY = re.compile(r"[\x21-\x7e]{1,255}")
Produce = Callable[[], Awaitable[web.StreamResponse]]


COLLECTION = "idempotency_keys"


class IdempotencyKeyReused(InvalidInput):
    code = "idempotency_key_reused"
    message = "This Idempotency-Key was used with a different request body."

    def __init__(self) -> None:
        # No one field is at fault: the whole body differs from the first request's.
        DomainError.__init__(self)
        self.problems = []


class IdempotentRequests:
    def __init__(self, records: AsyncCollection[Any]) -> None:
        self._records = records

    async def ensure_indexes(self) -> None:
        await self._records.create_indexes(
            [
                IndexModel(
                    [("created_at", ASCENDING)],
                    name="expiry",
                    expireAfterSeconds=int(KEEP_FOR.total_seconds()),
                ),
            ]
        )

    async def run(self, request: web.Request, produce: Produce) -> web.StreamResponse:
        key = request.headers.get(HEADER)
        if key is None:
            return await produce()
        if not _SANE_KEY.fullmatch(key):
            raise InvalidRequest(
                "Idempotency-Key must be 1 to 255 visible ASCII characters.",
                code="invalid_idempotency_key",
            )
        user = request.get(CURRENT_USER)
        scope = user.user_id if user is not None else "anonymous"
        record_id = _digest(scope, request.method, request.path, key)
        fingerprint = _digest(canonical_body(await request.read()))
        stored = await self._reserve(record_id, fingerprint)
        if stored is not None:
            return _replay(stored, fingerprint)
        try:
            response = await produce()
        except BaseException:
            await self._records.delete_one({"_id": record_id, "state": "pending"})
            raise
        await self._keep(record_id, response)
        return response

    async def _reserve(self, record_id: str, fingerprint: str) -> dict[str, Any] | None:
        """None when this request is the first with its key; else the first one's record."""
        try:
            await self._records.insert_one(
                {
                    "_id": record_id,
                    "fingerprint": fingerprint,
                    "state": "pending",
                    "created_at": utc_now(),
                }
            )
            return None
        except DuplicateKeyError:
            pass
        loop = asyncio.get_running_loop()
        deadline = loop.time() + _WAIT_FOR_FIRST_SECONDS
        while True:  # the first request may still be running: wait for its answer
            record: dict[str, Any] | None = await self._records.find_one({"_id": record_id})
            if record is None:  # it failed and let the key go: this one is first now
                return await self._reserve(record_id, fingerprint)
            if record["state"] == "done" or record["fingerprint"] != fingerprint:
                return record
            if loop.time() > deadline:
                raise RuleViolation(
                    "A request with this Idempotency-Key is still in progress.",
                    code="idempotency_key_in_progress",
                )
            await asyncio.sleep(0.05)

    async def _keep(self, record_id: str, response: web.StreamResponse) -> None:
        if not 200 <= response.status < 300 or not isinstance(response, web.Response):
            await self._records.delete_one({"_id": record_id})
            return
        body = response.body if isinstance(response.body, bytes) else b""
        await self._records.update_one(
            {"_id": record_id},
            {
                "$set": {
                    "state": "done",
                    "status": response.status,
                    "body": body,
                    "content_type": response.content_type,
                    "location": response.headers.get("Location"),
                }
            },
        )


def _replay(record: dict[str, Any], fingerprint: str) -> web.Response:
    if record["fingerprint"] != fingerprint:
        raise IdempotencyKeyReused()
    response = web.Response(
        status=record["status"], body=record["body"], content_type=record["content_type"]
    )
    if record.get("location"):
        response.headers["Location"] = record["location"]
    response.headers["Idempotent-Replayed"] = "true"
    return response


def canonical_body(raw: bytes) -> bytes:
    """The body as what it means: the same JSON re-serialised with other whitespace or
    key order is the same request. A body that is not JSON is compared byte for byte."""
    try:
        return orjson.dumps(orjson.loads(raw), option=orjson.OPT_SORT_KEYS)
    except (ValueError, TypeError, RecursionError):  # not JSON, or JSON orjson cannot hold
        return raw


def _digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else part.encode())
        hasher.update(b"\0")
    return hasher.hexdigest()


IDEMPOTENCY = web.AppKey("idempotency", IdempotentRequests)
