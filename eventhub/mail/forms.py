"""Forms of the outbox pages: buttons, so each POST carries a CSRF token, and the outbox's search."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import Length, NumberRange, Optional

from eventhub.forms import Form
from eventhub.labels import label
from eventhub.mail.models import OutboxStatus


class RetryForm(Form):
    """ "Retry" on one failed message, or on all of them."""

    submit = SubmitField(_l("Retry"))


class LiftSuppressionForm(Form):
    """ "Lift" on one address of the do-not-send list."""

    submit = SubmitField(_l("Lift"))


class ListUnsubscribeForm(Form):
    """The confirm button of a series' List-Unsubscribe link."""

    submit = SubmitField(_l("Stop these emails"))


def _status_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("All")), *(SelectChoice(status.value, label(status)) for status in OutboxStatus)]


class OutboxSearchForm(Form):
    """The outbox's search and status filter (a GET form: it changes nothing, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Recipient or subject contains"), validators=[Optional(), Length(max=254)])
    status = SelectField(_l("Status"), choices=_status_choices, default="", validators=[Optional()])
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1)])
    submit = SubmitField(_l("Search"))

    def value(self, name: str) -> str:
        """The field's value if it is valid (an unknown status or a page below 1 is ignored, and shown wrong)."""
        field = self[name]
        return "" if field.errors or field.data in (None, "") else str(field.data)

    def kept(self, page: int | None = None) -> dict[str, str | int]:
        """The valid search and filter (and ``page``) as URL arguments, for the pager and the retry buttons."""
        kept: dict[str, str | int] = {name: self.value(name) for name in ("q", "status") if self.value(name)}
        if page and page > 1:
            kept["page"] = page
        return kept
