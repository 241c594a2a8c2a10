"""The agenda editor: one row per item (blank rows are ignored); shape only, the service checks the times."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, DateTimeLocalField, FieldList, Form, FormField, SelectChoice, SelectField, StringField, SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from eventhub.agenda.models import AgendaItemKind

KIND_LABELS = {
    AgendaItemKind.WELCOME: _l("Welcome"),
    AgendaItemKind.ROUND_TABLE: _l("Round table"),
    AgendaItemKind.PRESENTATION: _l("Presentation"),
    AgendaItemKind.DISCUSSION: _l("Discussion"),
    AgendaItemKind.BREAK: _l("Break"),
    AgendaItemKind.WRAP_UP: _l("Wrap-up"),
    AgendaItemKind.OTHER: _l("Other"),
}
BLANK_ROWS = 3


class AgendaItemForm(Form):
    starts_at = DateTimeLocalField(_l("Starts"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    ends_at = DateTimeLocalField(_l("Ends"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    title = StringField(_l("Title"), validators=[Length(max=300)])
    owner = StringField(_l("Owner"), validators=[Length(max=300)], description=_l("An email address or a name"))
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()], default="other"
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=20000)])


class AgendaForm(FlaskForm):
    items = FieldList(FormField(AgendaItemForm))
    allows_parallel = BooleanField(_l("Items may overlap (parallel tracks)"))
    save = SubmitField(_l("Save agenda"))
    publish = SubmitField(_l("Save and publish"))
