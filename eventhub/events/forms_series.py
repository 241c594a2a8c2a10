"""The series forms of the management pages: shape only (required, lengths, choices); the services
(``create_series``, ``update_series``) hold the rules and report what is wrong per field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from eventhub.events.forms_settings import (
    ReminderFields,
    RetentionFields,
    reminder_mode_field,
    reminder_rows_field,
    retention_days_field,
    retention_mode_field,
)
from eventhub.forms import Form

VISIBILITY_CHOICES = [
    SelectChoice("public", _l("Public: anyone may see it")),
    SelectChoice("members", _l("Members only")),
]


class SeriesEditForm(ReminderFields, RetentionFields, Form):
    """What may change once a series exists (its slug is in every link, so it stays). The view fills the language
    choices (from config), the reminder rows (``offer_reminders``) and the retention choice (``offer_retention``)."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Description"),
        description=_l(
            "Write it in the series' language (chosen below, under the defaults for its events). Everyone reads it "
            "as written, whatever their own language."
        ),
    )
    visibility = SelectField(_l("Who may see it"), choices=VISIBILITY_CHOICES, default="public")
    organiser_name = StringField(
        _l("Organiser name shown in emails"),
        validators=[Optional(), Length(max=200)],
        description=_l("The sender's name of emails about this series' events, e.g. Danish Business Authority."),
    )
    language = SelectField(
        _l("Default language of emails"),
        validate_choice=False,
        description=_l("For people whose own language eventhub does not speak."),
    )
    reminder_mode = reminder_mode_field()
    reminder_offsets = reminder_rows_field()
    retention_mode = retention_mode_field()
    retention_days = retention_days_field()
    retention_keeps_organisations = BooleanField(
        _l("Keep their organisations when anonymising"),
        description=_l("Then the figures still say how many came from which organisation; names and addresses go."),
    )
    submit = SubmitField(_l("Save"))

    def settings(self) -> dict:
        """The submitted fields as ``update_series`` takes them."""
        return {
            "title": self.title.data,
            "description": self.description.data,
            "visibility": self.visibility.data,
            "organiser_name": self.organiser_name.data or None,
            "language": self.language.data or None,
            "reminder_offsets": self.offsets_value(),
            "retention_days": self.retention_value(),
            "retention_keeps_organisations": bool(self.retention_keeps_organisations.data),
        }


class SeriesCreateForm(SeriesEditForm):
    slug = StringField(
        _l("Short name in links (slug)"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("Lower-case letters, digits and single hyphens, e.g. bsi-conferences."),
    )
    submit = SubmitField(_l("Create series"))
