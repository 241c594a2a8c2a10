"""The agenda editor: one row per item (blank rows are ignored); shape only, the service checks the times.

A row's time is a day of the meeting (a choice) and two clock times typed on the 24-hour clock ("14:00", or
"14.00" as Danes write it), in the meeting's zone. Not ``<input type="time">``: browsers show that in the
browser's own convention (2:00 PM in an American-English browser), and the issue asks for 24 hours.
"""

from __future__ import annotations

import re
from datetime import time

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional, ValidationError

from eventhub.forms import Form, RowForm
from eventhub.labels import AGENDA_ITEM_KIND, choices

BLANK_ROWS = 3
CLOCK = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")


def parse_clock(value: str | None) -> time | None:
    """ "14:00", "14.00" or "9:05" as a time; None for anything else (an empty field included)."""
    match = CLOCK.match(value or "")
    return time(int(match.group(1)), int(match.group(2))) if match else None


def _24_hour_clock(form: RowForm, field: StringField) -> None:
    if (field.data or "").strip() and parse_clock(field.data) is None:
        raise ValidationError(_l("Write the time on the 24-hour clock, e.g. 14:00."))


class AgendaItemForm(RowForm):
    day = SelectField(_l("Day"), choices=[], validate_choice=False)
    starts_at = StringField(_l("Starts"), validators=[Optional(), _24_hour_clock])
    ends_at = StringField(_l("Ends"), validators=[Optional(), _24_hour_clock])
    title = StringField(_l("Title"), validators=[Length(max=300)])
    owner = StringField(_l("Owner"), validators=[Length(max=300)], description=_l("An email address or a name"))
    kind = SelectField(_l("Kind"), choices=choices(AGENDA_ITEM_KIND), default="other")
    description = TextAreaField(_l("Description"), validators=[Length(max=20000)])


class AgendaForm(Form):
    items = FieldList(FormField(AgendaItemForm))
    allows_parallel = BooleanField(_l("Items may overlap (parallel tracks)"))
    save = SubmitField(_l("Save agenda"))
    publish = SubmitField(_l("Save and publish"))
    # Without JavaScript this button sends the form back with more empty rows (nothing is saved, nothing typed
    # is lost); with JavaScript it adds a row in the page.
    add_rows = SubmitField(_l("Add a row"))
