"""Logging setup: JSON lines for machines, readable lines for people.

Every record carries the id of the request it was written for, and a generation
worker's records the generation's id and the id of the request that asked for it,
taken from the log context (``jobwise.logcontext``) the request-id middleware and the
worker bind, so one request can be followed through the log, into the worker's, without
threading the id through every call.
"""

from __future__ import annotations

import json  # only the fallback for what orjson refuses (see JsonFormatter)
import logging
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TextIO

import orjson

from jobwise.logcontext import log_fields
from jobwise.settings import Settings

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD_ATTRS = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys() | {"message", "asctime"}
)
# Never written out even if a caller passes them in ``extra=`` by mistake.
_SECRET_KEYS = frozenset(
    {"authorization", "cookie", "password", "token", "access_token", "refresh_token", "body"}
)
_REDACTED = "[redacted]"
_HANDLER_MARK = "_jobwise_handler"


def configure_logging(settings: Settings, stream: TextIO | None = None) -> None:
    """Install one stderr handler on the root logger (idempotent)."""
    out = stream if stream is not None else sys.stderr
    as_json = settings.log_json if settings.log_json is not None else not _is_tty(out)
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter() if as_json else HumanFormatter())
    handler.addFilter(RepeatLimiter())
    setattr(handler, _HANDLER_MARK, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    # Our access middleware writes one line per request with the request id;
    # aiohttp's own access log would duplicate it without the id.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)


class RepeatLimiter(logging.Filter):
    """Lets through at most ``burst`` records of one kind per ``window`` seconds.

    A kind is the logger, level and message template (not its arguments), so a
    flood of "accept() failed" or "refused a request from %s" lines cannot fill
    the disk; the first record let through after a quiet spell says how many of
    its kind were dropped.
    """

    def __init__(
        self, burst: int = 20, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self._burst, self._window, self._clock = burst, window, clock
        self._kinds: dict[tuple[str, int, str], list[float]] = {}
        """kind -> [window start, records let through, records dropped]"""

    def filter(self, record: logging.LogRecord) -> bool:
        now = self._clock()
        kind = (record.name, record.levelno, str(record.msg))
        state = self._kinds.get(kind)
        if state is None or now - state[0] >= self._window:
            dropped = int(state[2]) if state else 0
            if len(self._kinds) > 10_000:  # a bound on memory, whatever is logged
                self._kinds.clear()
            self._kinds[kind] = [now, 1, 0]
            if dropped:
                record.repeats_dropped = dropped
            return True
        if state[1] < self._burst:
            state[1] += 1
            return True
        state[2] += 1
        return False


def record_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The structured fields of a record: the standard ones, the log context's, then its
    extras (an extra given with the record wins over the context's field of its name)."""
    context = log_fields()
    fields: dict[str, Any] = {
        "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
        "level": record.levelname,
        "logger": record.name,
        "message": record.getMessage(),
        "request_id": getattr(record, "request_id", None) or context.get("request_id"),
    }
    for key, value in context.items():
        fields.setdefault(key, getattr(record, key, None) or value)
    for key, value in vars(record).items():
        if key not in _STANDARD_ATTRS and key not in fields:
            fields[key] = _REDACTED if key.lower() in _SECRET_KEYS else value
    return fields


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = record_fields(record)
        if record.exc_info:
            fields["exception"] = self.formatException(record.exc_info)
        try:
            return orjson.dumps(fields, default=str, option=orjson.OPT_NON_STR_KEYS).decode()
        except orjson.JSONEncodeError:
            # A line is never lost: stdlib json writes what orjson refuses (a lone
            # surrogate in logged text, an integer past 64 bits).
            return json.dumps(fields, default=str, ensure_ascii=False)


class HumanFormatter(logging.Formatter):
    _FIXED = ("timestamp", "level", "logger", "message", "request_id")

    def format(self, record: logging.LogRecord) -> str:
        fields = record_fields(record)
        extras = " ".join(f"{k}={v}" for k, v in fields.items() if k not in self._FIXED)
        rid = fields["request_id"] or "-"
        line = f"{fields['timestamp']} {record.levelname:<7} {record.name} [{rid}] "
        line += str(fields["message"]) + (f" {extras}" if extras else "")
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def _is_tty(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
