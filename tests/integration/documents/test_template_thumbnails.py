"""The templates list points at a thumbnail per template, and each serves a PNG."""

from __future__ import annotations

import struct

import pytest

from tests.integration.generations.conftest import Seeker

pytestmark = pytest.mark.slow  # Chromium renders every template


async def test_each_template_lists_a_thumbnail_url_that_serves_a_png(kyle: Seeker) -> None:
    listed = await kyle.call("GET", "/generations/templates", expect=200)
    names = [t["name"] for t in listed["items"]]
    assert names == ["classic", "modern", "compact", "technical"]
    for template in listed["items"]:
        url = template["thumbnail_url"]
        assert url == f"/api/v1/generations/templates/{template['name']}/thumbnail"
        response = await kyle.client.get(url, headers=kyle.headers)
        png = await response.read()
        assert response.status == 200 and response.headers["Content-Type"] == "image/png"
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        width, height = struct.unpack(">II", png[16:24])
        assert (width, height) == (408, 528)  # a Letter page at half scale
    missing = await kyle.client.get(
        "/api/v1/generations/templates/..%2F..%2Fetc/thumbnail", headers=kyle.headers
    )
    assert missing.status == 404
    unknown = await kyle.call("GET", "/generations/templates/fancy/thumbnail", expect=404)
    assert unknown["error"]["code"] == "not_found"
    anonymous = await kyle.client.get("/api/v1/generations/templates/classic/thumbnail")
    assert anonymous.status == 401
