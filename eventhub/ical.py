"""iCalendar (RFC 5545) documents for feeds and invitation emails, built with the icalendar library.

Pure: functions take events (ORM objects or anything with the same attributes), plain values and ``base_url``,
and return bytes. No database, no request, no app context, so the mail builder and the benchmark can use them.
A core module (no area imports): the calendar feeds and registration's invitation emails both build on it.

What calendar programs rely on, and so what never changes for an event: its UID (``event-<id>@<host>``) and a
SEQUENCE that only grows (the services bump it on a change of time, place or status). A cancelled event is sent
with ``STATUS:CANCELLED`` and its higher SEQUENCE so subscribed clients remove it.

Feed output is deterministic (DTSTAMP is the row's last change, not the clock) so that equal data gives equal
bytes: the views send a strong ETag computed from the data without building the body.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr
from functools import lru_cache
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar

PRODID = "-//eventhub//Calendar feeds//EN"
REFRESH = timedelta(hours=1)
_BEGIN_EVENT, _END_EVENT = "BEGIN:VEVENT\r\n", "END:VEVENT\r\n"
CATEGORY_BY_KIND = {
    "conference": "Conference",
    "meeting": "Meeting",
    "webinar": "Webinar",
    "mission": "Mission",
    "working_group_meeting": "Working group meeting",
}


@dataclass(frozen=True)
class CalendarWords:
    """The words a calendar shows besides the events' own texts, in its reader's language: the category of each
    kind of event, and of action items and deadlines. English unless the caller passes its reader's
    (``eventhub.i18n.calendar_words``): this module knows no catalogue."""

    kinds: Mapping[str, str] = field(default_factory=lambda: dict(CATEGORY_BY_KIND))
    action_item: str = "Action item"
    deadline: str = "Deadline"


ENGLISH = CalendarWords()


@dataclass(frozen=True)
class Organizer:
    """Who an event is from: ``ORGANIZER;CN=<name>:mailto:<email>``."""

    name: str
    email: str

    @classmethod
    def from_address(cls, address: str) -> Organizer:
        """``"eventhub <noreply@example.org>"`` (MAIL_DEFAULT_SENDER's form) as an Organizer."""
        name, email = parseaddr(address)
        return cls(name=name or email, email=email)


@dataclass(frozen=True)
class DatedItem:
    """An action item or a deadline: a thing due on a day, from the minutes of a meeting."""

    id: int
    kind: Literal["action-item", "deadline"]
    summary: str
    due_on: date
    description: str
    url: str
    changed_at: datetime


@dataclass(frozen=True)
class Attachment:
    """A material of an event, listed in its VEVENT as ``ATTACH;FMTTYPE=<type>:<absolute url>`` (RFC 5545 3.8.1.1);
    a link has no type."""

    url: str
    content_type: str | None = None


def event_page_url(base_url: str, event_id: int) -> str:
    """The event's page (the ``events.event`` route); a test keeps this in step with the route table."""
    return f"{base_url}/events/{event_id}"


def event_uid(event_id: int, base_url: str) -> str:
    """The UID of an event in every feed and invitation: it never changes, so clients update instead of duplicating."""
    return f"event-{event_id}@{_host(base_url)}"


def feed_calendar(
    name: str,
    zone: str | None,
    events: Iterable[Any],
    base_url: str,
    sender: Organizer,
    agenda_texts: Mapping[int, str] | None = None,
    items: Sequence[DatedItem] = (),
    words: CalendarWords = ENGLISH,
    attachments: Mapping[int, Sequence[Attachment]] | None = None,
) -> bytes:
    """A subscribable calendar: the events, and each dated item as an all-day VEVENT (action items also as VTODO).
    ``attachments`` are each event's materials, by event id.

    Rendered here from scratch (the calendar area assembles the same text from stored components instead).
    ``zone`` is the calendar's home zone (X-WR-TIMEZONE; None leaves it out); every event keeps its own TZID and
    VTIMEZONE.
    """
    texts = agenda_texts or {}
    events = list(events)
    components = [
        wrap_event(
            event_body(event, base_url, texts.get(event.id, ""), words, (attachments or {}).get(event.id, ())),
            event.updated_at,
            organizer_line(*feed_organizer(event, sender)),
            _value(event.status) == "cancelled",
        )
        for event in events
    ]
    components += [dated_item_text(item, base_url, sender, words) for item in items]
    spans = [(event.timezone, event.starts_at.year, event.ends_at.year) for event in events]
    return calendar_text(CalendarHeader(name, zone), timezones_text(spans, zone), components).encode()


def itip_event(
    event: Any,
    attendee_email: str,
    attendee_name: str,
    method: Literal["REQUEST", "CANCEL"],
    now: datetime,
    base_url: str,
    organizer: Organizer,
    agenda_text: str = "",
    registered: bool = False,
    words: CalendarWords = ENGLISH,
    body: str | None = None,
) -> bytes:
    """An invitation (METHOD:REQUEST) or its withdrawal (METHOD:CANCEL) for one attendee (RFC 5546).

    Same UID and SEQUENCE as the feeds, so a client that has the event from a feed updates that one entry.
    A ``registered`` attendee has already said yes (``PARTSTAT=ACCEPTED;RSVP=FALSE``): calendar programs then
    offer no Accept/Decline buttons, whose replies would go nowhere and cancel nothing; anyone else is asked
    (``PARTSTAT=NEEDS-ACTION;RSVP=TRUE``). ``body`` is the event's stored component text (``event_body``'s),
    rendered here when not given: DTSTAMP, ORGANIZER, ATTENDEE and STATUS are this message's own.
    """
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"unsupported iTIP method {method!r}")
    attendee = icalendar.vCalAddress(f"mailto:{attendee_email}")
    answer = {"PARTSTAT": "ACCEPTED", "RSVP": "FALSE"} if registered else {"PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"}
    attendee.params.update({"CN": attendee_name, "ROLE": "REQ-PARTICIPANT", **answer})
    if body is None:
        body = event_body(event, base_url, agenda_text, words)
    cancelled = method == "CANCEL" or _value(event.status) == "cancelled"
    component = wrap_event(
        body, now, organizer_line(organizer.name, organizer.email), cancelled, _property_line("ATTENDEE", attendee)
    )
    spans = [(event.timezone, event.starts_at.year, event.ends_at.year)]
    header = CalendarHeader(None, None, method)
    return calendar_text(header, timezones_text(spans, None), [component]).encode()


