"""Forms of the minutes pages: shape only (lengths, dates, links); the services check meaning."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    EmailField,
    FieldList,
    FormField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from eventhub.forms import Form, RowForm

BLANK_ROWS = 2


class RoundTableForm(RowForm):
    person = StringField(_l("Participant (email)"), validators=[Length(max=254)])
    text = TextAreaField(_l("What they said"), validators=[Length(max=20000)])


class ActionItemForm(RowForm):
    what = StringField(_l("Action"), validators=[Length(max=1000)])
    owner = StringField(_l("Owner"), validators=[Length(max=300)], description=_l("An email address or a name"))
    due = DateField(_l("Due"), validators=[Optional()])


class DeadlineForm(RowForm):
    title = StringField(_l("Deadline"), validators=[Length(max=500)])
    date = DateField(_l("Date"), validators=[Optional()])
    link = StringField(_l("Link"), validators=[Length(max=2000)])


class MaterialForm(RowForm):
    title = StringField(_l("Title"), validators=[Length(max=500)])
    description = TextAreaField(_l("Description"), validators=[Length(max=20000)])
    link = StringField(_l("Link"), validators=[Length(max=2000)])


class MinutesForm(Form):
    body = TextAreaField(_l("Minutes (Markdown)"), validators=[Length(max=200000)])
    decisions = TextAreaField(
        _l("Decisions and priorities"), validators=[Length(max=50000)], description=_l("One per line")
    )
    round_table = FieldList(FormField(RoundTableForm))
    action_items = FieldList(FormField(ActionItemForm))
    deadlines = FieldList(FormField(DeadlineForm))
    materials = FieldList(FormField(MaterialForm))
    next_meeting = StringField(_l("Next meeting"), validators=[Length(max=300)], description=_l("e.g. January 2023"))
    save = SubmitField(_l("Save draft"))


class AttendanceForm(Form):
    present = SelectMultipleField(
        _l("Present"), coerce=int, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()
    )
    save = SubmitField(_l("Save attendance"))


class WalkInForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[Length(max=200)])
    add = SubmitField(_l("Add attendee"))


class PublishForm(Form):
    change_note = StringField(_l("What changed (for corrections)"), validators=[Length(max=1000)])
    publish = SubmitField(_l("Publish"))


class CommentForm(Form):
    body = TextAreaField(_l("Your comment"), validators=[DataRequired(), Length(max=10000)])
    submit = SubmitField(_l("Send comment"))
