"""The forms of the invitation path: shape only (required, lengths, choices); the services hold the rules.

The registration form is built per event, one field per registration question (``registration_form_class``).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from eventhub.labels import QUESTION_KIND, choices
from eventhub.registration.models import Question, QuestionKind
from eventhub.registration.questions import MAX_LONG_ANSWER, MAX_SHORT_ANSWER

LANGUAGE_CHOICES = [
    SelectChoice("", _l("(their language, or English)")),
    SelectChoice("en", "English"),
    SelectChoice("da", "Dansk"),
]


class RegistrationBaseForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Register"))

    question_fields: list[str] = []

    def answers(self) -> dict[str, Any]:
        """The question fields' data by field name, as ``questions.clean_answers`` reads them."""
        return {name: self[name].data for name in self.question_fields}


class AnswersBaseForm(FlaskForm):
    submit = SubmitField(_l("Save answers"))
    question_fields: list[str] = []

    def answers(self) -> dict[str, Any]:
        return {name: self[name].data for name in self.question_fields}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def registration_form_class(questions: list[Question], base: type[FlaskForm] = RegistrationBaseForm) -> type[FlaskForm]:
    """A form class with ``base``'s fields and one field per question, named ``q_<id>``."""
    attributes: dict[str, Any] = {"question_fields": [q.field_name for q in questions]}
    for question in questions:
        attributes[question.field_name] = _question_field(question)
    return type("RegistrationForm", (base,), attributes)


def _question_field(question: Question) -> Any:
    required = [InputRequired()] if question.required else [Optional()]
    options = {"label": question.label, "description": question.help_text or ""}
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        return StringField(validators=[*required, Length(max=MAX_SHORT_ANSWER)], **options)
    if kind == QuestionKind.LONG_TEXT:
        return TextAreaField(validators=[*required, Length(max=MAX_LONG_ANSWER)], **options)
    if kind == QuestionKind.SINGLE_CHOICE:
        choices = [SelectChoice(c) for c in question.choices]
        return RadioField(choices=choices, validators=required, validate_choice=True, **options)
    if kind == QuestionKind.MULTIPLE_CHOICE:
        validators = [DataRequired()] if question.required else [Optional()]
        return MultiCheckboxField(choices=[SelectChoice(c) for c in question.choices], validators=validators, **options)
    if kind == QuestionKind.YES_NO:
        yes_no = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]
        return RadioField(choices=yes_no, validators=required, **options)
    return BooleanField(validators=[DataRequired()] if question.required else [], **options)


class InviteOneForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="")
    submit = SubmitField(_l("Invite"))


class InviteListForm(FlaskForm):
    invitees = TextAreaField(
        _l("Paste a list"),
        validators=[Optional(), Length(max=500_000)],
        # No angle brackets here: the shared field macro renders descriptions as markup.
        description=_l(
            "One invitee per line: an address, or address; name; organisation; language. Lines copied from a mail program (a name with the address in angle brackets) work too."
        ),
    )
    file = FileField(
        _l("Or upload a CSV file"),
        description=_l("Columns: email, name, organisation, language. UTF-8, comma or semicolon separated."),
    )
    submit = SubmitField(_l("Invite everyone"))


class ListFilterForm(FlaskForm):
    """The search and filters of an organiser's list (a GET form: it changes nothing, so no CSRF token). The
    view fills in the choices (the statuses of that list, the organisations and languages in it)."""

    class Meta:
        csrf = False

    # Ids of their own: the invitation page also has the invite form's organisation and language fields.
    q = StringField(_l("Name or email contains"), validators=[Optional(), Length(max=254)], id="filter-q")
    status = SelectField(
        _l("Status"), choices=[SelectChoice("", _l("All"))], default="", validators=[Optional()], id="filter-status"
    )
    organisation = SelectField(
        _l("Organisation"),
        choices=[SelectChoice("", _l("Any organisation"))],
        default="",
        validators=[Optional()],
        id="filter-organisation",
    )
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice("", _l("Any language"))],
        default="",
        validators=[Optional()],
        id="filter-language",
    )
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1)], id="filter-page")
    submit = SubmitField(_l("Search"), id="filter-submit")

    def offer(self, statuses: list[SelectChoice], organisations=(), languages=()) -> ListFilterForm:
        """Set the choices after the first (any) one; returns the form."""
        self.status.choices = [self.status.choices[0], *statuses]
        self.organisation.choices = [self.organisation.choices[0], *organisations]
        self.language.choices = [self.language.choices[0], *languages]
        return self

    def value(self, name: str) -> str:
        """The field's value if it is valid (an unknown status or a page below 1 is ignored, and shown wrong)."""
        field = self[name]
        return "" if field.errors or field.data in (None, "") else str(field.data)


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=choices(QUESTION_KIND))
    label = StringField(_l("Question"), validators=[DataRequired(), Length(max=500)])
    help_text = StringField(_l("Help text"), validators=[Optional(), Length(max=1000)])
    choices = TextAreaField(_l("Choices (one per line)"), validators=[Optional(), Length(max=10_000)])
    required = BooleanField(_l("Required"))
    delete_answers_after_event = BooleanField(
        _l("Delete the answers as soon as the event has ended"),
        description=_l("For what is needed only to prepare the event, such as dietary needs or accessibility."),
    )
    submit = SubmitField(_l("Add question"))

    def question(self) -> dict:
        """The fields as ``questions.add_question`` takes them (choices one per line), for the event's and the
        series' questions pages alike."""
        return {
            "kind": self.kind.data,
            "label": self.label.data,
            "required": self.required.data,
            "choices": (self.choices.data or "").splitlines(),
            "help_text": self.help_text.data or "",
            "delete_answers_after_event": bool(self.delete_answers_after_event.data),
        }


class RequestForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    message = TextAreaField(_l("Why would you like to attend?"), validators=[Optional(), Length(max=5000)])
    case_description = TextAreaField(
        _l("A procurement case you would like to present (optional)"), validators=[Optional(), Length(max=10_000)]
    )
    submit = SubmitField(_l("Send request"))


class OverCapacityForm(FlaskForm):
    """What to do when a new capacity is below the confirmed count: a step of the event form (whose CSRF token
    covers it), shown only when needed. ``registration.capacity`` checks the value."""

    class Meta:
        csrf = False

    over_capacity = RadioField(
        _l("Fewer places than people already confirmed: what should happen?"),
        choices=[
            SelectChoice("keep", _l("Keep everyone confirmed: the new capacity applies to new registrations only")),
            SelectChoice(
                "waitlist_latest", _l("Move the most recently confirmed to the waiting list (they are emailed)")
            ),
        ],
        validators=[Optional()],
    )


class RegistrationActionForm(FlaskForm):
    """The confirmation of an organiser's action on a registration; ``over_capacity`` only when confirming a
    place in a full event."""

    over_capacity = BooleanField(_l("Yes, confirm this place although the event is full"))
    submit = SubmitField(_l("Confirm"))
