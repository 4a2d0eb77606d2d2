"""Projections: the event log turned into read models, each exactly once.

The machinery is ``projection`` (what a projection is), ``runner`` (one per
projection, checkpoint written in the view's own transaction) and
``maintenance`` (rebuild and verify). Each other module is one read model.
``all_projections()`` is the list the app runs and ``jobwise rebuild/verify``
work on; a new read model is added there and nowhere else.
"""

from __future__ import annotations

from jobwise.projections.projection import Projection, ViewBatch
from jobwise.projections.runner import ProjectionRunner, Projector, ReadModelsLagging


def all_projections() -> list[Projection]:
    # Imported here: each read model imports the machinery from this package.
    from jobwise.projections.documents import DocumentsProjection
    from jobwise.projections.generations import GenerationsProjection
    from jobwise.projections.jobs import JobsProjection
    from jobwise.projections.profiles import ProfilesProjection
    from jobwise.projections.saved_jobs import SavedJobsProjection
    from jobwise.projections.streams import StreamsProjection
    from jobwise.projections.users import UsersProjection

    return [
        StreamsProjection(),
        UsersProjection(),
        ProfilesProjection(),
        JobsProjection(),
        SavedJobsProjection(),
        GenerationsProjection(),
        DocumentsProjection(),
    ]


__all__ = [
    "Projection",
    "ProjectionRunner",
    "Projector",
    "ReadModelsLagging",
    "ViewBatch",
    "all_projections",
]
