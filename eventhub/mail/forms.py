"""Forms of the outbox pages: buttons only, so each POST carries a CSRF token."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class RetryForm(FlaskForm):
    """"Retry" on one failed message, or on all of them."""

    submit = SubmitField(_l("Retry"))
