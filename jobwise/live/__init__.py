"""Live updates: generation progress from the event store to watching clients.

The event store is the truth; pub/sub is only a doorbell. Every append of a
generation's update events is announced (``UpdatePublisher``) on one channel,
and every API process forwards the messages to its subscribers, who can always
catch up from the store by ``seq``.
"""

from jobwise.live.publisher import CHANNEL, UpdatePublisher

__all__ = ["CHANNEL", "UpdatePublisher"]
