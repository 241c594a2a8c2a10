"""A series' members as the members page and its CSV export read them: a page at a time, filtered by
organisation, language and role, and searched by name or email, all in SQL (a network may have thousands).

Read-only; the rules for adding and removing members are in ``eventhub.accounts.memberships``.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from eventhub.events.models import MembershipRole, Organisation, Person, Series, SeriesMembership
from eventhub.extensions import db
from eventhub.pagination import PER_PAGE, Page, paginate, text_search


@dataclass(frozen=True)
class MemberFilters:
    """What the list is narrowed to; empty values mean "any"."""

    search: str = ""
    organisation_id: int | None = None
    language: str = ""
    role: MembershipRole | None = None


def _members_query(series: Series, filters: MemberFilters) -> sa.Select:
    query = (
        sa.select(SeriesMembership)
        .join(Person, SeriesMembership.person_id == Person.id)
        .where(SeriesMembership.series_id == series.id)
        .options(joinedload(SeriesMembership.person).joinedload(Person.organisation))
    )
    matching = text_search(filters.search, [Person.name, Person.email])
    if matching is not None:
        query = query.where(matching)
    if filters.organisation_id is not None:
        query = query.where(Person.organisation_id == filters.organisation_id)
    if filters.language:
        query = query.where(Person.language == filters.language)
    if filters.role is not None:
        query = query.where(SeriesMembership.role == filters.role)
    return query.order_by(Person.name, Person.email, SeriesMembership.id)


def members_page(series: Series, filters: MemberFilters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """One page of the members matching ``filters``, by name, with how many match in all."""
    return paginate(_members_query(series, filters), page, per_page)


def all_members(series: Series, filters: MemberFilters = MemberFilters()) -> list[SeriesMembership]:
    """Every member matching ``filters``, by name (for the CSV export: one query, organisations loaded with it)."""
    return list(db.session.scalars(_members_query(series, filters)).unique())


def member_organisations(series: Series) -> list[tuple[int, str]]:
    """(id, name) of the organisations the series' members belong to, by name: the organisation filter's choices."""
    query = (
        sa.select(Organisation.id, Organisation.name)
        .join(Person, Person.organisation_id == Organisation.id)
        .join(SeriesMembership, SeriesMembership.person_id == Person.id)
        .where(SeriesMembership.series_id == series.id)
        .distinct()
        .order_by(Organisation.name)
    )
    return [(organisation_id, name) for organisation_id, name in db.session.execute(query)]


def member_languages(series: Series) -> list[str]:
    """The languages the series' members read, sorted: the language filter's choices."""
    query = (
        sa.select(Person.language)
        .join(SeriesMembership, SeriesMembership.person_id == Person.id)
        .where(SeriesMembership.series_id == series.id, Person.language.is_not(None))
        .distinct()
        .order_by(Person.language)
    )
    return list(db.session.scalars(query))
