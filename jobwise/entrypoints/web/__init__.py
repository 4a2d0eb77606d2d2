"""The web client: a small Preact app served at ``/``, talking only to the public API.

No build step: the files under ``static/`` are ES modules, served as they are. They are
served under ``/static/<hash>/...``, where the hash is taken over every file's content
at start, so a browser may keep them for good (``immutable``): a changed file is a new
hash, hence a new URL. Relative imports between modules stay under the same hash.
``index.html`` names the hash and is ``no-cache``, so a reload always finds the current
set. The page allows no inline script (``script-src 'self'``) and talks only to its own
origin, over HTTP and WebSocket.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

STATIC = Path(__file__).parent / "static"
INDEX = STATIC / "index.html"
ASSET_PREFIX = "/static"

# Inline styles are allowed for the document preview only (a generated document's HTML
# carries its template's <style>); nothing may run inline script.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self' {ws}; "
    "frame-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_IMMUTABLE = "public, max-age=31536000, immutable"
_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html"}


@dataclass(frozen=True)
class Assets:
    """The static files as served: their content hash and the page that names it."""

    version: str
    files: dict[str, Path]

    @classmethod
    def load(cls, root: Path = STATIC) -> Assets:
        files = {
            path.relative_to(root).as_posix(): path
            for path in sorted(root.rglob("*"))
            if path.is_file() and path != root / "index.html"
        }
        digest = hashlib.sha256()
        for name, path in files.items():
            digest.update(name.encode())
            digest.update(path.read_bytes())
        return cls(version=digest.hexdigest()[:12], files=files)


_SANE_HOST = re.compile(r"[A-Za-z0-9.-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


def content_security_policy(request: web.Request) -> str:
    # 'self' does not cover ws: in every browser; name this host's own sockets. The Host
    # header is the client's to write: only a plain host[:port] goes into the policy.
    host = request.host
    sockets = f"ws://{host} wss://{host}" if _SANE_HOST.fullmatch(host) else ""
    return _CSP.format(ws=sockets)


def add_web_routes(app: web.Application) -> None:
    """``/`` (the page) and ``/static/<hash>/<file>``; the API's routes are untouched."""
    assets = Assets.load()
    page = INDEX.read_text("utf-8").replace("{{assets}}", f"{ASSET_PREFIX}/{assets.version}")

    async def index(request: web.Request) -> web.Response:
        return web.Response(
            text=page,
            content_type="text/html",
            headers={
                "Content-Security-Policy": content_security_policy(request),
                "Cache-Control": "no-cache",
                "Referrer-Policy": "no-referrer",
            },
        )

    async def asset(request: web.Request) -> web.Response:
        path = assets.files.get(request.match_info["path"])
        if request.match_info["version"] != assets.version or path is None:
            raise web.HTTPNotFound(text="No such file.")
        content_type = _TYPES.get(path.suffix) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        return web.Response(
            body=path.read_bytes(),
            content_type=content_type,
            headers={"Cache-Control": _IMMUTABLE},
        )

    app.router.add_get("/", index, name="web_index")
    app.router.add_get(ASSET_PREFIX + "/{version:[0-9a-f]{12}}/{path:.+}", asset, name="web_asset")
