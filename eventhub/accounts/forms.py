"""Forms of the account pages: shape only; whether a password is right is the services' business."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import HiddenField, IntegerField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange, Optional, ValidationError

from eventhub.accounts.models import Role
from eventhub.accounts.services import MIN_PASSWORD_LENGTH
from eventhub.forms import Form
from eventhub.i18n import LANGUAGE_NAMES
from eventhub.labels import ROLE, choices
from eventhub.validation import has_forbidden_characters, supported_languages


class SingleLine:
    """Refuses control characters and line breaks in a one-line field.

    Checked in the form because these values reach the database before any service sees them (the login
    address is looked up for throttling first), and PostgreSQL answers a NUL in text with an error.
    """

    def __call__(self, form: Form, field: StringField) -> None:
        if has_forbidden_characters(field.data):
            raise ValidationError(_l("Must not contain control characters or line breaks."))


class LoginForm(Form):
    # No Email() validator on purpose: a malformed address must get the same answer as a wrong password.
    email = StringField(
        _l("Email"), validators=[DataRequired(), Length(max=254), SingleLine()], render_kw={"autocomplete": "username"}
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=1000)], render_kw={"autocomplete": "current-password"}
    )
    submit = SubmitField(_l("Log in"))


class ApiTokenForm(Form):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=100), SingleLine()],
        description=_l("What the token is for, e.g. “minutes import script”."),
    )
    submit = SubmitField(_l("Create token"))


def _role_choices() -> list[SelectChoice]:
    return choices(ROLE)


class UserSearchForm(Form):
    """The account list's search and filter (a GET form: it changes nothing, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or email contains"), validators=[Optional(), Length(max=254), SingleLine()])
    role = SelectField(
        _l("Role"), choices=[SelectChoice("", _l("Any role")), *_role_choices()], validators=[Optional()]
    )
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1)])
    submit = SubmitField(_l("Search"))


class CreateUserForm(Form):
    """A new account: no password; the person gets in later by a link."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), SingleLine()])
    email = StringField(_l("Email"), validators=[DataRequired(), Length(max=254), Email(), SingleLine()])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200), SingleLine()])
    role = SelectField(_l("Role"), choices=_role_choices(), default=Role.MEMBER.value)
    language = SelectField(_l("Language"))
    submit = SubmitField(_l("Create account"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = [SelectChoice(code, LANGUAGE_NAMES.get(code, code)) for code in supported_languages()]


class RoleForm(Form):
    role = SelectField(_l("Role"), choices=_role_choices())
    submit = SubmitField(_l("Change role"))


class SignInLinkForm(Form):
    """ "Email me a sign-in link". No Email() validator on purpose: every address gets the same answer."""

    email = StringField(
        _l("Email"), validators=[DataRequired(), Length(max=254), SingleLine()], render_kw={"autocomplete": "email"}
    )
    next = HiddenField(validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Email me a sign-in link"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("prefix", "link")  # it shares the login page with LoginForm: its ids must differ
        super().__init__(*args, **kwargs)


class NewPasswordForm(Form):
    """A new password, typed twice. The length rule is the services' (``check_password_strength``), shown here
    so the person learns it before submitting."""

    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=1000,
                message=lazy_ngettext(
                    "The password must have at least %(num)d character.",
                    "The password must have at least %(num)d characters.",
                    MIN_PASSWORD_LENGTH,
                ),
            ),
        ],
        description=lazy_ngettext("At least %(num)d character.", "At least %(num)d characters.", MIN_PASSWORD_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Set password"))


class LanguageForm(Form):
    """The language switcher in every page's header (``base.html`` renders it by hand, with the same names):
    a language eventhub speaks and the page to go back to (checked by ``links.safe_path`` in the view)."""

    lang = SelectField(_l("Language"))
    next = HiddenField()
    submit = SubmitField(_l("Change language"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.lang.choices = [SelectChoice(code, LANGUAGE_NAMES.get(code, code)) for code in supported_languages()]
