"""Request shapes shared by routes: values that may come in more than one JSON form.

A union of an object and plain text (``"salary_range": "€60k"`` or
``{"text": ..., "min": ...}``) is told apart by the JSON type before it is
validated, so a bad object is reported against the object's own fields
(``salary_range.text``), not also as "not a valid string".
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Discriminator, Field, Tag

M = TypeVar("M", bound=BaseModel)


def _json_kind(value: Any) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    return "object"


def text_or(model: type[M], max_length: int) -> Any:
    """``model`` as a JSON object, or a plain string of 1 to ``max_length`` characters."""
    text = Annotated[str, Field(min_length=1, max_length=max_length), Tag("text")]
    return Annotated[Annotated[model, Tag("object")] | text, Discriminator(_json_kind)]


def object_or_list(model: type[BaseModel], item: Any, max_items: int) -> Any:
    """``model`` as a JSON object, or a list of at most ``max_items`` ``item``."""
    listed = Annotated[list[item], Field(max_length=max_items), Tag("list")]
    return Annotated[Annotated[model, Tag("object")] | listed, Discriminator(_json_kind)]
