"""Render through the file store, and never render an unchanged document twice.

A rendered file is stored under ``<cache key>.<extension>`` with a manifest
``<cache key>.json`` (page count, fit report, parse check). The cache key hashes the
Markdown, template, format, page size, options and the renderer's version, so asking
again for an unchanged document returns the stored file; an edit, another template,
or a new renderer version renders anew. Identical requests in flight at once share
one rendering.

With a ``scope`` (a document's id), the files are that document's own
(``<document hex>-<cache key>.<ext>``, ``storage.scoped_key``): the same Markdown in two
documents is two files, so deleting a document's files (``delete_scope``) never takes
another's.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from jobwise.adapters.rendering.formats import ExportFormat, format_info
from jobwise.adapters.rendering.models import FitReport, ParseCheck, RenderedDocument, RenderRequest
from jobwise.adapters.rendering.ports import DocumentRenderer
from jobwise.adapters.storage import FileStore, content_key, scope_prefix, scoped_key


class StoredExport(BaseModel):
    """What ``POST /documents/{id}/export`` needs to answer, and where the file is."""

    model_config = ConfigDict(frozen=True)

    key: str
    """The file's storage key (for ``GET /documents/{id}/download``)."""
    format: ExportFormat
    media_type: str
    size_bytes: int
    page_count: int | None = None
    fit: FitReport | None = None
    check: ParseCheck | None = None
    cached: bool = False
    """True when the file was already stored and nothing was rendered."""


@dataclass
class ExportStats:
    """What this process's exporter did: how often it rendered, how often it served a
    stored file instead (and how many callers shared a rendering in flight)."""

    rendered: int = 0
    cached: int = 0
    shared: int = 0


class DocumentExporter:
    def __init__(self, renderer: DocumentRenderer, store: FileStore) -> None:
        self.renderer = renderer
        self.store = store
        self.stats = ExportStats()
        self._in_flight: dict[str, asyncio.Future[StoredExport]] = {}

    async def export(self, request: RenderRequest, *, scope: str | None = None) -> StoredExport:
        """The stored file for ``request``, rendered only if it is not stored yet;
        ``scope``: the document id the file belongs to."""
        cache_key = request.cache_key()
        file_key, manifest_key = _keys(cache_key, format_info(request.format).extension, scope)
        running = self._in_flight.get(file_key)
        if running is not None:
            self.stats.shared += 1
            return await asyncio.shield(running)
        future: asyncio.Future[StoredExport] = asyncio.get_running_loop().create_future()
        self._in_flight[file_key] = future
        try:
            result = await self._export(request, file_key, manifest_key)
            future.set_result(result)
            return result
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved here, so an unawaited future logs nothing
            raise
        finally:
            del self._in_flight[file_key]

    async def delete_scope(self, scope: str) -> int:
        """Delete every file stored under ``scope`` (all versions, formats, templates);
        how many there were."""
        deleted = 0
        for key in await self.store.keys(scope_prefix(scope)):
            deleted += await self.store.delete(key)
        return deleted

    async def _export(
        self, request: RenderRequest, file_key: str, manifest_key: str
    ) -> StoredExport:
        if await self.store.exists(manifest_key) and await self.store.exists(file_key):
            manifest = StoredExport.model_validate_json(await self.store.get(manifest_key))
            self.stats.cached += 1
            return manifest.model_copy(update={"cached": True})
        rendered = await self.renderer.render(request)
        self.stats.rendered += 1
        stored = _manifest(file_key, rendered)
        await self.store.put(file_key, rendered.content)
        # The manifest last: a crash between the two leaves a file without a manifest,
        # which is rendered again, never a manifest pointing at nothing.
        await self.store.put(manifest_key, stored.model_dump_json().encode())
        return stored


def _keys(cache_key: str, extension: str, scope: str | None) -> tuple[str, str]:
    """The file's key and its manifest's."""
    if scope is None:
        return content_key(cache_key, extension), content_key(cache_key, "json")
    return scoped_key(scope, cache_key, extension), scoped_key(scope, cache_key, "json")


def _manifest(file_key: str, rendered: RenderedDocument) -> StoredExport:
    return StoredExport(
        key=file_key,
        format=rendered.format,
        media_type=rendered.media_type,
        size_bytes=rendered.size_bytes,
        page_count=rendered.page_count,
        fit=rendered.fit,
        check=rendered.check,
    )
