"""The agenda as other pages show it (the event page, the invitation page): what to show and to whom."""

from __future__ import annotations

from typing import Any

from eventhub.agenda import services
from eventhub.agenda.models import Agenda
from eventhub.agenda.permissions import can_edit_agenda
from eventhub.events.models import Event


def agenda_for_page(event: Event, viewer: Any, agenda: Agenda | None) -> dict[str, Any]:
    """The agenda days to show and whether ``viewer`` may edit: unpublished agendas only to their editors.
    ``agenda`` is the event's (``services.find_agenda``), read once by the view for every part of the page."""
    can_edit = can_edit_agenda(viewer, event)
    shown = agenda is not None and (agenda.is_published or can_edit)
    return {
        "days": services.agenda_days(agenda, event.timezone) if shown else [],
        "published": bool(agenda and agenda.is_published),
        "can_edit": can_edit,
    }
