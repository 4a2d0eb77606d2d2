"""Command handlers: one per command, each taking its dependencies as parameters.

``all_handlers()`` is what ``jobwise.bootstrap`` wires into the command bus.
"""

from __future__ import annotations

from jobwise.application.messagebus import Handler


def all_handlers() -> dict[type, Handler]:
    from jobwise.application.commands import (
        account,
        auth,
        documents,
        generations,
        jobs,
        profiles,
        saved_jobs,
    )

    handlers: dict[type, Handler] = {}
    handlers.update(auth.HANDLERS)
    handlers.update(profiles.HANDLERS)
    handlers.update(jobs.HANDLERS)
    handlers.update(saved_jobs.HANDLERS)
    handlers.update(generations.HANDLERS)
    handlers.update(documents.HANDLERS)
    handlers.update(account.HANDLERS)
    return handlers
