"""The API bodies of an event's agenda, and the person references agendas and minutes share.

A person is named by an email or by ``{email, name, organisation}`` (name and organisation are used only for
someone new); an owner may also be free text ("Per Bach og Anne Rahbek").
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Field, StrictBool, Tag

from eventhub.agenda.models import Agenda as AgendaRow
from eventhub.agenda.models import AgendaItem as AgendaItemRow
from eventhub.agenda.models import AgendaItemKind
from eventhub.agenda.services import MAX_ITEMS, agenda_days
from eventhub.api.types import Email, InputModel, Instant, LocalDateTime, MultiLine, OutputModel, SingleLine
from eventhub.events.models import Event
from eventhub.events.people import MAX_OWNER_TEXT, owner_value

MAX_DURATION_MINUTES = 24 * 60 * 14


class PersonInput(InputModel):
    email: Email
    name: SingleLine(200) | None = None
    organisation: SingleLine(200) | None = None


def _string_or_object(value: Any) -> str:
    """The union's branch: raw JSON when validating, a PersonInput when the parsed body is dumped again."""
    return "as-object" if isinstance(value, dict | PersonInput) else "as-string"


PersonRef = Annotated[
    Annotated[Email, Tag("as-string")] | Annotated[PersonInput, Tag("as-object")],
    Discriminator(_string_or_object),
    Field(description="An email, or {email, name, organisation} (name and organisation are used for new people)"),
]
OwnerRef = Annotated[
    Annotated[SingleLine(MAX_OWNER_TEXT), Tag("as-string")] | Annotated[PersonInput, Tag("as-object")],
    Discriminator(_string_or_object),
    Field(
        description='An email (a person), {email, name, organisation}, or free text (e.g. "Per Bach og Anne Rahbek")'
    ),
]


class AgendaItemInput(InputModel):
    starts_at: LocalDateTime = Field(
        examples=["2022-11-15T14:00:00"], description="Local to the event's zone unless it has an offset"
    )
    ends_at: LocalDateTime | None = Field(None, examples=["2022-11-15T14:05:00"])
    duration_minutes: Annotated[int, Field(strict=True, ge=1, le=MAX_DURATION_MINUTES)] = Field(
        None, description="Instead of ends_at"
    )
    title: SingleLine(300, 1) = Field(examples=["Velkommen"])
    owner: OwnerRef | None = None
    kind: AgendaItemKind = AgendaItemKind.OTHER
    description: MultiLine(20_000) | None = None


class AgendaInput(InputModel):
    items: list[AgendaItemInput] = Field(max_length=MAX_ITEMS)
    allows_parallel: StrictBool = Field(None, description="Items may overlap (conferences with parallel tracks)")
    published: StrictBool = Field(None, description="Publish (true) or withdraw (false) the agenda")


class AgendaItem(OutputModel):
    """Times as wall-clock time in the event's zone with the offset: readable, and accepted again by PUT."""

    id: int
    position: int
    day: str = Field(description="Local date in the event's zone")
    starts_at: Instant = Field(description="Wall-clock time in the event's zone, with its offset")
    ends_at: Instant
    title: str
    description: str
    kind: AgendaItemKind
    owner: str | None = Field(description="The owner's email, or the free text")
    owner_name: str | None

    @classmethod
    def of(cls, item: AgendaItemRow, event: Event) -> AgendaItem:
        return cls(
            id=item.id, position=item.position, day=item.local_day(event.timezone).isoformat(),
            starts_at=item.starts_at.astimezone(event.zone), ends_at=item.ends_at.astimezone(event.zone),
            title=item.title, description=item.description, kind=item.kind,
            owner=owner_value(item.owner_person, item.owner_text), owner_name=item.owner_label or None,
        )  # fmt: skip


class Agenda(OutputModel):
    event_id: int
    timezone: str
    allows_parallel: bool
    published_at: Instant | None
    version: int
    items: list[AgendaItem]

    @classmethod
    def of(cls, event: Event, agenda: AgendaRow | None, include_unpublished: bool) -> Agenda:
        """The agenda as the caller may see it: its items only once published, unless they may edit it."""
        shown = agenda is not None and (agenda.is_published or include_unpublished)
        days = agenda_days(agenda, event.timezone) if shown else []
        return cls(
            event_id=event.id, timezone=event.timezone, allows_parallel=bool(agenda and agenda.allows_parallel),
            published_at=agenda.published_at if agenda else None, version=agenda.version if agenda else 0,
            items=[AgendaItem.of(item, event) for _day, items in days for item in items],
        )  # fmt: skip
