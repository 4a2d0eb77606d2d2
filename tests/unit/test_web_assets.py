"""The web client's files as served: a content hash in every asset URL, caching that
follows from it, a CSP with no inline script, and modules whose imports all resolve
(there is no build step to catch a misspelt one)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from aiohttp import web

from jobwise.entrypoints.web import STATIC, Assets, add_web_routes

IMPORT = re.compile(r"""(?<![\w/])(?:import|from)\s*["']([^"']+)["']""")


def modules() -> list[Path]:
    return sorted(STATIC.rglob("*.js"))


def test_every_import_is_relative_and_names_a_shipped_file() -> None:
    found = [(m, t) for m in modules() for t in IMPORT.findall(m.read_text("utf-8"))]
    assert len(found) > 20, found  # the pattern does find them
    for module, target in found:
        assert target.startswith(("./", "../")), (module, target)
        assert (module.parent / target).resolve().is_file(), (module, target)


def test_vendored_libraries_keep_their_licences() -> None:
    vendor = STATIC / "vendor"
    assert {"LICENSE.preact", "LICENSE.htm"} <= {p.name for p in vendor.iterdir()}
    assert "sourceMappingURL" not in "".join(p.read_text() for p in vendor.glob("*.js"))


def test_the_hash_follows_the_content(tmp_path: Path) -> None:
    copy = tmp_path / "static"
    shutil.copytree(STATIC, copy)
    before = Assets.load(copy)
    assert before == Assets.load(copy)
    (copy / "app.css").write_text((copy / "app.css").read_text() + "\n/* changed */\n")
    after = Assets.load(copy)
    assert after.version != before.version
    assert "index.html" not in after.files  # the page is never cached for good


async def test_page_and_assets_are_served_with_their_headers(aiohttp_client: Any) -> None:
    app = web.Application()
    add_web_routes(app)
    client = await aiohttp_client(app)

    page = await client.get("/")
    text = await page.text()
    assert page.status == 200 and page.headers["Cache-Control"] == "no-cache"
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "object-src 'none'" in csp
    host = page.url.host, page.url.port
    assert f"ws://{host[0]}:{host[1]}" in csp
    scripts = re.findall(r"<script[^>]*>", text)
    assert scripts and all('src="/static/' in s for s in scripts)  # nothing inline
    version = Assets.load().version
    assert f"/static/{version}/js/main.js" in text

    module = await client.get(f"/static/{version}/js/main.js")
    assert module.status == 200
    assert module.headers["Content-Type"].startswith("text/javascript")
    assert "immutable" in module.headers["Cache-Control"]
    assert (await client.get(f"/static/{version}/vendor/LICENSE.preact")).status == 200
    for missing in (
        "/static/000000000000/js/main.js",
        f"/static/{version}/js/nope.js",
        f"/static/{version}/index.html",
        f"/static/{version}/../__init__.py",
        f"/static/{version}/%2e%2e/__init__.py",
    ):
        assert (await client.get(missing)).status == 404, missing


async def test_a_strange_host_header_never_reaches_the_policy(aiohttp_client: Any) -> None:
    app = web.Application()
    add_web_routes(app)
    client = await aiohttp_client(app)
    page = await client.get("/", headers={"Host": "evil.example; script-src *"})
    csp = page.headers["Content-Security-Policy"]
    assert "evil" not in csp and "script-src 'self';" in csp
    ipv6 = await client.get("/", headers={"Host": "[::1]:8000"})
    assert "ws://[::1]:8000 wss://[::1]:8000" in ipv6.headers["Content-Security-Policy"]
