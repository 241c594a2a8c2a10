"""Forms of the privacy pages: shape only. No Email() validator on the public form on purpose: every address,
well-formed or not, gets the same answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from eventhub.accounts.forms import SingleLine
from eventhub.forms import Form


class PrivacyRequestForm(Form):
    """ "Email me a link to my data"."""

    email = StringField(
        _l("Email"), validators=[DataRequired(), Length(max=254), SingleLine()], render_kw={"autocomplete": "email"}
    )
    submit = SubmitField(_l("Email me a link"))


class AdminAddressForm(Form):
    """An admin names the address to export or erase."""

    email = StringField(
        _l("Email address"),
        validators=[DataRequired(), Length(max=254), SingleLine()],
        render_kw={"autocomplete": "off"},
    )


class AdminEraseForm(Form):
    """The confirmation step of an admin's erasure: the address again, and that it was confirmed."""

    email = HiddenField(validators=[DataRequired(), Length(max=254), SingleLine()])
    confirmed = HiddenField()
    submit = SubmitField(_l("Erase everything about this address"))
