"""How far each read model has come: the event store's head and every checkpoint."""

from __future__ import annotations

from pydantic import BaseModel

from jobwise.adapters.eventstore import EventStore
from jobwise.metrics import EVENT_STORE_HEAD, PROJECTION_LAG
from jobwise.projections import Projector


class ProjectionStatus(BaseModel):
    name: str
    version: int
    position: int
    lag: int


class Status(BaseModel):
    head_position: int
    projections: list[ProjectionStatus]


async def projection_status(store: EventStore, projector: Projector) -> Status:
    head = await store.head_position()
    return Status(
        head_position=head,
        projections=[
            ProjectionStatus(
                name=runner.name,
                version=runner.projection.version,
                position=runner.position,
                lag=max(0, head - runner.position),
            )
            for runner in projector.runners
        ],
    )


async def record_projection_lag(store: EventStore, projector: Projector) -> None:
    """Set the store's head and each projection's lag, as ``/status`` reads them."""
    status = await projection_status(store, projector)
    EVENT_STORE_HEAD.set(status.head_position)
    for projection in status.projections:
        PROJECTION_LAG.labels(projection.name).set(projection.lag)
