"""``/openapi.json`` and an offline Swagger UI at ``/docs``.

Swagger UI's files come from the installed ``openapi_ui_bundles`` package and
every URL in the page is relative, so the docs work with no internet and behind
a path prefix. A Content-Security-Policy of 'self' enforces that in the browser.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web
from openapi_ui_bundles import swagger_ui

from jobwise.entrypoints.http.api import Api
from jobwise.entrypoints.http.openapi import build_openapi

SWAGGER_STATIC: Path = Path(swagger_ui.static_path)

_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
)

# Paths are relative to /docs, so "docs/static/x" is /docs/static/x (or
# /prefix/docs/static/x behind a proxy that mounts the API under /prefix).
_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title}</title>
  <link rel="stylesheet" type="text/css" href="docs/static/swagger-ui.css">
  <link rel="icon" type="image/png" href="docs/static/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs/static/swagger-ui-bundle.js" charset="utf-8"></script>
  <script src="docs/init.js" charset="utf-8"></script>
</body>
</html>
"""

# validatorUrl null: otherwise Swagger UI sends the spec to validator.swagger.io.
_INIT_JS = """window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
};
"""


def add_docs_routes(app: web.Application, api: Api, *, title: str, version: str) -> None:
    """Serve the OpenAPI document (built on first request, then cached) and the UI."""
    cache: dict[str, bytes] = {}

    async def openapi_json(request: web.Request) -> web.Response:
        if "doc" not in cache:
            # Built lazily so routes registered after this call are still included.
            doc: dict[str, Any] = build_openapi(api, title=title, version=version)
            cache["doc"] = orjson.dumps(doc)
        return web.Response(body=cache["doc"], content_type="application/json")

    async def docs_page(request: web.Request) -> web.Response:
        page = _PAGE.format(title=html.escape(title))
        return web.Response(
            text=page, content_type="text/html", headers={"Content-Security-Policy": _CSP}
        )

    async def init_js(request: web.Request) -> web.Response:
        return web.Response(text=_INIT_JS, content_type="application/javascript")

    app.router.add_get("/openapi.json", openapi_json, name="openapi_json")

    async def docs_with_slash(request: web.Request) -> web.Response:
        # The page's links are relative to /docs; from /docs/ they would miss.
        raise web.HTTPPermanentRedirect("../docs")

    app.router.add_get("/docs", docs_page, name="docs")
    app.router.add_get("/docs/", docs_with_slash, name="docs_slash")
    app.router.add_get("/docs/init.js", init_js, name="docs_init")
    app.router.add_static("/docs/static", SWAGGER_STATIC, name="docs_static")
