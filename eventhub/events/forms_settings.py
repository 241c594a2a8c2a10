"""The settings series and events share on their forms: reminder offsets, language and the retention period.

Offsets are stored as minutes before the start (``eventhub.events.reminder_offsets``); people read and enter them as
rows of "number + unit" (days, hours, minutes), so nobody has to work out that a week is 10080 minutes. A choice
above the rows says whether the form inherits (the series' offsets, or the default), sends none, or uses the rows.
Shape only: the service (``clean_reminder_offsets``) holds the rule and its messages land on ``reminder_offsets``.
"""

from __future__ import annotations

import re
from typing import Any

from babel import Locale
from babel.lists import format_list
from flask import current_app
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import FormField, IntegerField, RadioField, SelectChoice, SelectField, StringField
from wtforms.fields import FieldList
from wtforms.validators import Length, NumberRange, Optional, Regexp, StopValidation, ValidationError

from eventhub.events.reminder_offsets import DEFAULT_OFFSETS, MAX_OFFSET_MINUTES, MAX_OFFSETS
from eventhub.events.retention_days import MAX_RETENTION_DAYS, MIN_RETENTION_DAYS
from eventhub.forms import Form, RowForm
from eventhub.i18n import LANGUAGE_NAMES
from eventhub.validation import supported_languages

# The shape of a language code as a person types it ("pt-BR", "de_AT"); ``validation.LANGUAGE_TAG`` after
# normalising.
PERSON_LANGUAGE = re.compile(r"^\s*[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*\s*$")

UNITS = {"days": 24 * 60, "hours": 60, "minutes": 1}
UNIT_CHOICES = [
    SelectChoice("days", _l("days before")),
    SelectChoice("hours", _l("hours before")),
    SelectChoice("minutes", _l("minutes before")),
]
INHERIT, NONE, CUSTOM = "inherit", "none", "custom"
BLANK_ROWS = 2  # empty rows offered below the filled ones (no script needed to add one)


class ReminderRow(RowForm):
    """One reminder: how many days, hours or minutes before the start. Its labels name the row for screen readers."""

    amount = IntegerField(_l("How long before"), validators=[Optional(), NumberRange(min=1, max=MAX_OFFSET_MINUTES)])
    unit = SelectField(_l("Unit"), choices=UNIT_CHOICES, default="days")


