"""The audit log's filter: a GET form (it changes nothing, so it carries no CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectChoice, SelectField, SubmitField
from wtforms.validators import NumberRange, Optional

from eventhub.forms import Form


class AuditFilterForm(Form):
    class Meta:
        csrf = False

    action = SelectField(
        _l("What"), choices=[SelectChoice("", _l("All"))], default="", validators=[Optional()], id="filter-action"
    )
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1)], id="filter-page")
    submit = SubmitField(_l("Filter"), id="filter-submit")

    def offer(self, actions: list[SelectChoice]) -> AuditFilterForm:
        """Set the actions after the first (all) one; returns the form."""
        self.action.choices = [self.action.choices[0], *actions]
        return self
