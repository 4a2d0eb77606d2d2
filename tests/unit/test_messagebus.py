"""One handler per command; its signature is its dependency list."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from jobwise.adapters.eventstore.memory import InMemoryEventStore
from jobwise.application.messagebus import CommandBus


@dataclass(frozen=True)
class OpenThing:
    name: str


@dataclass(frozen=True)
class Unhandled:
    pass


async def open_thing(command: OpenThing, store: InMemoryEventStore, prefix: str) -> str:
    return f"{prefix}{command.name}:{await store.head_position()}"


async def test_the_bus_injects_dependencies_by_parameter_name() -> None:
    bus = CommandBus({OpenThing: open_thing}, {"store": InMemoryEventStore(), "prefix": "t-"})
    assert await bus.handle(OpenThing("a")) == "t-a:0"


def test_a_missing_dependency_fails_at_start_up() -> None:
    with pytest.raises(TypeError, match="prefix"):
        CommandBus({OpenThing: open_thing}, {"store": InMemoryEventStore()})


async def test_a_command_without_a_handler_is_refused() -> None:
    bus = CommandBus({}, {})
    with pytest.raises(LookupError, match="Unhandled"):
        await bus.handle(Unhandled())
