"""Every Prometheus series JobWise exports, defined in one place, in one registry.

Where this module lives, and why: series are recorded where things happen, in every
layer but the domain: the event store's appends, PDF renders and language-model calls
(adapters), the generation worker (application), HTTP requests and live connections
(entry points); and they are served by the entry points (``/metrics``). Metrics are a
cross-cutting concern like logging, not an adapter of some port, so this is a shared
module beside ``settings``, ``tasks`` and ``logcontext``: it imports nothing of
JobWise, and any layer may record into it except the domain, which stays free of
I/O and of this library (``tests/architecture/test_layers.py`` holds both rules).

One registry of our own (``REGISTRY``), not ``prometheus_client``'s global one: what
``/metrics`` shows is exactly this list plus the process's own figures (CPU, memory,
descriptors, garbage collection), whatever a library might register globally.

One process, one set of series: each ``jobwise serve`` and each ``jobwise worker``
(``--metrics-port``) exposes its own, and Prometheus scrapes each and adds them up.
No process forks workers that share a port, so ``prometheus_client``'s multiprocess
mode is not needed (nor used).

Labels take bounded values only: a route's pattern (never its path), an HTTP method
from a fixed list, a status class, a projection, a store, a configured model name, an
error kind or code from our own code. Nothing a client sends becomes a label value.
"""

from __future__ import annotations

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
)

# The ``*_created`` timestamp series double the output and no query here uses them.
disable_created_metrics()  # type: ignore[no-untyped-call]  # (the library's, untyped)

REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_RENDER_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0)

# -- HTTP ---------------------------------------------------------------------------------

UNMATCHED_ROUTE = "unmatched"
"""The route label of a request no route matched (404, 405): one label for any path."""
OTHER_METHOD = "OTHER"
"""The method label of a method not in ``HTTP_METHODS`` (``FOO /x`` is answered too)."""
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

HTTP_REQUEST_SECONDS = Histogram(
    "jobwise_http_request_duration_seconds",
    "Time to answer an HTTP request, by route pattern, method and status class "
    "(a live route's is the connection's lifetime).",
    ["route", "method", "status_class"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
HTTP_REQUESTS_IN_FLIGHT = Gauge(
    "jobwise_http_requests_in_flight",
    "HTTP requests being answered now (open live connections included).",
    registry=REGISTRY,
)

# -- the event store and the read models ----------------------------------------------------

EVENT_STORE_APPEND_SECONDS = Histogram(
    "jobwise_event_store_append_duration_seconds",
    "Time from an append's call to its result (queueing, writing, refusals), by store.",
    ["store"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
EVENT_STORE_APPEND_CONFLICTS = Counter(
    "jobwise_event_store_append_conflicts",
    "Appends refused because the stream had moved past the expected version, by store.",
    ["store"],
    registry=REGISTRY,
)
EVENT_STORE_HEAD = Gauge(
    "jobwise_event_store_head_position",
    "The event store's highest position, read when scraped.",
    registry=REGISTRY,
)
PROJECTION_LAG = Gauge(
    "jobwise_projection_lag_events",
    "Events stored that a projection has not applied yet, read when scraped "
    "(as /status computes it; in processes that run projections).",
    ["projection"],
    registry=REGISTRY,
)

# -- the generation worker --------------------------------------------------------------------

GENERATIONS_QUEUED = Gauge(
    "jobwise_generations_queued",
    "Generations pending or generating that no worker holds a live lease on: waiting to "
    "be claimed. Read from the database when scraped: every worker reports the same "
    "figure (take the max, not the sum).",
    registry=REGISTRY,
)
GENERATIONS_RUNNING = Gauge(
    "jobwise_generations_running",
    "Generations this process runs now.",
    registry=REGISTRY,
)
GENERATION_LEASE_TAKEOVERS = Counter(
    "jobwise_generation_lease_takeovers",
    "Generations this process claimed from a worker whose lease expired unreleased "
    "(it died or stalled).",
    registry=REGISTRY,
)
GENERATIONS_COMPLETED = Counter(
    "jobwise_generations_completed",
    "Generations this process ran to a document (completed or needs_review).",
    registry=REGISTRY,
)
GENERATIONS_FAILED = Counter(
    "jobwise_generations_failed",
    "Generations this process ended failed, by error code.",
    ["error_code"],
    registry=REGISTRY,
)

# -- live updates -------------------------------------------------------------------------------

LIVE_CONNECTIONS = Gauge(
    "jobwise_live_connections",
    "Open live-update connections, by transport (websocket, sse).",
    ["transport"],
    registry=REGISTRY,
)

# -- documents and the language model ----------------------------------------------------------

PDF_RENDER_SECONDS = Histogram(
    "jobwise_pdf_render_duration_seconds",
    "Time to render one PDF: printing (fitted to its pages), finishing and checking it.",
    buckets=_RENDER_BUCKETS,
    registry=REGISTRY,
)
LLM_REQUESTS = Counter(
    "jobwise_llm_requests",
    "Completions asked of a language model, by model; the offline writer counts one per "
    'draft as model "offline".',
    ["model"],
    registry=REGISTRY,
)
LLM_TOKENS = Counter(
    "jobwise_llm_tokens",
    "Tokens the language model reported, by model and kind (prompt, completion).",
    ["model", "kind"],
    registry=REGISTRY,
)
LLM_ERRORS = Counter(
    "jobwise_llm_errors",
    "Completions that failed, by model and kind (timeout, rate_limited, unavailable, "
    "bad_response, refused, auth).",
    ["model", "kind"],
    registry=REGISTRY,
)
OFFLINE_MODEL = "offline"


def status_class(status: int) -> str:
    """``"2xx"`` for 200-299, and so on: five label values, not sixty."""
    return f"{min(max(status // 100, 1), 5)}xx"


def method_label(method: str) -> str:
    return method if method in HTTP_METHODS else OTHER_METHOD
