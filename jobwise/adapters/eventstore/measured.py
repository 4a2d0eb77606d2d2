"""Each append timed and each conflict counted, the same way in every store."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

from jobwise.adapters.eventstore.base import ConcurrencyError
from jobwise.metrics import EVENT_STORE_APPEND_CONFLICTS, EVENT_STORE_APPEND_SECONDS


@contextlib.contextmanager
def measured_append(store: str) -> Iterator[None]:
    """Time the block as one append to ``store`` ("mongo", "memory"), whatever its
    outcome: a refusal costs its caller time too. A ``ConcurrencyError`` is counted as
    a conflict (the repository retries it; many of them say streams are contended)."""
    started = time.perf_counter()
    try:
        yield
    except ConcurrencyError:
        EVENT_STORE_APPEND_CONFLICTS.labels(store).inc()
        raise
    finally:
        EVENT_STORE_APPEND_SECONDS.labels(store).observe(time.perf_counter() - started)
