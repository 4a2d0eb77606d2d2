"""The renderer's version: part of every cache key, so a change of template or code
renders documents anew instead of serving files made the old way."""

from __future__ import annotations

import hashlib
from importlib.resources import files

RENDERER_GENERATION = 1
"""Raise when the rendering code changes its output (the templates are hashed anyway)."""


def _templates_digest() -> str:
    digest = hashlib.sha256()
    folder = files("jobwise.adapters.rendering") / "templates"
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.is_file():
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:12]


RENDERER_VERSION = f"{RENDERER_GENERATION}-{_templates_digest()}"
