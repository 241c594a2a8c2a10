"""The series forms of the management pages: shape only (required, lengths, choices); the services
(``create_series``, ``update_series``) hold the rules and report what is wrong per field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

VISIBILITY_CHOICES = [
    SelectChoice("public", _l("Public: anyone may see it")),
    SelectChoice("members", _l("Members only")),
]


class SeriesEditForm(FlaskForm):
    """What may change once a series exists (its slug is in every link, so it stays)."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"))
    visibility = SelectField(_l("Who may see it"), choices=VISIBILITY_CHOICES, default="public")
    submit = SubmitField(_l("Save"))


class SeriesCreateForm(SeriesEditForm):
    slug = StringField(
        _l("Short name in links (slug)"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("Lower-case letters, digits and single hyphens, e.g. bsi-conferences."),
    )
    submit = SubmitField(_l("Create series"))
