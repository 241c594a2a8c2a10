"""The materials page's forms: shape only (the services judge the file, the link and the agenda item)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from eventhub.forms import Form
from eventhub.materials.models import MAX_TITLE, MAX_URL

EVENT_ITSELF = 0  # the agenda-item choice meaning "the whole event"


class MaterialForm(Form):
    """A new material: a file or a link, a title, where it belongs and an optional date."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    file = FileField(_l("File"), description=_l("PDF, office documents, images; or give a link instead."))
    url = StringField(_l("Or a link"), validators=[Optional(), Length(max=MAX_URL)])
    agenda_item = SelectField(_l("Attached to"), coerce=int, default=EVENT_ITSELF)
    dated_on = DateField(_l("Date (optional)"), validators=[Optional()])
    submit = SubmitField(_l("Add material"))


class ReplaceForm(Form):
    """A new file in place of a material's."""

    file = FileField(_l("New file"))
    submit = SubmitField(_l("Replace"))
