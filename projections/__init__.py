"""Read models, each built by one projection from the event log.

``all_projections()`` is the list the app runs and ``jobwise rebuild/verify``
work on; a new read model is added here and nowhere else.
"""

from __future__ import annotations

from jobwise.projecting import Projection
from projections.documents import DocumentsProjection
from projections.generations import GenerationsProjection
from projections.jobs import JobsProjection
from projections.profiles import ProfilesProjection
from projections.saved_jobs import SavedJobsProjection
from projections.streams import StreamsProjection
from projections.users import UsersProjection


def all_projections() -> list[Projection]:
    return [
        StreamsProjection(),
        UsersProjection(),
        ProfilesProjection(),
        JobsProjection(),
        SavedJobsProjection(),
        GenerationsProjection(),
        DocumentsProjection(),
    ]
