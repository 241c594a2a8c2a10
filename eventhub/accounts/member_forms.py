"""Forms of a series' members page: shape only (required, lengths, choices). Whether an address is new to the
series, and who may grant which role, are ``accounts.memberships``' business."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from eventhub.accounts.forms import SingleLine
from eventhub.events.forms_settings import PersonLanguageField
from eventhub.events.models import MembershipRole
from eventhub.forms import Form
from eventhub.i18n import LANGUAGE_NAMES
from eventhub.labels import MEMBERSHIP_ROLE, choices


class AddMemberForm(Form):
    # Ids of their own: the filter form on the same page has fields named organisation and language too.
    email = StringField(
        _l("Email"), validators=[DataRequired(), Length(max=254), Email(), SingleLine()], id="member-email"
    )
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200), SingleLine()], id="member-name")
    organisation = StringField(
        _l("Organisation"), validators=[Optional(), Length(max=200), SingleLine()], id="member-organisation"
    )
    language = PersonLanguageField(_l("Language"), id="member-language")
    # Shown to admins only (only they appoint secretaries); organisers' posts default to a plain member.
    role = SelectField(
        _l("Role"), choices=choices(MEMBERSHIP_ROLE), default=MembershipRole.MEMBER.value, id="member-role"
    )
    submit = SubmitField(_l("Add member"))


class AddMemberListForm(Form):
    members = TextAreaField(
        _l("Paste a list"),
        validators=[Optional(), Length(max=500_000)],
        # No angle brackets here: the shared field macro renders descriptions as markup.
        description=_l(
            "One member per line: an address, or address; name; organisation; language. Lines copied from a mail program (a name with the address in angle brackets) work too."  # noqa: E501
        ),
    )
    file = FileField(
        _l("Or upload a CSV file"),
        description=_l("Columns: email, name, organisation, language. UTF-8, comma or semicolon separated."),
    )
    submit = SubmitField(_l("Add everyone"))


class MemberFilterForm(Form):
    """The list's search and filters (a GET form: it changes nothing, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or email contains"), validators=[Optional(), Length(max=254), SingleLine()])
    organisation = SelectField(_l("Organisation"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    role = SelectField(
        _l("Role"), choices=[SelectChoice("", _l("Any role")), *choices(MEMBERSHIP_ROLE)], validators=[Optional()]
    )
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1)])
    submit = SubmitField(_l("Filter"))

    def offer(self, organisations: list[tuple[int, str]], languages: list[str]) -> MemberFilterForm:
        """The organisations and languages the series' members have, as choices."""
        self.organisation.choices = [
            SelectChoice("", _l("Any organisation")),
            *(SelectChoice(str(organisation_id), name) for organisation_id, name in organisations),
        ]
        self.language.choices = [
            SelectChoice("", _l("Any language")),
            *(SelectChoice(code, LANGUAGE_NAMES.get(code, code)) for code in languages),
        ]
        return self
