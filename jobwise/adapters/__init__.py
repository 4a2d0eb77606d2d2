"""Adapters to the outside: MongoDB, the embedded server, pub/sub."""
