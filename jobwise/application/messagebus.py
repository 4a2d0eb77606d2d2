"""Commands in, one handler each, dependencies injected by parameter name.

A handler's signature *is* its dependency list (cosmicpython's bootstrap)::

    async def start_thing(command: StartThing, store: EventStore) -> str: ...

``CommandBus`` binds every parameter after the command from the dependencies
it was built with, once, at start-up; a missing dependency fails then, not on
the first request.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

Handler = Callable[..., Awaitable[Any]]


class CommandBus:
    def __init__(self, handlers: Mapping[type, Handler], dependencies: Mapping[str, Any]) -> None:
        self._handlers = {kind: inject(handler, dependencies) for kind, handler in handlers.items()}
        self.dependencies: Mapping[str, Any] = dict(dependencies)
        """What the handlers were given, by name (a test reaches the store through it)."""

    async def handle(self, command: object) -> Any:
        handler = self._handlers.get(type(command))
        if handler is None:
            raise LookupError(f"no handler for {type(command).__name__}")
        return await handler(command)


def inject(handler: Handler, dependencies: Mapping[str, Any]) -> Callable[[Any], Awaitable[Any]]:
    parameters = list(inspect.signature(handler).parameters)[1:]
    missing = [name for name in parameters if name not in dependencies]
    if missing:
        raise TypeError(f"{handler.__name__} needs {', '.join(missing)}, which bootstrap lacks")
    return functools.partial(handler, **{name: dependencies[name] for name in parameters})
