"""The API bodies of series, members and events: what a request may send and what a response holds.

Input models check shape (types, lengths, formats); ``eventhub.events.services`` checks meaning (a known zone, an
end after the start, an existing series). Output instants are ISO 8601 with their offset: ``starts_at`` in UTC,
``local_*`` on the wall clock of the event's zone, so a Copenhagen meeting at 14:00 reads 14:00+01:00.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from flask import current_app
from flask_babel import gettext
from pydantic import AfterValidator, AliasPath, Field, StrictBool, StringConstraints, computed_field, field_validator

from eventhub.api.paging import PagedList, PageQuery
from eventhub.api.types import (
    DATE_OR_INSTANT_PATTERN,
    MAX_YEAR,
    MIN_YEAR,
    Email,
    InputModel,
    Instant,
    Link,
    LocalDateTime,
    MultiLine,
    OutputModel,
    PositiveInt4,
    SingleLine,
    Slug,
    TimeZoneName,
)
from eventhub.events.models import EventKind, EventStatus, MembershipRole, Visibility
from eventhub.events.people import LanguageFallback
from eventhub.events.reminder_offsets import MAX_OFFSET_MINUTES, MAX_OFFSETS
from eventhub.events.retention_days import MAX_RETENTION_DAYS, MIN_RETENTION_DAYS
from eventhub.i18n import language_fallback_text

# Markdown descriptions: the column is unbounded, the API takes up to this much.
MAX_DESCRIPTION = 20_000
ReminderOffset = Annotated[int, Field(strict=True, ge=1, le=MAX_OFFSET_MINUTES)]
# Checked against config LANGUAGES by the services (422 on ``language`` for one eventhub does not speak), so the
# document does not change when a language is added.
Language = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[a-z]{2,3}$"),
    Field(examples=["da"], description="A language eventhub speaks (one of config `LANGUAGES`); `null` inherits"),
]
# A person's language: any language code, spoken by eventhub or not (validation.normalize_language stores it).
PERSON_LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$"
PersonLanguage = Annotated[
    str,
    StringConstraints(strict=True, max_length=35, pattern=PERSON_LANGUAGE_PATTERN),
    Field(
        examples=["da", "de-AT", "pt-BR"],
        description="The person's language (a code such as `da`, `de-AT`, `pt-BR`). One eventhub does not speak is "
        "kept, and they read the event's language, else the series', else `en` until it does: the answer's "
        "`warnings` says so. Regional variants of a language eventhub speaks become that language (`de-AT` is `de`).",
    ),
]
RetentionDays = Annotated[int, Field(strict=True, ge=MIN_RETENTION_DAYS, le=MAX_RETENTION_DAYS)]
RETENTION_DESCRIPTION = (
    "Days after the event ends before its personal data (registrants, invitees, answers, requests, emails) is "
    "anonymised; counts stay. `null` inherits (an event: the series' period, then the site's "
    "`EVENTHUB_RETENTION_DAYS`; a series: the site's)"
)
OFFSETS_DESCRIPTION = (
    "Minutes before the start at which registrants are reminded, each once; `null` inherits (an event: the "
    "series' offsets, then 7 days and 1 day; a series: 7 days and 1 day), `[]` sends none"
)


def _offsets_field() -> Any:
    return Field(
        None,
        max_length=MAX_OFFSETS,
        json_schema_extra={"uniqueItems": True},
        description=OFFSETS_DESCRIPTION,
        examples=[[10080, 1440]],
    )


def _distinct_offsets(offsets: list[int] | None) -> list[int] | None:
    if offsets is not None and len(set(offsets)) != len(offsets):
        raise ValueError("each offset only once")
    return offsets


def _base_url() -> str:
    return current_app.config["BASE_URL"]


# ---------------------------------------------------------------------------------------------------------
# Series and members
# ---------------------------------------------------------------------------------------------------------


class SeriesPatch(InputModel):
    """Any subset of a series' settings (its slug is in every link, so it stays)."""

    title: SingleLine(200, 1) = Field(None, examples=["Buy Social Taskforce Danmark"])
    description: MultiLine(MAX_DESCRIPTION) | None = None
    visibility: Visibility = Visibility.PUBLIC
    organiser_name: SingleLine(200) | None = Field(
        None, examples=["Erhvervsstyrelsen"], description="The sender's name of emails about the series' events"
    )
    reminder_offsets: list[ReminderOffset] | None = _offsets_field()
    language: Language | None = None
    retention_days: RetentionDays | None = Field(None, description=RETENTION_DESCRIPTION, examples=[365])
    retention_keeps_organisations: StrictBool = Field(
        False, description="Anonymised registrations keep their organisation (figures by organisation stay)"
    )

    _distinct = field_validator("reminder_offsets")(_distinct_offsets)

    @field_validator("title", "visibility", "retention_keeps_organisations", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        """These fields may be left out of a change, but not set to null."""
        if value is None:
            raise ValueError("must not be null")
        return value


class SeriesInput(SeriesPatch):
    """A new series: slug and title are required."""

    slug: Slug = Field(examples=["buy-social-dk"])
    title: SingleLine(200, 1) = Field(examples=["Buy Social Taskforce Danmark"])


class Series(OutputModel):
    id: int
    slug: str
    title: str
    description: str
    visibility: Visibility
    organiser_name: str | None
    reminder_offsets: list[int] | None = Field(description="Minutes before the start; `null`: 7 days and 1 day")
    language: str | None = Field(description="The language of emails to people whose own eventhub does not speak")
    retention_days: int | None = Field(description="Days after an event ends; `null`: the site's default")
    retention_keeps_organisations: bool
    created_at: Instant
    updated_at: Instant

    @computed_field
    def url(self) -> str:
        return f"{_base_url()}/series/{self.slug}"


class SeriesList(PagedList):
    items: list[Series]


class MemberInput(InputModel):
    email: Email
    name: SingleLine(200) | None = Field(None, examples=["Anna Jensen"])
    organisation: SingleLine(200) | None = Field(None, examples=["Københavns Kommune"])
    role: MembershipRole = MembershipRole.MEMBER
    language: PersonLanguage | None = Field(None, description="Used only when the person is new")


class Member(OutputModel):
    """A membership, read through its person."""

    email: str = Field(validation_alias=AliasPath("person", "email"))
    name: str = Field(validation_alias=AliasPath("person", "name"))
    organisation: str | None = Field(None, validation_alias=AliasPath("person", "organisation", "name"))
    role: MembershipRole
    series: str = Field(validation_alias=AliasPath("series", "slug"))
    created_at: Instant


class MemberList(PagedList):
    items: list[Member]


class LanguageWarning(OutputModel):
    """Someone added whose language eventhub does not speak, and the language they will read instead."""

    line: int | None = Field(description="The row's line in the list (its 1-based position); `null` for one person")
    email: str
    language: str = Field(description="Their language, which eventhub does not speak (yet)", examples=["pt"])
    reads: str = Field(
        description="The language they read instead: the event's, else the series', else `en`", examples=["pl"]
    )
    message: str = Field(
        examples=["Line 4: Language 'pt' is not one eventhub speaks; ana@example.org will read Polish (the event's "
                  "language)."]
    )  # fmt: skip

    @classmethod
    def of(cls, fallback: LanguageFallback) -> LanguageWarning:
        text = language_fallback_text(fallback.language, fallback.email, fallback.reads, fallback.source)
        line = fallback.line or None
        message = f"{gettext('Line %(line)d', line=line)}: {text}" if line else text
        return cls(line=line, email=fallback.email, language=fallback.language, reads=fallback.reads, message=message)


class MemberAdded(Member):
    """The membership added (or found), with a warning when the new member's language is not one eventhub speaks."""

    warnings: list[LanguageWarning] = []


# ---------------------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------------------


class EventPatch(InputModel):
    """Any subset of an event's fields. Times are ISO 8601: wall-clock time in ``timezone``
    (2027-01-15T14:00:00) or with an offset."""

    title: SingleLine(200, 1) = Field(None, examples=["Buy Social Taskforce Danmark, 12th meeting"])
    kind: EventKind = EventKind.MEETING
    series: Slug | None = None
    number: PositiveInt4 | None = None
    starts_at: LocalDateTime = Field(
        None, examples=["2027-01-15T14:00:00"], description="Local to `timezone` unless it has an offset"
    )
    ends_at: LocalDateTime = Field(None, examples=["2027-01-15T16:00:00"], description="After starts_at")
    timezone: TimeZoneName = Field(None, description="IANA time zone")
    description: MultiLine(MAX_DESCRIPTION) | None = None
    location: SingleLine(300) | None = Field(None, examples=["Københavns Rådhus"])
    online_url: Link(500) | None = None
    country: Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z]{2}$")] | None = Field(
        None, examples=["DK"]
    )
    capacity: PositiveInt4 | None = None
    registration_closes_at: LocalDateTime | None = Field(None, description="Not after ends_at")
    visibility: Visibility | None = Field(None, description="Defaults to the series' visibility")
    invitation_only: StrictBool = False
    reminder_offsets: list[ReminderOffset] | None = _offsets_field()
    language: Language | None = None
    retention_days: RetentionDays | None = Field(None, description=RETENTION_DESCRIPTION, examples=[90])

    _distinct = field_validator("reminder_offsets")(_distinct_offsets)

    @field_validator("title", "starts_at", "ends_at", "timezone", "kind", "invitation_only", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        """These fields may be left out of a change, but not set to null."""
        if value is None:
            raise ValueError("must not be null")
        return value


class EventChange(EventPatch):
    """The body of PATCH /events/<id>: some fields of the event, and what to do if the new capacity is below the
    confirmed registrations."""

    over_capacity: Literal["keep", "waitlist_latest"] | None = Field(
        None,
        description="Only read when `capacity` goes below the confirmed registrations (otherwise the answer is "
        "409 `capacity_below_confirmed`): `keep` leaves everyone confirmed (the new capacity applies to new "
        "registrations only); `waitlist_latest` moves the most recently confirmed to the front of the waiting "
        "list and emails them (with a calendar CANCEL)",
    )


class EventInput(EventPatch):
    """A new event: title, start, end and zone are required."""

    title: SingleLine(200, 1) = Field(examples=["Buy Social Taskforce Danmark, 12th meeting"])
    starts_at: LocalDateTime = Field(
        examples=["2027-01-15T14:00:00"], description="Local to `timezone` unless it has an offset"
    )
    ends_at: LocalDateTime = Field(examples=["2027-01-15T16:00:00"], description="After starts_at")
    timezone: TimeZoneName = Field(description="IANA time zone")


class Event(OutputModel):
    id: int
    title: str
    description: str
    kind: EventKind
    series: str | None = Field(None, validation_alias=AliasPath("series", "slug"))
    number: int | None
    starts_at: Instant = Field(description="UTC")
    ends_at: Instant = Field(description="UTC")
    timezone: str
    location: str | None
    online_url: str | None
    country: str | None
    capacity: int | None
    registration_closes_at: Instant | None
    visibility: Visibility
    invitation_only: bool
    status: EventStatus
    cancelled_at: Instant | None
    sequence: int = Field(ge=0)
    reminder_offsets: list[int] | None = Field(description="Minutes before the start; `null` inherits the series'")
    language: str | None = Field(description="`null` inherits the series' language")
    retention_days: int | None = Field(description="Days after the end; `null` inherits the series' period")
    anonymised_at: Instant | None = Field(description="When its personal data was anonymised; `null` until then")
    created_at: Instant
    updated_at: Instant

    @computed_field(description="Wall-clock time in `timezone`, with its offset")
    def local_starts_at(self) -> Instant:
        return self.starts_at.astimezone(_zone(self.timezone))

    @computed_field(description="Wall-clock time in `timezone`, with its offset")
    def local_ends_at(self) -> Instant:
        return self.ends_at.astimezone(_zone(self.timezone))

    @computed_field
    def url(self) -> str:
        return f"{_base_url()}/events/{self.id}"


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


class EventList(PagedList):
    items: list[Event]


def _utc_instant(value: str) -> datetime:
    """A date (midnight UTC) or a date-time (UTC unless it has an offset), in the years we accept."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError("an ISO 8601 date or date-time, e.g. 2027-01-15 or 2027-01-15T14:00:00+01:00") from None
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise ValueError(f"a year from {MIN_YEAR} to {MAX_YEAR}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


DateOrInstant = Annotated[
    str,
    StringConstraints(max_length=40, pattern=DATE_OR_INSTANT_PATTERN),
    AfterValidator(_utc_instant),
    Field(json_schema_extra={"examples": ["2027-01-01"]}),
]


class EventListQuery(PageQuery):
    """The filters of the event list; every one is optional."""

    series: SingleLine(200) | None = Field(None, description="Only events of this series (its slug).")
    kind: EventKind | None = Field(None, description="Only events of this kind.")
    status: EventStatus | None = Field(None, description="Only scheduled or only cancelled events.")
    from_: DateOrInstant | None = Field(
        None,
        alias="from",
        description="Events starting at or after this ISO 8601 date or date-time (UTC unless it has an offset).",
    )
    to: DateOrInstant | None = Field(
        None, description="Events starting before this ISO 8601 date or date-time (UTC unless it has an offset)."
    )
