"""Pub/sub between processes: Redis when ``REDIS_URL`` is set, else in-process.

Only hints travel here (live updates, revocations); the event store stays the
source of truth, so a lost message costs latency, never correctness.
"""

from jobwise.adapters.pubsub.base import (
    Delivery,
    Message,
    PubSub,
    PubSubUnavailable,
    Subscription,
)
from jobwise.adapters.pubsub.memory import InProcessPubSub
from jobwise.adapters.pubsub.redis import RedisPubSub


def create_pubsub(redis_url: str | None) -> PubSub:
    """Redis pub/sub for ``redis_url``, or in-process pub/sub when it is None or empty.

    Nothing connects here: the first publish, subscribe or ping does.
    """
    if redis_url:
        return RedisPubSub(redis_url)
    return InProcessPubSub()


__all__ = [
    "Delivery",
    "InProcessPubSub",
    "Message",
    "PubSub",
    "PubSubUnavailable",
    "RedisPubSub",
    "Subscription",
    "create_pubsub",
]
