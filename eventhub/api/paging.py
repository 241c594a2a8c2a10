"""Paging of every API list, declared once: ``limit`` and ``offset`` in the query, ``items``, ``total``,
``limit``, ``offset`` and ``next`` in the answer.

Lists may be long (5,000 invitations of one event), so none is answered whole: at most ``DEFAULT_LIMIT`` items
unless the caller asks for more, never more than ``MAX_LIMIT``. A limit above the maximum is refused (422 on
``limit``) rather than quietly cut, so a client that asks for 1,000 and gets 500 cannot mistake the page for the
whole list. ``total`` counts every matching item; ``next`` is the address of the following page (null on the
last), the same query with the offset moved on.
"""

from __future__ import annotations

from typing import Annotated, Any

from flask import request, url_for
from pydantic import AfterValidator, Field

from eventhub.api.types import INT4_MAX, OutputModel, QueryModel
from eventhub.pagination import Window

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


def _at_most_max(limit: int) -> int:
    if limit > MAX_LIMIT:
        raise ValueError(f"at most {MAX_LIMIT} items a page; use offset for the next page")
    return limit


Limit = Annotated[
    int,
    Field(ge=1, json_schema_extra={"maximum": MAX_LIMIT}),
    AfterValidator(_at_most_max),
]
Offset = Annotated[int, Field(ge=0, le=INT4_MAX)]


class PageQuery(QueryModel):
    """The paging parameters every list takes; a list's own filters extend this model."""

    limit: Limit = Field(
        DEFAULT_LIMIT, description=f"At most this many items (default {DEFAULT_LIMIT}, maximum {MAX_LIMIT})."
    )
    offset: Offset = Field(0, description="Skip this many items (0 is the first page).")


class PagedList(OutputModel):
    """The paging part of every list's answer; each list adds its ``items``."""

    total: int = Field(description="How many items match, on all pages")
    limit: int = Field(description="The page size asked for")
    offset: int = Field(description="How many matching items come before this page")
    next: str | None = Field(description="The address of the next page; null on the last page")


def paged(window: Window[Any], items: list[Any]) -> dict[str, Any]:
    """The fields of a ``PagedList`` answer for ``window``, whose rows became ``items``."""
    return {
        "items": items,
        "total": window.total,
        "limit": window.limit,
        "offset": window.offset,
        "next": next_url(window.offset + window.limit) if window.has_more else None,
    }


def next_url(offset: int) -> str:
    """This request's address with ``offset`` changed: its path values and the rest of its query kept."""
    arguments: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict(), "offset": offset}
    return url_for(request.endpoint or "", _external=True, **arguments)


def window_of(items: list[Any], query: PageQuery) -> Window[Any]:
    """A window cut from a list already in memory (a short list filtered in Python, e.g. a minutes archive)."""
    return Window(items[query.offset : query.offset + query.limit], len(items), query.offset, query.limit)