def event_body(
    event: Any,
    base_url: str,
    agenda_text: str = "",
    words: CalendarWords = ENGLISH,
    attachments: Sequence[Attachment] = (),
) -> str:
    """The lines of an event's VEVENT that depend on the event alone, in one language: what the calendar area
    stores per event and language (``eventhub.calendar.components``), with an ATTACH per material.

    Local times in the event's zone, so it keeps its wall-clock time across DST changes. Left out, as they
    differ per message: DTSTAMP, ORGANIZER, ATTENDEE and STATUS (``wrap_event`` adds them)."""
    zone = ZoneInfo(event.timezone)
    page = event_page_url(base_url, event.id)
    component = icalendar.Event()
    component.add("UID", event_uid(event.id, base_url))
    component.add("CREATED", event.created_at)
    component.add("LAST-MODIFIED", event.updated_at)
    component.add("SEQUENCE", event.sequence)
    component.add("DTSTART", event.starts_at.astimezone(zone))
    component.add("DTEND", event.ends_at.astimezone(zone))
    component.add("SUMMARY", event.title)
    location = event.location or event.online_url
    if location:
        component.add("LOCATION", location)
    component.add("URL", event.online_url or page)
    component.add("DESCRIPTION", _description(event, agenda_text, page))
    component.add("CATEGORIES", [words.kinds.get(_value(event.kind), _value(event.kind))])
    component.add("TRANSP", "OPAQUE")
    for attachment in attachments:
        params = {"FMTTYPE": attachment.content_type} if attachment.content_type else {}
        component.add("ATTACH", attachment.url, parameters=params)
    return component.to_ical().decode()[len(_BEGIN_EVENT) : -len(_END_EVENT)]


def wrap_event(body: str, dtstamp: datetime, organizer: str, cancelled: bool, attendee: str = "") -> str:
    """A whole VEVENT from a stored ``body`` and the lines of this message: DTSTAMP (UTC), ``organizer``'s
    line (``organizer_line``), an ATTENDEE line (iTIP) and STATUS."""
    stamp = dtstamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    status = "CANCELLED" if cancelled else "CONFIRMED"
    return f"{_BEGIN_EVENT}DTSTAMP:{stamp}\r\n{organizer}{attendee}STATUS:{status}\r\n{body}{_END_EVENT}"


def feed_organizer(event: Any, sender: Organizer) -> tuple[str, str]:
    """(name, email) of a feed entry's ORGANIZER: the series' organiser at the site's sender address."""
    series = getattr(event, "series", None)
    return (series.organiser_name if series is not None else None) or sender.name, sender.email


@lru_cache(maxsize=1024)
def organizer_line(name: str, email: str) -> str:
    """``ORGANIZER;CN=<name>:mailto:<email>`` as a folded content line (cached: a feed has few organisers)."""
    return _property_line("ORGANIZER", _address(name, email))


def _property_line(name: str, value: Any) -> str:
    holder = icalendar.Event()
    holder.add(name, value)
    return holder.to_ical().decode()[len(_BEGIN_EVENT) : -len(_END_EVENT)]


