"""The forms of the invitation path: shape only (required, lengths, choices); the services hold the rules.

The registration form is built per event, one field per registration question (``registration_form_class``).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
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

from eventhub.events.forms_settings import PersonLanguageField
from eventhub.forms import Form
from eventhub.labels import QUESTION_KIND, choices
from eventhub.registration.consents import ShownForm, ShownText
from eventhub.registration.models import Question, QuestionKind
from eventhub.registration.question_translations import question_text
from eventhub.registration.questions import MAX_LONG_ANSWER, MAX_SHORT_ANSWER


class QuestionFieldsMixin:
    """The question fields ``registration_form_class`` adds: their answers, and what the consent ones showed."""

    question_fields: list[str] = []
    consent_fields: dict[str, int] = {}  # field name -> question id, for the consent questions

    def answers(self) -> dict[str, Any]:
        """The question fields' data by field name, as ``questions.clean_answers`` reads them."""
        return {name: self[name].data for name in self.question_fields}

    def shown(self, language: str) -> ShownForm:
        """The consent questions as this form displays them (label and help text, in whatever language they were
        rendered in), for ``registration.consents`` to record with each box ticked."""
        texts = {
            question_id: ShownText(str(self[name].label.text), str(self[name].description or ""))
            for name, question_id in self.consent_fields.items()
        }
        return ShownForm(language, texts)


class RegistrationBaseForm(QuestionFieldsMixin, Form):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Register"))


class AnswersBaseForm(QuestionFieldsMixin, Form):
    submit = SubmitField(_l("Save answers"))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def registration_form_class(
    questions: list[Question], base: type[Form] = RegistrationBaseForm, language: str = "en"
) -> type[Form]:
    """A form class with ``base``'s fields and one field per question, named ``q_<id>``, each asked in
    ``language`` where the question has a translation into it (the values submitted stay the choices as written)."""
    attributes: dict[str, Any] = {
        "question_fields": [q.field_name for q in questions],
        "consent_fields": {q.field_name: q.id for q in questions if q.kind == QuestionKind.CONSENT},
    }
    for question in questions:
        attributes[question.field_name] = _question_field(question, language)
    return type("RegistrationForm", (base,), attributes)


def _question_field(question: Question, language: str) -> Any:
    required = [InputRequired()] if question.required else [Optional()]
    text = question_text(question, language)
    options = {"label": text.label, "description": text.help_text}
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        return StringField(validators=[*required, Length(max=MAX_SHORT_ANSWER)], **options)
    if kind == QuestionKind.LONG_TEXT:
        return TextAreaField(validators=[*required, Length(max=MAX_LONG_ANSWER)], **options)
    choices = [SelectChoice(value, shown) for value, shown in text.choices]
    if kind == QuestionKind.SINGLE_CHOICE:
        return RadioField(choices=choices, validators=required, validate_choice=True, **options)
    if kind == QuestionKind.MULTIPLE_CHOICE:
        validators = [DataRequired()] if question.required else [Optional()]
        return MultiCheckboxField(choices=choices, validators=validators, **options)
    if kind == QuestionKind.YES_NO:
        yes_no = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]
        return RadioField(choices=yes_no, validators=required, **options)
    return BooleanField(validators=[DataRequired()] if question.required else [], **options)


class InviteOneForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    language = PersonLanguageField(_l("Language"))
    submit = SubmitField(_l("Invite"))


class InviteListForm(Form):
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


class ListFilterForm(Form):
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


class QuestionForm(Form):
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


class QuestionEditForm(Form):
    """A question's wording and whether it must be answered; its kind stays what it was (answers already given
    must keep their meaning)."""

    label = StringField(_l("Question"), validators=[DataRequired(), Length(max=500)])
    help_text = StringField(_l("Help text"), validators=[Optional(), Length(max=1000)])
    choices = TextAreaField(_l("Choices (one per line)"), validators=[Optional(), Length(max=10_000)])
    required = BooleanField(_l("Required"))
    submit = SubmitField(_l("Save question"))

    @staticmethod
    def data_of(question: Question) -> dict[str, Any]:
        """The form's initial data: the question as it is."""
        return {
            "label": question.label,
            "help_text": question.help_text,
            "choices": "\n".join(question.choices),
            "required": question.required,
        }

    def question(self) -> dict[str, Any]:
        """The fields as ``questions.edit_question`` takes them (choices one per line)."""
        return {
            "label": self.label.data,
            "help_text": self.help_text.data or "",
            "choices": (self.choices.data or "").splitlines(),
            "required": self.required.data,
        }


class TranslationForm(Form):
    """A question's translation into one language (the language is in the page's address when editing)."""

    label = StringField(_l("Question"), validators=[DataRequired(), Length(max=500)])
    help_text = StringField(_l("Help text"), validators=[Optional(), Length(max=1000)])
    options = TextAreaField(
        _l("Options (one per line, in the order of the choices)"), validators=[Optional(), Length(max=10_000)]
    )
    submit = SubmitField(_l("Save translation"))

    def translation(self) -> dict:
        """The fields as ``question_translations.set_translation`` takes them (options one per line)."""
        return {
            "label": self.label.data,
            "help_text": self.help_text.data or "",
            "options": (self.options.data or "").splitlines(),
        }


class AddTranslationForm(TranslationForm):
    """A new translation: the language too. The view offers the languages (``offer``)."""

    language = SelectField(_l("Language"), validate_choice=False)
    submit = SubmitField(_l("Add translation"))

    def offer(self, choices: list[SelectChoice]) -> AddTranslationForm:
        self.language.choices = choices
        return self


class RequestForm(Form):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    message = TextAreaField(_l("Why would you like to attend?"), validators=[Optional(), Length(max=5000)])
    case_description = TextAreaField(
        _l("A procurement case you would like to present (optional)"), validators=[Optional(), Length(max=10_000)]
    )
    submit = SubmitField(_l("Send request"))


class OverCapacityForm(Form):
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


class RegistrationActionForm(Form):
    """The confirmation of an organiser's action on a registration; ``over_capacity`` only when confirming a
    place in a full event."""

    over_capacity = BooleanField(_l("Yes, confirm this place although the event is full"))
    submit = SubmitField(_l("Confirm"))
