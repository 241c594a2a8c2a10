"""The API bodies of minutes: the working copy as PUT takes it, and the two shapes GET answers.

Editors (secretaries of the series, admins, organisers read-only) get the working copy (``MinutesDraft``),
everyone else who may see the meeting the latest published version (``PublishedMinutes``). Length limits are
the service's (``eventhub.minutes.services``): a body of up to 200,000 characters, as the web form allows.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, JsonValue

from eventhub.agenda.schemas import OwnerRef, PersonRef
from eventhub.api.paging import PagedList
from eventhub.api.types import Day, InputModel, Instant, Link, MultiLine, OutputModel, SingleLine
from eventhub.events.models import Event
from eventhub.events.people import owner_value
from eventhub.minutes.attendance import attendees_of
from eventhub.minutes.emails import minutes_url
from eventhub.minutes.models import Minutes
from eventhub.minutes.presenters import person_label
from eventhub.minutes.publication import PublishedMinutes as PublishedEntry
from eventhub.minutes.services import MAX_BODY, MAX_LINK, MAX_LIST


def _entries(item: type) -> type:
    return Annotated[list[item], Field(max_length=MAX_LIST)]  # type: ignore[valid-type]


class RoundTableInput(InputModel):
    person: PersonRef
    text: MultiLine(20_000) | None = None


class ActionItemInput(InputModel):
    what: SingleLine(1000, 1)
    owner: OwnerRef | None = None
    due: Day | None = Field(None, examples=["2022-12-07"])


class DeadlineInput(InputModel):
    title: SingleLine(500, 1)
    date: Day = Field(examples=["2022-12-07"])
    link: Link(MAX_LINK) | None = None


class MaterialInput(InputModel):
    title: SingleLine(500, 1)
    description: MultiLine(20_000) | None = None
    link: Link(MAX_LINK) | None = None


class MinutesInput(InputModel):
    """The body (required) and any structured parts; a part left out stays as it was."""

    body: MultiLine(MAX_BODY) = Field(description="The minutes in Markdown")
    attendees: _entries(PersonRef) = None
    round_table: _entries(RoundTableInput) = None
    decisions: _entries(MultiLine(5000, 1)) = None
    action_items: _entries(ActionItemInput) = None
    deadlines: _entries(DeadlineInput) = None
    materials: _entries(MaterialInput) = None
    next_meeting: SingleLine(300) | None = Field(
        None, examples=["Januar 2023"], description="Free text; the next event of the series is linked when it exists"
    )


class PublishInput(InputModel):
    change_note: MultiLine(1000) | None = Field(None, examples=["Rettet antal job"])


class PersonOut(OutputModel):
    email: str
    name: str
    organisation: str | None


class RoundTableOut(OutputModel):
    person: str = Field(description="The person's email")
    text: str | None


class ActionItemOut(OutputModel):
    what: str
    owner: str | None = Field(description="The owner's email, or the free text")
    due: str | None = Field(json_schema_extra={"format": "date"})


class DeadlineOut(OutputModel):
    title: str
    date: str = Field(json_schema_extra={"format": "date"})
    link: str | None


class MaterialOut(OutputModel):
    title: str
    description: str | None
    link: str | None


class MinutesDraft(OutputModel):
    """The working copy, in the shape PUT accepts (people as emails), plus its state."""

    event_id: int
    body: str = Field(description="Markdown")
    attendees: list[PersonOut]
    round_table: list[RoundTableOut]
    decisions: list[str]
    action_items: list[ActionItemOut]
    deadlines: list[DeadlineOut]
    materials: list[MaterialOut]
    next_meeting: str | None
    published_version: int = Field(description="The newest published version (0: none)")
    circulated_at: Instant | None

    @classmethod
    def of(cls, minutes: Minutes) -> MinutesDraft:
        event = minutes.event
        return cls(
            event_id=event.id, body=minutes.body,
            attendees=[
                PersonOut(email=p.email, name=p.name, organisation=p.organisation.name if p.organisation else None)
                for p in attendees_of(event)
            ],
            round_table=[RoundTableOut(person=entry.person.email, text=entry.text) for entry in minutes.round_table],
            decisions=list(minutes.decisions or []),
            action_items=[
                ActionItemOut(
                    what=i.what, owner=owner_value(i.owner_person, i.owner_text), due=i.due_on.isoformat() if i.due_on else None
                )
                for i in minutes.action_items
            ],
            deadlines=[DeadlineOut(title=d.title, date=d.due_on.isoformat(), link=d.link) for d in minutes.deadlines],
            materials=[MaterialOut.model_validate(material) for material in minutes.materials or []],
            next_meeting=minutes.next_meeting_text, published_version=minutes.published_version,
            circulated_at=minutes.circulated_at,
        )  # fmt: skip

    @classmethod
    def empty(cls, event: Event) -> MinutesDraft:
        """What an editor sees before anyone has written anything."""
        return cls(
            event_id=event.id, body="", attendees=[], round_table=[], decisions=[], action_items=[], deadlines=[],
            materials=[], next_meeting=None, published_version=0, circulated_at=None,
        )  # fmt: skip


class PublishedMinutes(OutputModel):
    """A published version: frozen body and parts (what the published page shows besides the body)."""

    event_id: int
    number: int
    version: int
    published_at: Instant
    change_note: str
    body: str
    parts: dict[str, JsonValue]
    url: str

    @classmethod
    def of(cls, published: PublishedEntry) -> PublishedMinutes:
        event, version = published.event, published.version
        return cls(
            event_id=event.id, number=event.number, version=version.number, published_at=version.published_at,
            change_note=version.change_note, body=version.body, parts=version.parts, url=minutes_url(event),
        )  # fmt: skip


class ArchivedMinutes(OutputModel):
    event_id: int
    number: int
    title: str
    starts_at: Instant
    version: int
    published_at: Instant
    attendees: list[str]
    url: str

    @classmethod
    def of(cls, entry: PublishedEntry) -> ArchivedMinutes:
        event, version = entry.event, entry.version
        return cls(
            event_id=event.id, number=event.number, title=event.title, starts_at=event.starts_at, version=version.number,
            published_at=version.published_at, attendees=[person_label(p) for p in version.parts.get("attendees", [])],
            url=minutes_url(event),
        )  # fmt: skip


class MinutesArchive(PagedList):
    items: list[ArchivedMinutes]
