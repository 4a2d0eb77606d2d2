"""Wiring: the one place that builds the dependencies and hands them out.

``bootstrap(**overrides)`` builds the command bus: every handler, each dependency
bound by its parameter name. Whatever is not given is the in-process default (the
in-memory event store, rate limits, files and pub/sub, a renderer without Chromium,
no language model), so the fast tests call ``bootstrap()`` and get a whole working
bus; ``open_runtime`` calls it with the real ones.

``open_runtime`` opens everything a JobWise process needs (database, event
store, projections, pub/sub, auth services, the command bus) and closes it in
reverse order. The app factory enters it in ``cleanup_ctx``; the CLI tools
enter it directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from jobwise.adapters.auth.passwords import PasswordHasher
from jobwise.adapters.auth.revocations import RevocationCache
from jobwise.adapters.auth.sessions import LiveSessions
from jobwise.adapters.auth.tokens import TokenService
from jobwise.adapters.eventstore import EventStore
from jobwise.adapters.eventstore.memory import InMemoryEventStore
from jobwise.adapters.eventstore.mongo import MongoEventStore
from jobwise.adapters.eventstore.sealing import SealingEventStore
from jobwise.adapters.key_news import KeyNews
from jobwise.adapters.keys import (
    KEYS_COLLECTION,
    EmailStreams,
    Keyring,
    MasterKey,
    MongoKeyStorage,
    memory_keyring,
)
from jobwise.adapters.llm import LanguageModel, create_language_model
from jobwise.adapters.mongo import connect
from jobwise.adapters.offloop import OffLoop
from jobwise.adapters.pubsub import PubSub, create_pubsub
from jobwise.adapters.pubsub.publisher import UpdatePublisher
from jobwise.adapters.ratelimit import (
    FailureThrottle,
    MemoryFailureThrottle,
    MemoryRateLimiter,
    RateLimiter,
    ThrottlePolicy,
    create_failure_throttle,
    create_rate_limiter,
)
from jobwise.adapters.rendering import BrowserSettings, ChromiumPdfPrinter, Renderer, WarmBrowser
from jobwise.adapters.rendering.exporter import DocumentExporter
from jobwise.adapters.rendering.thumbnails import ThumbnailService
from jobwise.adapters.storage import (
    FileStore,
    GridFSFileStore,
    LocalFileStore,
    MemoryFileStore,
)
from jobwise.application.commands import all_handlers
from jobwise.application.limits import Limits
from jobwise.application.messagebus import CommandBus
from jobwise.application.posting_reader import PostingReader
from jobwise.application.processes import (
    LEASES,
    GenerationRunner,
    GenerationWorker,
    LeaseBook,
    WorkerSettings,
)
from jobwise.application.processes.erasure import AccountEraser, NoViews
from jobwise.application.queries.erasures import unfinished_erasures
from jobwise.application.queries.job_search import JobSearchCache
from jobwise.application.queries.profile_directory import LoggedProfiles, ReadModelProfiles
from jobwise.application.repository import Repository
from jobwise.domain.events import check_upcasters
from jobwise.domain.skills import default_taxonomy
from jobwise.projections import (
    Projection,
    ProjectionRunner,
    Projector,
    ReadModelsLagging,
    all_projections,
)
from jobwise.projections.erasure import ReadModelViews
from jobwise.projections.users import SESSIONS, USERS
from jobwise.settings import Settings, default_of
from jobwise.tasks import cancel_and_wait

log = logging.getLogger(__name__)


def bootstrap(**overrides: Any) -> CommandBus:
    """The command bus with every handler; what ``overrides`` does not name is the
    in-process default. ``store=`` alone gives a repository on that store.

    The defaults, by the name handlers ask for them: ``repository`` (on ``store``,
    an ``InMemoryEventStore``), ``hasher``, ``tokens`` (a random key), ``limiter``,
    ``login_throttle``, ``address_throttle``, ``limits`` (the settings' defaults),
    ``revocations``, ``profile_directory`` (read from the log), ``posting_reader`` (no
    language model), ``offloop``, ``document_exporter`` (no Chromium: every format but
    PDF, files in memory), ``keyring`` and ``email_streams`` (the sealing store's keys,
    in memory), ``account_eraser`` (no read models to remove). A ``store`` that does
    not seal is wrapped in one that does. ``bus.dependencies`` hands them back to a test.
    """
    given = dict(overrides)
    given_store: EventStore = given.pop("store", None) or InMemoryEventStore()
    store = (
        given_store
        if isinstance(given_store, SealingEventStore)
        else SealingEventStore(given_store, memory_keyring())
    )
    made: dict[str, Any] = {}

    def use(name: str, default: Callable[[], Any]) -> Any:
        made[name] = given.pop(name) if name in given else default()
        return made[name]

    use("repository", lambda: Repository(store))
    use("keyring", lambda: store.keyring)
    use("email_streams", lambda: EmailStreams(store.keyring))
    use("hasher", PasswordHasher)
    tokens = use("tokens", lambda: TokenService(secrets.token_urlsafe(48)))
    revocations = use("revocations", lambda: _revocations_in_process(tokens.access_ttl))
    limiter = use("limiter", MemoryRateLimiter)
    use("login_throttle", MemoryFailureThrottle)
    per_address = default_of("login_failures_per_address")
    use("address_throttle", lambda: MemoryFailureThrottle(ThrottlePolicy(max_failures=per_address)))
    use("limits", Limits)
    use("profile_directory", lambda: LoggedProfiles(store))
    use("posting_reader", lambda: PostingReader(default_taxonomy(), None, limiter))
    offloop = use("offloop", OffLoop)
    use("document_exporter", lambda: DocumentExporter(Renderer(offloop=offloop), MemoryFileStore()))
    use(
        "account_eraser",
        lambda: AccountEraser(
            store, store.keyring, NoViews(), revocations.revoke, _nothing, _nothing
        ),
    )
    if given:
        raise TypeError(f"bootstrap does not know {', '.join(sorted(given))}")
    return CommandBus(all_handlers(), {"store": store, **made})


async def _nothing(_: object) -> None:
    """Waiting for read models kept nowhere; telling other processes when there are none."""


def _revocations_in_process(remember_for: timedelta) -> RevocationCache:
    # No sessions collection: with no database there is nothing to catch up from.
    return RevocationCache(create_pubsub(None), None, remember_for=remember_for)  # type: ignore[arg-type]


@dataclass
class AuthServices:
    hasher: PasswordHasher
    tokens: TokenService
    limiter: RateLimiter
    login_throttle: FailureThrottle
    """Failed logins per account: locked after five."""
    address_throttle: FailureThrottle
    """Failed logins per client address, any account: a much higher threshold, so one
    mistyping user behind a shared address (an office, a proxy) locks out nobody else."""
    revocations: RevocationCache
    sessions: LiveSessions


@dataclass
class Documents:
    """What generated documents are rendered and kept with: the process's one warm
    Chromium, the renderer on it, and the file store the PDFs go to."""

    browser: WarmBrowser
    files: FileStore
    exporter: DocumentExporter
    thumbnails: ThumbnailService
    _warming: asyncio.Task[None] | None = field(default=None, repr=False)

    @classmethod
    def open(
        cls,
        settings: Settings,
        database: AsyncDatabase[Any],
        offloop: OffLoop,
        browser: WarmBrowser | None = None,
    ) -> Documents:
        if browser is None:
            chosen = settings.browser_concurrency
            browser = WarmBrowser(
                BrowserSettings(concurrency=chosen) if chosen else BrowserSettings()
            )
        files = file_store(settings, database)
        renderer = Renderer(ChromiumPdfPrinter(browser), offloop=offloop)
        exporter = DocumentExporter(renderer, files)
        return cls(browser, files, exporter, ThumbnailService(browser, files))

    def warm_up(self) -> None:
        """Launch Chromium in the background, so the first PDF does not wait for it."""
        self._warming = asyncio.create_task(self._warm())

    async def _warm(self) -> None:
        try:
            await self.browser.start()
        except Exception as error:  # the first document retries and reports it
            log.warning("chromium could not be started ahead: %s", error)

    async def close(self, *, browser: bool) -> None:
        """Stop warming up; close the browser too when it is ours (``browser``)."""
        if self._warming is not None:
            await cancel_and_wait([self._warming])
        if browser:
            await self.browser.close()


def file_store(settings: Settings, database: AsyncDatabase[Any]) -> FileStore:
    """``JOBWISE_STORAGE``: GridFS in the event store's own database (what every process
    on it shares), or files under the data dir (this machine's alone)."""
    if settings.storage == "gridfs":
        return GridFSFileStore(database)
    return LocalFileStore.under_data_dir(settings.data_dir)


@dataclass
class Runtime:
    settings: Settings
    client: AsyncMongoClient[Any]
    database: AsyncDatabase[Any]
    store: SealingEventStore
    """The log, sealing what users cause with their keys (``raw`` below it, unopened)."""
    projector: Projector
    pubsub: PubSub
    projections: list[Projection]
    auth: AuthServices
    postings: PostingReader
    documents: Documents
    offloop: OffLoop
    language_model: LanguageModel | None = None
    key_news: KeyNews | None = None
    job_search: JobSearchCache = field(default_factory=JobSearchCache)
    updates: UpdatePublisher = field(init=False)
    repository: Repository = field(init=False)
    eraser: AccountEraser = field(init=False)
    bus: CommandBus = field(init=False)

    def __post_init__(self) -> None:
        self.updates = UpdatePublisher(self.pubsub, self.store)
        self.repository = Repository(
            self.store, self.read_your_writes, on_append=self.updates.appended
        )
        self.eraser = AccountEraser(
            self.store,
            self.store.keyring,
            ReadModelViews(self.database, self.documents.exporter),
            self.auth.revocations.revoke,
            self.read_your_writes,
            self.key_news.destroyed if self.key_news else _nothing,
        )
        self.bus = bootstrap(
            store=self.store,
            repository=self.repository,
            hasher=self.auth.hasher,
            tokens=self.auth.tokens,
            limiter=self.auth.limiter,
            login_throttle=self.auth.login_throttle,
            address_throttle=self.auth.address_throttle,
            limits=Limits.from_settings(self.settings),
            revocations=self.auth.revocations,
            profile_directory=ReadModelProfiles(self.database),
            posting_reader=self.postings,
            document_exporter=self.documents.exporter,
            offloop=self.offloop,
            account_eraser=self.eraser,
        )

    async def read_your_writes(self, position: int, first_position: int | None = None) -> None:
        """Return once the read models include ``position``: a GET after a 201 sees it.

        With ``first_position``, the events from there to ``position`` are what was
        written, and only the read models that take one of them are waited for.
        """
        written = None
        if first_position is not None:
            written = await self.store.read_all(first_position - 1, position - first_position + 1)
        timeout = self.settings.read_your_writes_timeout
        if await self.projector.wait_for(position, timeout, written):
            return
        raise ReadModelsLagging(position)

    async def readiness(self) -> dict[str, str]:
        """What is not ready, by part: database, pubsub, projections ("ok" when fine)."""
        checks = {"database": "ok", "pubsub": "ok", "projections": "ok"}
        try:
            await self.database.command("ping")
        except PyMongoError as error:
            checks["database"] = f"unreachable: {type(error).__name__}"
        try:
            await self.pubsub.ping()
        except Exception as error:
            checks["pubsub"] = f"unreachable: {type(error).__name__}"
        problems = self.projector.problems()
        if problems:
            checks["projections"] = "; ".join(f"{name} {why}" for name, why in problems.items())
        return checks


def open_keyring(settings: Settings, database: AsyncDatabase[Any]) -> Keyring:
    """The users' data keys, in the database beside the log, wrapped when there is a
    ``JOBWISE_MASTER_KEY``."""
    secret = settings.master_key
    master = None if secret is None else MasterKey.from_base64(secret.get_secret_value())
    return Keyring(MongoKeyStorage(database[KEYS_COLLECTION]), master)


def _auth_services(
    settings: Settings, database: AsyncDatabase[Any], pubsub: PubSub
) -> AuthServices:
    tokens = TokenService(settings.jwt_secret_key.get_secret_value())
    per_address = ThrottlePolicy(max_failures=settings.login_failures_per_address)
    return AuthServices(
        hasher=PasswordHasher(),
        tokens=tokens,
        limiter=create_rate_limiter(settings.redis_url),
        login_throttle=create_failure_throttle(settings.redis_url),
        address_throttle=create_failure_throttle(settings.redis_url, per_address),
        revocations=RevocationCache(pubsub, database[SESSIONS], remember_for=tokens.access_ttl),
        sessions=LiveSessions(database[SESSIONS], database[USERS]),
    )


def check_event_wiring(projections: list[Projection]) -> None:
    """Refuse to start when events, upcasters and projections do not fit together (each
    aggregate's handlers were checked when its class was created)."""
    check_upcasters()
    for projection in projections:
        projection.check_handles()


@contextlib.asynccontextmanager
async def open_runtime(
    settings: Settings,
    mongo_url: str,
    *,
    run_projections: bool = True,
    browser: WarmBrowser | None = None,
) -> AsyncIterator[Runtime]:
    """Everything a process needs; ``browser`` shares a Chromium the caller owns (tests),
    else the runtime has its own, launched on first use and closed on exit."""
    client, database = connect(mongo_url, settings.mongodb_db)
    try:
        # One process owns the embedded server (the data dir lock), so it can poll
        # for the rare outside writer instead of paying for a change stream.
        raw_store = await MongoEventStore.open(
            client, database, follow_changes=settings.mongodb_url is not None
        )
        store = SealingEventStore(raw_store, open_keyring(settings, database))
        projections = all_projections()
        check_event_wiring(projections)
        projector = Projector([ProjectionRunner(p, store, client, database) for p in projections])
        pubsub = create_pubsub(settings.redis_url)
        auth = _auth_services(settings, database, pubsub)
        language_model = create_language_model(settings)
        offloop = OffLoop(budget=settings.cpu_budget_seconds)
        postings = PostingReader(
            default_taxonomy(),
            language_model,
            auth.limiter,
            settings.llm_parses_per_hour,
            offloop,
        )
        documents = Documents.open(settings, database, offloop, browser)
        key_news = KeyNews(pubsub, store.keyring)
        try:
            if run_projections:
                await projector.start()
                await auth.revocations.start()
            await key_news.start()
            yield Runtime(
                settings,
                client,
                database,
                store,
                projector,
                pubsub,
                projections,
                auth,
                postings,
                documents,
                offloop,
                language_model,
                key_news,
            )
        finally:
            await key_news.stop()
            await asyncio.to_thread(offloop.close)  # waits for running work, off the loop
            await documents.close(browser=browser is None)
            if language_model is not None:
                await language_model.aclose()
            await auth.revocations.stop()
            for throttle in (auth.limiter, auth.login_throttle, auth.address_throttle):
                await throttle.close()
            await asyncio.to_thread(auth.hasher.close)  # waits for running hashes, off the loop
            await projector.stop()
            await pubsub.close()
            await store.close()
    finally:
        await client.close()


async def resume_erasures(runtime: Runtime) -> list[str]:
    """Finish every erasure a crash interrupted; the ids of the users it finished."""
    unfinished = await unfinished_erasures(runtime.database)
    for user_id in unfinished:
        await runtime.eraser.run(user_id)
    return unfinished


# -- the generation worker: a process manager wired to this runtime -----------------------

SWEEP_SECONDS = 10.0
DEFAULT_CONCURRENCY = 4


def worker_settings(runtime: Runtime, concurrency: int | None = None) -> WorkerSettings:
    lease = runtime.settings.generation_lease_seconds
    return WorkerSettings(
        concurrency=concurrency or runtime.settings.worker_concurrency or DEFAULT_CONCURRENCY,
        lease_seconds=lease,
        sweep_seconds=min(SWEEP_SECONDS, lease / 2),
        drain_seconds=runtime.settings.drain_work_seconds,
    )


def build_generation_worker(
    runtime: Runtime, settings: WorkerSettings | None = None, worker_id: str | None = None
) -> GenerationWorker:
    chosen = settings or worker_settings(runtime)
    runner = GenerationRunner(
        runtime.bus, runtime.store, runtime.documents.exporter, runtime.language_model
    )
    return GenerationWorker(
        store=runtime.store,
        database=runtime.database,
        repository=runtime.repository,
        runner=runner,
        leases=LeaseBook(runtime.database[LEASES], chosen.lease_seconds),
        settings=chosen,
        worker_id=worker_id,
    )


async def start_generation_worker(
    runtime: Runtime, settings: WorkerSettings | None = None
) -> GenerationWorker:
    worker = build_generation_worker(runtime, settings)
    await worker.start()
    return worker
