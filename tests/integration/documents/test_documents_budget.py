"""A document edit or preview whose rendering outlasts the CPU budget: 503 ``overloaded``
with ``Retry-After``, in the contract's shape, and nothing changed."""

from __future__ import annotations

from jobwise.entrypoints.http.keys import RUNTIME
from tests.integration.documents.conftest import Made, made, raw  # noqa: F401  (fixture)
from tests.integration.generations.conftest import client, kyle, settings  # noqa: F401

WORST = "# Ada\n\n" + "[" * 199_000


async def test_past_the_budget_an_edit_is_refused_and_nothing_is_lost(made: Made) -> None:  # noqa: F811
    seeker, path = made.seeker, f"/documents/{made.document_id}"
    before = await seeker.call("GET", path, expect=200)
    offloop = seeker.client.app[RUNTIME].offloop
    budget, offloop.budget = offloop.budget, 0.001  # no rendering of 199,000 characters fits
    try:
        for method, where, body in (
            ("PUT", f"/{made.document_id}", {"content_markdown": WORST}),
            ("POST", "/preview", {"content_markdown": WORST}),
        ):
            status, headers, answer = await raw(seeker, method, where, json=body)
            assert status == 503, answer
            assert int(headers["Retry-After"]) >= 1
            assert b'"code": "overloaded"' in answer
    finally:
        offloop.budget = budget
    after = await seeker.call("GET", path, expect=200)
    assert after["version_number"] == before["version_number"]
    assert after["content_markdown"] == before["content_markdown"]
    edited = await seeker.call("PUT", path, expect=200, json={"content_markdown": WORST})
    assert edited["version_number"] == before["version_number"] + 1
