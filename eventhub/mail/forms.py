"""Forms of the outbox pages: buttons only, so each POST carries a CSRF token."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class RetryForm(FlaskForm):
    """ "Retry" on one failed message, or on all of them."""

    submit = SubmitField(_l("Retry"))


class LiftSuppressionForm(FlaskForm):
    """ "Lift" on one address of the do-not-send list."""

    submit = SubmitField(_l("Lift"))


class ListUnsubscribeForm(FlaskForm):
    """The confirm button of a series' List-Unsubscribe link."""

    submit = SubmitField(_l("Stop these emails"))
