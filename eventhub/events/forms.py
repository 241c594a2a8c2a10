"""The organiser's event form: shape only (types, choices); ``eventhub.events.services`` holds the rules, so the
form and the API refuse the same things with the same field names."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Optional
from wtforms.widgets import TextInput

from eventhub.events.forms_settings import (
    ReminderFields,
    RetentionFields,
    reminder_mode_field,
    reminder_rows_field,
    retention_days_field,
    retention_mode_field,
)
from eventhub.events.models import Event, Series, Visibility
from eventhub.forms import Form
from eventhub.labels import EVENT_KIND, choices

# Shown and typed as "2027-01-15 14:00": year-month-day and a 24-hour clock, whatever the browser's language. (A
# datetime-local input shows "01/15/2027, 02:00 PM" in an American-English browser, ambiguous for readers here.)
# The ISO form with a "T" (what the API takes, and what a datetime-local input sends) is accepted too.
LOCAL_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
LOCAL_HELP = _l("Year-month-day and 24-hour time, e.g. 2027-01-15 14:00.")
VISIBILITY_CHOICES = [
    SelectChoice("", _l("As the series (public without a series)")),
    SelectChoice(Visibility.PUBLIC.value, _l("Public")),
    SelectChoice(Visibility.MEMBERS.value, _l("Members of the series only")),
]
DEFAULT_ZONE = "Europe/Copenhagen"


def zone_names(first: str | None = None) -> list[str]:
    """Every IANA zone, Europe/* first (where the networks meet), then the rest; ``first`` (the series' usual
    zone) leads when given."""
    names = sorted(available_timezones())
    ordered = [n for n in names if n.startswith("Europe/")] + [n for n in names if not n.startswith("Europe/")]
    if first in ordered:
        ordered.remove(first)
        ordered.insert(0, first)
    return ordered


class LocalDateTimeField(DateTimeField):
    """A local date and time as text in ``LOCAL_FORMATS``: unambiguous and 24-hour in every browser."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("description", LOCAL_HELP)
        kwargs.setdefault("render_kw", {"class": "local-datetime", "autocomplete": "off", "spellcheck": "false"})
        super().__init__(label, [*(validators or []), Optional()], format=LOCAL_FORMATS, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.strftime(LOCAL_FORMATS[0]) if self.data else ""


class EventForm(ReminderFields, RetentionFields, Form):
    """Fields named like the API's JSON. Zones and numbers are checked by the services (``validate_choice`` is off),
    so an unknown zone gets the same message next to the field as the API gives. The view fills the choices that
    come from the database and config (``offer``, ``language.choices``, ``offer_reminders``, ``offer_retention``)."""

    title = StringField(_l("Title"))
    kind = SelectField(_l("Kind"), choices=choices(EVENT_KIND))
    series = SelectField(_l("Series"), validate_choice=False)
    number = IntegerField(_l("Number in the series (empty: the next)"), validators=[Optional()])
    starts_at = LocalDateTimeField(_l("Starts (local time, 24-hour)"))
    ends_at = LocalDateTimeField(_l("Ends (local time, 24-hour)"))
    timezone = SelectField(_l("Time zone"), validate_choice=False)
    location = StringField(_l("Location"))
    online_url = StringField(_l("Online meeting link"))
    capacity = IntegerField(_l("Capacity (empty: no limit)"), validators=[Optional()])
    visibility = SelectField(_l("Visibility"), choices=VISIBILITY_CHOICES)
    invitation_only = BooleanField(_l("Invitation only"))
    registration_closes_at = LocalDateTimeField(_l("Registration closes (local time; empty: at the start)"))
    language = SelectField(
        _l("Language of emails"),
        validate_choice=False,
        description=_l("For people whose own language eventhub does not speak."),
    )
    reminder_mode = reminder_mode_field()
    reminder_offsets = reminder_rows_field()
    retention_mode = retention_mode_field()
    retention_days = retention_days_field()
    description = TextAreaField(
        _l("Description"),
        description=_l(
            "Write it in the event's language (the language chosen above; none: the series'). Invitees read it as "
            "written, whatever their own language."
        ),
    )
    submit = SubmitField(_l("Save event"))

    def offer(self, series_list: list[Series], zone_first: str | None = None, usual: bool = False) -> EventForm:
        """Fill the series and zone choices (they come from the database and the zone list). ``usual``: the first
        zone is the series' usual one, offered in a group of its own above all the others."""
        no_series = SelectChoice("", _l("(no series)"))
        self.series.choices = [no_series, *(SelectChoice(s.slug, s.title) for s in series_list)]
        zones = [SelectChoice(name, name) for name in zone_names(zone_first)]
        if usual and zone_first:
            self.timezone.choices = {str(_l("The series' usual zone")): zones[:1], str(_l("All zones")): zones[1:]}
        else:
            self.timezone.choices = zones
        return self

    def values(self) -> dict:
        """The submitted fields as the services take them (``EventInput`` names; local times without a zone)."""
        return {
            "title": self.title.data,
            "kind": self.kind.data,
            "series": self.series.data or None,
            "number": self.number.data,
            "starts_at": self.starts_at.data,
            "ends_at": self.ends_at.data,
            "timezone": self.timezone.data,
            "location": self.location.data or None,
            "online_url": self.online_url.data or None,
            "capacity": self.capacity.data,
            "visibility": self.visibility.data or None,
            "invitation_only": bool(self.invitation_only.data),
            "registration_closes_at": self.registration_closes_at.data,
            "language": self.language.data or None,
            "reminder_offsets": self.offsets_value(),
            "retention_days": self.retention_value(),
            "description": self.description.data or "",
        }


def form_data_of(event: Event) -> dict:
    """An event as the form shows it: times as local wall-clock time in the event's zone."""
    return {
        "title": event.title,
        "kind": event.kind.value,
        "series": event.series.slug if event.series else "",
        "number": event.number,
        "starts_at": _local(event.starts_at, event.timezone),
        "ends_at": _local(event.ends_at, event.timezone),
        "timezone": event.timezone,
        "location": event.location or "",
        "online_url": event.online_url or "",
        "capacity": event.capacity,
        "visibility": event.visibility.value,
        "invitation_only": event.invitation_only,
        "registration_closes_at": _local(event.registration_closes_at, event.timezone),
        "language": event.language or "",
        "reminder_offsets": event.reminder_offsets,
        "retention_days": event.retention_days,
        "description": event.description or "",
    }


def _local(moment: datetime | None, zone: str) -> datetime | None:
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None) if moment else None
