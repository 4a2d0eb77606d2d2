"""The projection machinery: turning the event log into read models, exactly once."""

from jobwise.projecting.projection import Projection, ViewBatch
from jobwise.projecting.runner import ProjectionRunner, Projector, ReadModelsLagging

__all__ = ["Projection", "ProjectionRunner", "Projector", "ReadModelsLagging", "ViewBatch"]
