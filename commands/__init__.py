"""Command handlers: one per command, each taking its dependencies as parameters.

``all_handlers()`` is what ``jobwise.bootstrap`` wires into the command bus.
"""

from __future__ import annotations

from jobwise.messagebus import Handler


def all_handlers() -> dict[type, Handler]:
    from commands import auth, profiles

    handlers: dict[type, Handler] = {}
    handlers.update(auth.HANDLERS)
    handlers.update(profiles.HANDLERS)
    return handlers
