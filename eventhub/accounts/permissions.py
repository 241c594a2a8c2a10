"""Who may do what. Predicates only: callers decide whether a ``False`` means 403 or a hidden link.

Admins may do everything. Organisers see every series and event, and manage (settings, members, events,
invitations, registrations) the series where they hold an organiser membership, the events of those series, and
the events without a series that they created. Secretaries keep the agendas and minutes of the series where they
are secretary; members see the members-only series they belong to.
"""

import sqlalchemy as sa

from eventhub.accounts.models import Role, User
from eventhub.events.models import Event, MembershipRole, Series, SeriesMembership, Visibility
from eventhub.extensions import db

STAFF_ROLES = (Role.ADMIN, Role.ORGANISER)
# Roles an account must have to be made organiser of a series: a membership carries no rights of its own.
ORGANISER_ROLES = STAFF_ROLES


def is_staff(user: User | None) -> bool:
    """Admins and organisers: they see every series and event (what they may change is ``can_manage_*``)."""
    return user is not None and user.is_authenticated and user.role in STAFF_ROLES


def is_admin(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.role == Role.ADMIN


def can_manage_events(user: User | None) -> bool:
    """Whether ``user`` may manage events at all: use the management area, create an event (without a series, or
    in a series they manage). Which events: ``can_manage_event``."""
    return is_staff(user)


def can_manage_series(user: User | None, series: Series | None = None) -> bool:
    """Whether ``user`` may manage ``series`` (its settings, members, events); without a series: whether they may
    create one. Admins manage every series; organisers those they organise (an organiser membership)."""
    if not is_staff(user):
        return False
    if series is None or user.role == Role.ADMIN:
        return True
    return _organises(user, series.id)


def can_manage_event(user: User | None, event: Event) -> bool:
    """Whether ``user`` may manage ``event`` (edit, move, cancel, invite, see its registrations): admins always;
    organisers the events of the series they organise, and the events without a series that they created."""
    if not is_staff(user):
        return False
    if user.role == Role.ADMIN:
        return True
    if event.series_id is not None:
        return _organises(user, event.series_id)
    return event.created_by_id is not None and event.created_by_id == user.id


def is_organiser_of(user: User | None, series: Series) -> bool:
    """Whether ``user`` holds an organiser membership of ``series`` (admins only when they hold one too)."""
    return is_staff(user) and _organises(user, series.id)


def _organises(user: User, series_id: int) -> bool:
    return (
        db.session.scalar(
            sa.select(SeriesMembership.id).where(
                SeriesMembership.series_id == series_id,
                SeriesMembership.person_id == user.person_id,
                SeriesMembership.role == MembershipRole.ORGANISER,
            )
        )
        is not None
    )


def is_member_of(user: User | None, series: Series) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(SeriesMembership)
            .where(SeriesMembership.series_id == series.id, SeriesMembership.person_id == user.person_id)
        )
        > 0
    )


def is_secretary_of(user: User | None, series: Series | None) -> bool:
    """Admins everywhere; otherwise a membership of ``series`` with the secretary role."""
    if user is None or not user.is_authenticated:
        return False
    if user.role == Role.ADMIN:
        return True
    if series is None:
        return False
    role = db.session.scalar(
        sa.select(SeriesMembership.role).where(
            SeriesMembership.series_id == series.id, SeriesMembership.person_id == user.person_id
        )
    )
    return role == MembershipRole.SECRETARY


def can_view_series(user: User | None, series: Series) -> bool:
    return series.visibility == Visibility.PUBLIC or is_staff(user) or is_member_of(user, series)


def can_view_event(user: User | None, event: Event) -> bool:
    """Public events are public; members-only events need staff or a membership of the event's series."""
    if event.visibility == Visibility.PUBLIC and (event.series is None or can_view_series(user, event.series)):
        return True
    if is_staff(user):
        return True
    return event.series is not None and is_member_of(user, event.series)


