"""The layers of ``jobwise`` and the one direction imports may go.

From the bottom: the domain knows nothing else of JobWise; adapters implement what
the domain and the application need (event store, files, pub/sub, language model,
renderer); projections build read models from the log; the application (commands,
queries, process managers) uses all three; ``bootstrap`` wires them; the entry
points (HTTP, live updates, the command line) stand on top. ``settings``, ``tasks``,
``logcontext`` and ``metrics`` are shared by every layer and import nothing of JobWise;
the domain records no metrics (it does no I/O and knows no Prometheus).
"""

from __future__ import annotations

from collections import defaultdict

from tests.architecture.imports import Import, cycles, imports, modules

LAYERS = (
    "jobwise.domain",
    "jobwise.adapters",
    "jobwise.projections",
    "jobwise.application",
    "jobwise.bootstrap",
    "jobwise.entrypoints",
)
SHARED = ("jobwise", "jobwise.settings", "jobwise.tasks", "jobwise.logcontext", "jobwise.metrics")


def layer_of(module: str) -> int | None:
    for rank, name in enumerate(LAYERS):
        if module == name or module.startswith(name + "."):
            return rank
    return None


def goes_up(found: Import) -> bool:
    if found.imported in SHARED:
        return False
    importer, imported = layer_of(found.importer), layer_of(found.imported)
    return importer is not None and imported is not None and imported > importer


def shown(found: list[Import]) -> list[str]:
    return [f"{i.importer}:{i.line} imports {i.imported}" for i in found]


def test_every_module_is_in_a_layer_or_shared() -> None:
    strays = [m for m in modules() if layer_of(m) is None and m not in SHARED]
    assert strays == []


def test_no_import_goes_up_a_layer() -> None:
    assert shown([i for i in imports() if goes_up(i)]) == []


def test_shared_modules_import_nothing_of_jobwise() -> None:
    assert shown([i for i in imports() if i.importer in SHARED[1:]]) == []


def test_the_domain_records_no_metrics() -> None:
    found = [i for i in imports() if layer_of(i.importer) == 0 and i.imported == "jobwise.metrics"]
    assert shown(found) == []
    domain = [path for name, path in modules().items() if layer_of(name) == 0]
    assert [p.name for p in domain if "prometheus" in p.read_text(encoding="utf-8")] == []


def test_no_module_imports_itself_back_around() -> None:
    edges: dict[str, set[str]] = defaultdict(set)
    for found in imports():
        if found.importer != found.imported:
            edges[found.importer].add(found.imported)
    assert cycles(edges) == []


def test_no_package_imports_itself_back_around() -> None:
    """Sub-packages (``jobwise.domain.writing``, ``jobwise.adapters.eventstore`` ...)
    form no cycle either: each can be read, and replaced, from the bottom up."""

    def package(module: str) -> str:
        return ".".join(module.split(".")[:3])

    edges: dict[str, set[str]] = defaultdict(set)
    for found in imports():
        if package(found.importer) != package(found.imported):
            edges[package(found.importer)].add(package(found.imported))
    assert cycles(edges) == []


def test_the_checker_sees_an_upward_import() -> None:
    """The rule above can fail: a domain module importing an adapter is caught."""
    assert goes_up(Import("jobwise.domain.profile", "jobwise.adapters.eventstore", 1))
    assert not goes_up(Import("jobwise.adapters.eventstore", "jobwise.domain.profile", 1))
    assert cycles({"a": {"b"}, "b": {"a"}}) == [["a", "b"]]
