"""Render through the file store, and never render an unchanged document twice.

A rendered file is stored under ``<cache key>.<extension>`` with a manifest
``<cache key>.json`` (page count, fit report, parse check). The cache key hashes the
Markdown, template, format, page size, options and the renderer's version, so asking
again for an unchanged document returns the stored file; an edit, another template,
or a new renderer version renders anew. Identical requests in flight at once share
one rendering.
"""

from __future__ import annotations

import asyncio

from pydantic import BaseModel, ConfigDict

from jobwise.rendering.formats import ExportFormat, format_info
from jobwise.rendering.models import FitReport, ParseCheck, RenderedDocument, RenderRequest
from jobwise.rendering.ports import DocumentRenderer
from jobwise.storage import FileStore, content_key


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


class DocumentExporter:
    def __init__(self, renderer: DocumentRenderer, store: FileStore) -> None:
        self.renderer = renderer
        self.store = store
        self._in_flight: dict[str, asyncio.Future[StoredExport]] = {}

    async def export(self, request: RenderRequest) -> StoredExport:
        cache_key = request.cache_key()
        running = self._in_flight.get(cache_key)
        if running is not None:
            return await asyncio.shield(running)
        future: asyncio.Future[StoredExport] = asyncio.get_running_loop().create_future()
        self._in_flight[cache_key] = future
        try:
            result = await self._export(request, cache_key)
            future.set_result(result)
            return result
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved here, so an unawaited future logs nothing
            raise
        finally:
            del self._in_flight[cache_key]

    async def _export(self, request: RenderRequest, cache_key: str) -> StoredExport:
        file_key = content_key(cache_key, format_info(request.format).extension)
        manifest_key = content_key(cache_key, "json")
        if await self.store.exists(manifest_key) and await self.store.exists(file_key):
            manifest = StoredExport.model_validate_json(await self.store.get(manifest_key))
            return manifest.model_copy(update={"cached": True})
        rendered = await self.renderer.render(request)
        stored = _manifest(file_key, rendered)
        await self.store.put(file_key, rendered.content)
        # The manifest last: a crash between the two leaves a file without a manifest,
        # which is rendered again, never a manifest pointing at nothing.
        await self.store.put(manifest_key, stored.model_dump_json().encode())
        return stored


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
