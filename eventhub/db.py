"""The declarative base, a UTC datetime type that behaves the same on SQLite and PostgreSQL, and ``utcnow``."""

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


T = TypeVar("T")


def built_once(build: Callable[[], T]) -> Callable[[], T]:
    """``build`` (a function making a statement whose values are bind parameters) called once, its statement
    reused. SQLAlchemy memoizes a statement's cache key on the statement object: a statement built afresh for each
    execution is built and keyed again (its loader options walked), which was about half the ORM's CPU for each
    of the event page's reads (bench/profile_page.py). Statements are immutable, so sharing one is safe."""
    return functools.cache(build)


def utcnow() -> datetime:
    """The current instant as an aware UTC datetime; the one clock that services default to."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """An instant stored in UTC and always read back as an aware UTC datetime.

    PostgreSQL keeps the offset (timestamptz); SQLite keeps none, so naive values read from it are UTC by
    construction. Naive values are refused on the way in: a wall-clock time without its zone is a bug.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC instant is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base of every model: constraint names follow one convention so migrations can name them."""

    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    """``created_at`` and ``updated_at`` set by the database session, never by callers."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def enum_column(enum_cls: type, name: str) -> sa.Enum:
    """A portable enum: VARCHAR plus a named CHECK constraint, storing the members' values."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def insert_skipping_duplicates(table: sa.Table, session: Session) -> sa.Insert:
    """``INSERT ... ON CONFLICT DO NOTHING`` into ``table`` for ``session``'s database (PostgreSQL or SQLite): a
    row that would break a unique constraint is left out instead of failing the transaction, and with RETURNING
    it is not returned."""

    return _dialect_insert(table, session).on_conflict_do_nothing()


def insert_or_update(table: sa.Table, session: Session, key: list[str], update: dict[str, Any]) -> sa.Insert:
    """``INSERT ... ON CONFLICT (key) DO UPDATE`` for ``session``'s database (an upsert: two writers may race).
    ``update`` maps column names to SQL expressions, or to None for the value the INSERT brought (``excluded``)."""
    statement = _dialect_insert(table, session)
    values = {name: statement.excluded[name] if value is None else value for name, value in update.items()}
    return statement.on_conflict_do_update(index_elements=key, set_=values)


def _dialect_insert(table: sa.Table, session: Session) -> Any:
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)