def reminder_rows(offsets: list[int] | tuple[int, ...] | None) -> list[dict[str, Any]]:
    """``offsets`` (minutes) as form rows in the largest unit that divides each, plus blank rows to fill in."""
    rows = []
    for minutes in offsets or ():
        unit = next(name for name, size in UNITS.items() if minutes % size == 0)
        rows.append({"amount": minutes // UNITS[unit], "unit": unit})
    blanks = min(BLANK_ROWS, MAX_OFFSETS - len(rows))
    return rows + [{"amount": None, "unit": "days"} for _ in range(blanks)]


def describe_offsets(offsets: list[int] | tuple[int, ...] | None) -> str:
    """``[10080, 1440]`` as "7 days and 1 day before the start", in the page's language."""
    if not offsets:
        return _("no reminders")
    parts = []
    for row in reminder_rows(offsets)[: len(offsets)]:
        amount, unit = row["amount"], row["unit"]
        if unit == "days":
            parts.append(ngettext("%(num)d day", "%(num)d days", amount))
        elif unit == "hours":
            parts.append(ngettext("%(num)d hour", "%(num)d hours", amount))
        else:
            parts.append(ngettext("%(num)d minute", "%(num)d minutes", amount))
    return _("%(offsets)s before the start", offsets=format_list(parts, locale=str(get_locale() or "en")))


def reminder_mode_field() -> RadioField:
    return RadioField(_l("Reminder emails to registrants"), default=INHERIT, validate_choice=False)


def reminder_rows_field() -> FieldList:
    return FieldList(FormField(ReminderRow), min_entries=1, max_entries=MAX_OFFSETS)


class ReminderFields:
    """Mixed into a Form that declares ``reminder_mode = reminder_mode_field()`` and
    ``reminder_offsets = reminder_rows_field()``."""

    def offer_reminders(self, inherit_label: str, offsets: list[int] | None = None) -> None:
        """Label the choices (``inherit_label`` says what inheriting means here) and fill the rows on a GET."""
        self.reminder_mode.choices = [
            SelectChoice(INHERIT, inherit_label),
            SelectChoice(NONE, _l("No reminders")),
            SelectChoice(CUSTOM, _l("These reminders:")),
        ]
        if not self.is_submitted():
            self.reminder_mode.data = INHERIT if offsets is None else (NONE if offsets == [] else CUSTOM)
            while len(self.reminder_offsets.entries):
                self.reminder_offsets.pop_entry()
            for row in reminder_rows(offsets):
                self.reminder_offsets.append_entry(row)

    def validate_reminder_offsets(self, field: FieldList) -> None:
        if self.reminder_mode.data != CUSTOM or field.errors:
            return
        minutes = self.offsets_in_minutes()
        if not minutes:
            raise ValidationError(_("Enter at least one reminder, or choose “No reminders”."))
        if any(value > MAX_OFFSET_MINUTES for value in minutes):
            raise ValidationError(_("A reminder can be at most 60 days before the start."))
        if len(set(minutes)) != len(minutes):
            raise ValidationError(_("Each reminder only once."))

    def offsets_in_minutes(self) -> list[int]:
        return [
            entry.amount.data * UNITS.get(entry.unit.data, 1)
            for entry in self.reminder_offsets.entries
            if entry.amount.data is not None
        ]

    def offsets_value(self) -> list[int] | None:
        """None to inherit, [] for none, else the rows in minutes (what the services take)."""
        if self.reminder_mode.data == NONE:
            return []
        if self.reminder_mode.data == CUSTOM:
            return self.offsets_in_minutes()
        return None


class PersonLanguageField(StringField):
    """A person's language on the invite and add-member forms: any language code, typed or picked from the
    languages eventhub speaks (rendered with a datalist by ``_macros/forms.html``'s ``language_field``). Shape
    only, so "pt" (not spoken yet) is taken like "da"; ``validation.normalize_language`` stores it and the page
    warns about what that person will read instead."""

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        validators = [
            Optional(),
            Length(max=35),
            Regexp(PERSON_LANGUAGE, message=_l("A language code, such as da, de-AT or pt-BR.")),
        ]
        description = _l("A language code, such as da or pt-BR. Empty: their language if known, else English.")
        super().__init__(label, validators=validators, description=description, **kwargs)


def language_choices(inherit_label: str) -> list[SelectChoice]:
    """ "Inherit" and each language eventhub speaks (config ``LANGUAGES``), named in that language."""
    return [
        SelectChoice("", inherit_label),
        *(SelectChoice(code, language_name(code)) for code in supported_languages()),
    ]


def language_name(code: str) -> str:
    """A language named in itself ("Dansk"), for languages added later too (Babel knows their names)."""
    return LANGUAGE_NAMES.get(code) or Locale.parse(code).get_display_name(code).capitalize()


def default_language_name() -> str:
    return language_name(current_app.config["BABEL_DEFAULT_LOCALE"])


def default_offsets_text() -> str:
    return describe_offsets(list(DEFAULT_OFFSETS))


def retention_mode_field() -> RadioField:
    return RadioField(
        _l("Personal data of the event's registrants and invitees"), default=INHERIT, validate_choice=False
    )


def retention_days_field() -> IntegerField:
    return IntegerField(
        _l("Days after the event ends"),
        validators=[
            _days_when_chosen,
            Optional(),
            NumberRange(min=MIN_RETENTION_DAYS, max=MAX_RETENTION_DAYS),
        ],
    )


def _days_when_chosen(form: Form, field: IntegerField) -> None:
    """The number is required exactly when the form's own period is chosen (``Optional`` would end the checks
    on an empty field before a form-level check could say so)."""
    empty = not field.raw_data or not str(field.raw_data[0]).strip()
    if form.retention_mode.data == CUSTOM and empty:
        field.errors[:] = []  # not also "Not a valid integer value" for the empty text
        raise StopValidation(_("Enter a number of days, or keep the inherited period."))


class RetentionFields:
    """Mixed into a Form that declares ``retention_mode = retention_mode_field()`` and
    ``retention_days = retention_days_field()``: inherit the period (the series', else the site's), or set one."""

    def offer_retention(self, inherit_label: str, days: int | None) -> None:
        """Label the choices (``inherit_label`` says what inheriting means here) and fill them in on a GET."""
        self.retention_mode.choices = [
            SelectChoice(INHERIT, inherit_label),
            SelectChoice(CUSTOM, _l("Anonymise it this many days after the event ends:")),
        ]
        if not self.is_submitted():
            self.retention_mode.data = INHERIT if days is None else CUSTOM
            self.retention_days.data = days

    def retention_value(self) -> int | None:
        """None to inherit, else the days (what the services take)."""
        return self.retention_days.data if self.retention_mode.data == CUSTOM else None


def describe_retention(days: int) -> str:
    """``365`` as "365 days after the event ends", in the page's language."""
    return ngettext("%(num)d day after the event ends", "%(num)d days after the event ends", days)


def default_retention_text() -> str:
    return describe_retention(int(current_app.config["RETENTION_DAYS"]))
