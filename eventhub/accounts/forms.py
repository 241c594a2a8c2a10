"""Forms of the account pages: shape only; whether a password is right is the services' business."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    # No Email() validator on purpose: a malformed address must get the same answer as a wrong password.
    email = StringField(_l("Email"), validators=[DataRequired(), Length(max=254)], render_kw={"autocomplete": "username"})
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=1000)], render_kw={"autocomplete": "current-password"}
    )
    submit = SubmitField(_l("Log in"))


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("What the token is for, e.g. “minutes import script”."),
    )
    submit = SubmitField(_l("Create token"))


class ConfirmForm(FlaskForm):
    """A form with only a CSRF token, for buttons that change something (log out, revoke)."""
