"""Live updates: generation progress from the event store to watching clients.

The event store is the truth; pub/sub is only a doorbell. Every append of a
generation's update events is announced (``jobwise.adapters.pubsub.publisher``) on
one channel; every API process forwards the messages to its watchers here (``hub``,
``watcher``), over a WebSocket (``websocket``) or server-sent events (``sse``), and a
watcher can always catch up from the store by ``seq``.
"""
