"""Forms of the account pages: shape only; whether a password is right is the services' business."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from eventhub.validation import has_forbidden_characters


class SingleLine:
    """Refuses control characters and line breaks in a one-line field.

    Checked in the form because these values reach the database before any service sees them (the login
    address is looked up for throttling first), and PostgreSQL answers a NUL in text with an error.
    """

    def __call__(self, form: FlaskForm, field: StringField) -> None:
        if has_forbidden_characters(field.data):
            raise ValidationError(_l("Must not contain control characters or line breaks."))


class LoginForm(FlaskForm):
    # No Email() validator on purpose: a malformed address must get the same answer as a wrong password.
    email = StringField(
        _l("Email"), validators=[DataRequired(), Length(max=254), SingleLine()], render_kw={"autocomplete": "username"}
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=1000)], render_kw={"autocomplete": "current-password"}
    )
    submit = SubmitField(_l("Log in"))


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=100), SingleLine()],
        description=_l("What the token is for, e.g. “minutes import script”."),
    )
    submit = SubmitField(_l("Create token"))
