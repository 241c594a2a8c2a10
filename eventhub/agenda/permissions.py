"""Who may edit an agenda. A predicate only; callers choose 403 or 404.

Agendas are kept by organisers, admins and the series' secretaries.
"""

from __future__ import annotations

from eventhub.accounts.models import User
from eventhub.accounts.permissions import is_secretary_of, is_staff
from eventhub.events.models import Event


def can_edit_agenda(user: User | None, event: Event) -> bool:
    return is_staff(user) or is_secretary_of(user, event.series)
