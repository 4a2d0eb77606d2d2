"""The live-update WebSocket protocol: what clients send, what they are told, close codes.

Client messages are JSON objects with a ``type``::

    {"type": "auth", "token": "<access token>"}     first (unless ?token=), or to renew
    {"type": "subscribe", "generation_id": "...", "after": 3}   after: the last seq seen
    {"type": "subscribe", "channel": "user"}         every generation of mine
    {"type": "unsubscribe", "generation_id": "..."} / {"type": "unsubscribe", "channel": "user"}
    {"type": "ping"}

Server messages: the generation updates (``generation.progress``,
``generation.completed``, ``generation.failed``), and ``authenticated``,
``subscribed``, ``unsubscribed``, ``pong`` and ``error`` (``{"type": "error",
"error": {"code", "message", "details"}}``, the REST error's shape).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

# Close codes (RFC 6455 ones, and 4000-4999 ours: 4xxx mirrors the HTTP status).
GOING_AWAY = 1001
UNSUPPORTED_DATA = 1003
MESSAGE_TOO_BIG = 1009
TRY_AGAIN_LATER = 1013
UNAUTHORIZED = 4401
AUTH_TIMEOUT = 4408
TOO_MANY_SOCKETS = 4429

MAX_MESSAGE_BYTES = 4096
MAX_SUBSCRIPTIONS = 100
AUTH_SECONDS = 5.0
HEARTBEAT_SECONDS = 30.0
"""A WebSocket ping this often; a client that does not pong within half of it is closed."""
MAX_TOKEN_LENGTH = 4096
GenerationId = Annotated[str, Field(min_length=1, max_length=200)]
Seq = Annotated[int, Field(ge=0, le=2**53)]


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AuthMessage(_Message):
    type: Literal["auth"]
    token: str = Field(min_length=1, max_length=MAX_TOKEN_LENGTH)


class _Target(_Message):
    generation_id: GenerationId | None = None
    channel: Literal["user"] | None = None

    @model_validator(mode="after")
    def _one_target(self) -> _Target:
        if (self.generation_id is None) == (self.channel is None):
            raise ValueError('name exactly one of "generation_id" and "channel"')
        return self


class SubscribeMessage(_Target):
    type: Literal["subscribe"]
    after: Seq = Field(default=0, description="The last seq already seen (0: from the start)")


class UnsubscribeMessage(_Target):
    type: Literal["unsubscribe"]


class PingMessage(_Message):
    type: Literal["ping"]


ClientMessage = Annotated[
    AuthMessage | SubscribeMessage | UnsubscribeMessage | PingMessage,
    Field(discriminator="type"),
]
_CLIENT_MESSAGE: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)
KNOWN_TYPES = ("auth", "subscribe", "unsubscribe", "ping")


class ProtocolError(Exception):
    """A client message the server cannot act on; answered with an ``error``, the socket stays."""

    def __init__(self, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}

    def to_message(self) -> str:
        return error_message(self.code, self.message, self.details)


def parse_client_message(text: str) -> ClientMessage:
    """The message ``text`` holds; ``ProtocolError`` saying what is wrong with it."""
    try:
        data = orjson.loads(text)
    except ValueError:  # orjson.JSONDecodeError is one
        raise ProtocolError("malformed_json", "The message is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ProtocolError("malformed_json", "A message is a JSON object with a type.")
    kind = data.get("type")
    if kind not in KNOWN_TYPES:
        raise ProtocolError(
            "unknown_type",
            "Unknown message type.",
            {"type": kind if isinstance(kind, str) else None, "known": list(KNOWN_TYPES)},
        )
    try:
        return _CLIENT_MESSAGE.validate_python(data)
    except ValidationError as error:
        fields = [
            {"field": ".".join(str(p) for p in e["loc"][1:]) or "message", "message": e["msg"]}
            for e in error.errors(include_url=False, include_input=False)
        ]
        raise ProtocolError(
            "invalid_message", "The message is not valid.", {"fields": fields}
        ) from None


def error_message(code: str, message: str, details: dict[str, Any] | None = None) -> str:
    return _dump(
        {"type": "error", "error": {"code": code, "message": message, "details": details or {}}}
    )


def authenticated_message(user_id: str, expires_at: datetime) -> str:
    return _dump(
        {"type": "authenticated", "user_id": user_id, "expires_at": expires_at.isoformat()}
    )


def subscription_message(kind: str, generation_id: str | None, after: int | None = None) -> str:
    body: dict[str, Any] = {"type": kind}
    if generation_id is None:
        body["channel"] = "user"
    else:
        body["generation_id"] = generation_id
    if after is not None:
        body["after"] = after
    return _dump(body)


PONG = '{"type":"pong"}'


def _dump(message: dict[str, Any]) -> str:
    return orjson.dumps(message).decode()
