"""The form with which an admin makes someone organiser of a series: shape only (the services decide whether the
address names an account that may organise)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SubmitField
from wtforms.validators import DataRequired, Length

from eventhub.forms import Form


class AddOrganiserForm(Form):
    """Prefixed, so it can sit on the series page beside the series form without sharing field ids."""

    email = EmailField(
        _l("Email address of the account"),
        validators=[DataRequired(), Length(max=254)],
        description=_l("The account must have the role organiser or administrator."),
    )
    submit = SubmitField(_l("Add organiser"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "organiser")
        super().__init__(*args, **kwargs)
