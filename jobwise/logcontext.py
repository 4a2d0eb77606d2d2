"""What the code running now is working on, for every log line it writes.

The HTTP request-id middleware binds ``request_id`` for the length of a request; the
generation worker binds ``generation_id`` and the ``request_id`` of the request that
asked for the generation for the length of a run, so a generation can be followed
from the API's log into the worker's by one id. The log formatter
(``jobwise.entrypoints.logs``) reads them from here.

A shared module (like ``settings`` and ``tasks``), not part of the entry points'
logging setup: the worker is a process manager in the application layer, which may
not import an entry point, yet it must set what the entry points' formatter writes.
It imports nothing of JobWise. A context variable, not an argument threaded through
every call: tasks created inside a bound block inherit it (``asyncio.create_task``
copies the context), and it is unbound when the block ends.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from types import MappingProxyType

_EMPTY: Mapping[str, str] = MappingProxyType({})
_fields: ContextVar[Mapping[str, str]] = ContextVar("jobwise_log_context", default=_EMPTY)


def log_fields() -> Mapping[str, str]:
    """The fields bound now (empty outside any ``log_context``)."""
    return _fields.get()


@contextlib.contextmanager
def log_context(**fields: str | None) -> Iterator[None]:
    """Bind ``fields`` (on top of those already bound) until the block ends; a None
    value leaves its field as it was."""
    given = {name: value for name, value in fields.items() if value is not None}
    token = _fields.set(MappingProxyType({**_fields.get(), **given}))
    try:
        yield
    finally:
        _fields.reset(token)
