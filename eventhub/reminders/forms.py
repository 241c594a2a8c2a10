"""The confirm-unsubscribe form: only a button, and the CSRF token FlaskForm adds."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class UnsubscribeForm(FlaskForm):
    submit = SubmitField(_l("Stop reminders"))
