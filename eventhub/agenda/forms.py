"""The agenda editor: one row per item (blank rows are ignored); shape only, the service checks the times."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from eventhub.labels import AGENDA_ITEM_KIND, choices

BLANK_ROWS = 3


class AgendaItemForm(Form):
    starts_at = DateTimeLocalField(_l("Starts"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    ends_at = DateTimeLocalField(_l("Ends"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    title = StringField(_l("Title"), validators=[Length(max=300)])
    owner = StringField(_l("Owner"), validators=[Length(max=300)], description=_l("An email address or a name"))
    kind = SelectField(_l("Kind"), choices=choices(AGENDA_ITEM_KIND), default="other")
    description = TextAreaField(_l("Description"), validators=[Length(max=20000)])


class AgendaForm(FlaskForm):
    items = FieldList(FormField(AgendaItemForm))
    allows_parallel = BooleanField(_l("Items may overlap (parallel tracks)"))
    save = SubmitField(_l("Save agenda"))
    publish = SubmitField(_l("Save and publish"))
