"""What account pages and other areas' pages show of accounts, decided here so templates only render: the
"Organisers" section of a series' management page (admins only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventhub.accounts.organiser_forms import AddOrganiserForm
from eventhub.accounts.organisers import series_organisers
from eventhub.accounts.permissions import is_admin
from eventhub.events.models import Series, SeriesMembership


@dataclass
class OrganisersSection:
    series: Series
    organisers: list[SeriesMembership]
    form: AddOrganiserForm


def organisers_section(series: Series, viewer: Any, form: AddOrganiserForm | None = None) -> OrganisersSection | None:
    """The organisers of ``series`` and the form to add one, for admins (who alone appoint them); None for others.
    Without ``form`` an empty one (never filled from the request, which may be another form's)."""
    if not is_admin(viewer):
        return None
    return OrganisersSection(series, series_organisers(series), form or AddOrganiserForm(formdata=None))