@dataclass(frozen=True)
class CalendarHeader:
    """What a VCALENDAR says about itself: a feed's name and home zone, or an iTIP message's METHOD."""

    name: str | None
    zone: str | None = None
    method: str | None = None


def calendar_text(header: CalendarHeader, timezones: str, components: Iterable[str]) -> str:
    """The calendar: header, the VTIMEZONEs (before the components that use them), then each component's text."""
    return "".join([_header_text(header), timezones, *components, "END:VCALENDAR\r\n"])


@lru_cache(maxsize=256)
def _header_text(header: CalendarHeader) -> str:
    """X-WR-CALNAME is TEXT (a backslash, comma or semicolon in a name escaped as RFC 5545 says); X-WR-TIMEZONE
    only when the calendar has a home zone (a series may span several)."""
    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    if header.method is not None:
        calendar.add("METHOD", header.method)
    if header.name is not None:
        calendar.add("X-WR-CALNAME", icalendar.vText(header.name))
        if header.zone is not None and header.zone != "UTC":
            calendar.add("X-WR-TIMEZONE", icalendar.vText(header.zone))
        calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(REFRESH))
    return calendar.to_ical().decode()[: -len("END:VCALENDAR\r\n")]


def timezones_text(spans: Iterable[tuple[str, int, int]], home_zone: str | None) -> str:
    """A VTIMEZONE for every zone of ``spans`` (zone, first year, last year) and the home zone, covering the
    years the events span."""
    spans = list(spans)
    zones = {zone for zone, _, _ in spans} | ({home_zone} if home_zone else set())
    years = [year for _, first, last in spans for year in (first, last)]
    first, last = (min(years), max(years)) if years else (2000, 2000)
    return "".join(timezone_text(zone, first, last) for zone in sorted(zones - {"UTC"}))


@lru_cache(maxsize=256)
def timezone_text(zone: str, first_year: int, last_year: int) -> str:
    """Cached: computing transitions takes about a millisecond per zone. Without the COMMENT icalendar puts at
    the VTIMEZONE level, where RFC 5545 allows none (libical reports it)."""
    component = icalendar.Timezone.from_tzid(
        zone, first_date=date(first_year - 1, 1, 1), last_date=date(last_year + 2, 1, 1)
    )
    component.pop("COMMENT", None)
    return component.to_ical().decode()


def dated_item_components(
    item: DatedItem, base_url: str, sender: Organizer, words: CalendarWords = ENGLISH
) -> list[icalendar.Component]:
    """An all-day VEVENT for every client, and for action items also a VTODO (with its own UID) for task lists."""
    host = _host(base_url)
    day_event = icalendar.Event()
    day_event.add("UID", f"{item.kind}-{item.id}@{host}")
    _add_dated_fields(day_event, item, sender, words)
    day_event.add("DTSTART", item.due_on)
    day_event.add("DTEND", item.due_on + timedelta(days=1))
    day_event.add("TRANSP", "TRANSPARENT")
    components: list[icalendar.Component] = [day_event]
    if item.kind == "action-item":
        todo = icalendar.Todo()
        todo.add("UID", f"{item.kind}-{item.id}-todo@{host}")
        _add_dated_fields(todo, item, sender, words)
        todo.add("DUE", item.due_on)
        todo.add("STATUS", "NEEDS-ACTION")
        components.append(todo)
    return components


def dated_item_text(item: DatedItem, base_url: str, sender: Organizer, words: CalendarWords = ENGLISH) -> str:
    """``dated_item_components`` as text, as the calendar area stores it per item and language."""
    return "".join(component.to_ical().decode() for component in dated_item_components(item, base_url, sender, words))


def _add_dated_fields(component: icalendar.Component, item: DatedItem, sender: Organizer, words: CalendarWords) -> None:
    component.add("DTSTAMP", item.changed_at)
    component.add("LAST-MODIFIED", item.changed_at)
    component.add("SEQUENCE", 0)
    component.add("SUMMARY", item.summary)
    component.add("DESCRIPTION", item.description)
    component.add("URL", item.url)
    component.add("ORGANIZER", _address(sender.name, sender.email))
    component.add("CATEGORIES", [words.action_item if item.kind == "action-item" else words.deadline])


def _description(event: Any, agenda_text: str, page: str) -> str:
    parts = [text.strip() for text in (event.description or "", agenda_text) if text and text.strip()]
    return "\n\n".join([*parts, page])


def _address(name: str, email: str) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    return address


def _value(member: Any) -> str:
    return member.value if hasattr(member, "value") else str(member)


def _host(base_url: str) -> str:
    return urlsplit(base_url).hostname or "eventhub.invalid"
