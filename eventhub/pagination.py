"""One page of a long list, counted and cut in SQL, and the text search every management list shares.

Lists in the management area (accounts, members, invitations, registrations, the outbox) may hold thousands of
rows: they are never loaded whole. A page is a ``select`` with LIMIT/OFFSET plus one COUNT of the same rows.
This is a core module: it knows SQLAlchemy, not any area's models.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from eventhub.extensions import db

T = TypeVar("T")

PER_PAGE = 50


@dataclass(frozen=True)
class Page(Generic[T]):
    """The rows of one page, how many rows match in all, the page's number (from 1) and its size."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass(frozen=True)
class Window(Generic[T]):
    """The rows from ``offset`` on, at most ``limit`` of them, and how many rows match in all: an API list's page."""

    items: list[T]
    total: int
    offset: int
    limit: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total


def paginate(statement: sa.Select, page: int = 1, per_page: int = PER_PAGE, *, scalars: bool = True) -> Page[Any]:
    """Run ``statement`` (already filtered and ordered) for page ``page`` of ``per_page`` rows, and count all
    matching rows. Pages past the end are empty, page numbers below 1 read as 1. ``scalars=False`` returns rows
    (for statements selecting several columns)."""
    page = max(1, page)
    cut = window(statement, (page - 1) * per_page, per_page, scalars=scalars)
    return Page(cut.items, cut.total, page, per_page)


def window(statement: sa.Select, offset: int, limit: int, *, scalars: bool = True) -> Window[Any]:
    """``limit`` rows of ``statement`` (filtered and ordered) from ``offset`` on, and the count of all matching
    rows: two statements however long the list. An offset past the end gives no rows, and the total."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())) or 0
    cut = statement.limit(limit).offset(max(0, offset))
    result = db.session.scalars(cut) if scalars else db.session.execute(cut)
    return Window(list(result.unique() if scalars else result), total, max(0, offset), limit)


def text_search(needle: str, columns: Sequence[sa.ColumnElement[str]]) -> sa.ColumnElement[bool] | None:
    """A condition matching rows where any of ``columns`` contains ``needle`` (any case, ``%`` and ``_`` taken
    literally), or None for a blank needle. Columns that are stored lower-cased (emails) are compared as is."""
    needle = needle.strip().lower()
    if not needle:
        return None
    return sa.or_(*(sa.func.lower(column).contains(needle, autoescape=True) for column in columns))