def can_grant_membership_role(actor: User | None, role: MembershipRole) -> bool:
    """Whether ``actor`` may give someone ``role`` in a series (themself included).

    Organisers add plain members. The other roles are granted by admins only: a secretary edits and publishes
    minutes, which organisers may not, and an organiser of a series manages it, so nobody can raise themself or
    anyone else above their own rights, nor take over a series they do not run. Whether ``actor`` manages the
    series at all is ``can_manage_series``.
    """
    if role == MembershipRole.MEMBER:
        return is_staff(actor)
    return is_admin(actor)


def can_view_members(user: User | None, series: Series) -> bool:
    """Member lists carry email addresses: the people who manage the series see them, and its secretaries (for
    minutes)."""
    return can_manage_series(user, series) or is_secretary_of(user, series)


# ---------------------------------------------------------------------------------------------------------
# The same visibility rules in SQL, for lists (tests/accounts/test_event_visibility.py checks they agree)
# ---------------------------------------------------------------------------------------------------------


def visible_events_clause(user: User | None) -> sa.ColumnElement[bool]:
    """``can_view_event`` as a WHERE condition on ``Event``, so lists filter in the query (one statement however
    many events) instead of asking per event: staff see every event; anyone else the public events outside
    members-only series, and a logged-in person also every event of the series they belong to."""
    if is_staff(user):
        return sa.true()
    return _visible_without_staff(user.person_id if user is not None and user.is_authenticated else None)


def events_visible_to_person_clause(person_id: int | sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
    """The same rule for a person nobody is logged in as (a personal calendar feed, opened by its token): their
    staff rights come from their account's role, in SQL. ``person_id`` may be a column, so one query can
    serve several feeds."""
    staff = sa.exists().where(User.person_id == person_id, User.role.in_(STAFF_ROLES))
    return sa.or_(staff, _visible_without_staff(person_id))


def visible_series_clause(user: User | None) -> sa.ColumnElement[bool]:
    """``can_view_series`` as a WHERE condition on ``Series``."""
    if is_staff(user):
        return sa.true()
    public = Series.visibility == Visibility.PUBLIC
    if user is None or not user.is_authenticated:
        return public
    return sa.or_(public, Series.id.in_(_series_of(user.person_id)))


def _visible_without_staff(person_id: int | sa.ColumnElement[int] | None) -> sa.ColumnElement[bool]:
    public_series = sa.select(Series.id).where(Series.visibility == Visibility.PUBLIC)
    public = sa.and_(
        Event.visibility == Visibility.PUBLIC, sa.or_(Event.series_id.is_(None), Event.series_id.in_(public_series))
    )
    if person_id is None:
        return public
    return sa.or_(public, Event.series_id.in_(_series_of(person_id)))


# ---------------------------------------------------------------------------------------------------------
# The management rules in SQL, for the organiser's lists (tests/accounts/test_organiser_rights.py checks they agree)
# ---------------------------------------------------------------------------------------------------------


def managed_series_clause(user: User | None) -> sa.ColumnElement[bool]:
    """``can_manage_series(user, series)`` as a WHERE condition on ``Series``."""
    if is_admin(user):
        return sa.true()
    if not is_staff(user):
        return sa.false()
    return Series.id.in_(_organised_by(user.person_id))


def managed_events_clause(user: User | None) -> sa.ColumnElement[bool]:
    """``can_manage_event(user, event)`` as a WHERE condition on ``Event``."""
    if is_admin(user):
        return sa.true()
    if not is_staff(user):
        return sa.false()
    standalone = sa.and_(Event.series_id.is_(None), Event.created_by_id == user.id)
    return sa.or_(Event.series_id.in_(_organised_by(user.person_id)), standalone)


def _organised_by(person_id: int) -> sa.Select:
    return sa.select(SeriesMembership.series_id).where(
        SeriesMembership.person_id == person_id, SeriesMembership.role == MembershipRole.ORGANISER
    )


def _series_of(person_id: int | sa.ColumnElement[int]) -> sa.Select:
    return sa.select(SeriesMembership.series_id).where(SeriesMembership.person_id == person_id)
