"""Reading a ``/metrics`` answer as Prometheus would: parsed by ``prometheus_client``'s own
parser, not matched as text."""

from __future__ import annotations

import socket
from dataclasses import dataclass

from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

EXPOSITION = "text/plain; version=0.0.4"


@dataclass(frozen=True)
class Scrape:
    samples: list[Sample]

    @classmethod
    def parse(cls, text: str) -> Scrape:
        return cls([s for family in text_string_to_metric_families(text) for s in family.samples])

    def value(self, name: str, **labels: str) -> float:
        """The sum of ``name``'s samples whose labels include ``labels`` (0 if none)."""
        return sum(s.value for s in self.of(name, **labels))

    def of(self, name: str, **labels: str) -> list[Sample]:
        return [
            s
            for s in self.samples
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
        ]

    def has(self, name: str) -> bool:
        return any(s.name == name for s in self.samples)

    def label_values(self, name: str, label: str) -> set[str]:
        return {s.labels[label] for s in self.of(name) if label in s.labels}

    def every_label_value(self) -> set[str]:
        return {value for s in self.samples for value in s.labels.values()}


def this_machines_address() -> str | None:
    """An address of this machine that is not loopback (the one its default route
    leaves by): a connection to it is a client the server cannot take for loopback.
    None on a machine with loopback alone."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # a UDP "connect" picks a route, sends nothing
        except OSError:
            return None
        address: str = probe.getsockname()[0]
    return None if address.startswith("127.") else address
