"""The API bodies of materials: a multipart upload (``file`` or ``url``, ``title``, optional ``agenda_item`` and
``dated_on``) and the material as answered."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field, WithJsonSchema
from werkzeug.datastructures import FileStorage

from eventhub.api.paging import PagedList
from eventhub.api.types import INT4_MAX, Day, InputModel, Link, OutputModel, SingleLine
from eventhub.materials.models import MAX_TITLE, MAX_URL, MaterialKind
from eventhub.materials.models import Material as MaterialRow
from eventhub.materials.presenters import material_url


def _a_file(value: Any) -> FileStorage:
    if not isinstance(value, FileStorage):
        raise ValueError("must be a file part of the multipart body")
    return value


UploadedFile = Annotated[
    Any,
    AfterValidator(_a_file),
    WithJsonSchema({"type": "string", "format": "binary", "description": "The file (type detected from its bytes)"}),
]
# Multipart fields arrive as text: the item's id is read from its digits.
ItemId = Annotated[int, Field(ge=1, le=INT4_MAX, description="Attach to this agenda item of the event")]


class MaterialUpload(InputModel):
    """Exactly one of ``file`` and ``url``."""

    model_config = ConfigDict(extra="forbid")

    title: SingleLine(MAX_TITLE, 1) = Field(examples=["Slides: criteria for cleaning services"])
    file: UploadedFile | None = None
    url: Link(MAX_URL) | None = Field(None, examples=["https://buysocial.ie/report.pdf"])
    agenda_item: ItemId | None = None
    dated_on: Day | None = Field(None, description="The material's own date (a report's publication day)")


class Material(OutputModel):
    id: int
    title: str
    kind: MaterialKind
    url: str = Field(description="Where to read it: the file's download address, or the link")
    size: int | None = Field(description="Bytes (files only)")
    content_type: str | None = Field(description="Detected from the file's bytes (files only)")
    file_name: str | None
    agenda_item: int | None
    dated_on: date | None

    @classmethod
    def of(cls, material: MaterialRow) -> Material:
        return cls(
            id=material.id, title=material.title, kind=material.kind, url=material_url(material),
            size=material.size, content_type=material.content_type, file_name=material.file_name,
            agenda_item=material.agenda_item_id, dated_on=material.dated_on,
        )  # fmt: skip


class MaterialList(PagedList):
    items: list[Material]
