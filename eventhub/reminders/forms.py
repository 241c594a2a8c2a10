"""The confirm-unsubscribe form: only a button, and the CSRF token Form adds."""

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField

from eventhub.forms import Form


class UnsubscribeForm(Form):
    submit = SubmitField(_l("Stop reminders"))
