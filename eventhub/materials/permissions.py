"""Who may attach, replace and remove materials. Predicates only; callers choose 403 or 404.

The event's keepers (its organisers, the series' organisers and secretaries, admins: whoever may edit the agenda)
manage all of an event's materials. The owner of an agenda item manages the materials of that item: an owner
is matched by the person recorded on the item (``owner_person_id``); a free-text owner ("Per Bach og Anne
Rahbek") names nobody eventhub knows, so it gives no rights.
"""

from __future__ import annotations

from eventhub.accounts.models import User
from eventhub.agenda.models import AgendaItem
from eventhub.agenda.permissions import can_edit_agenda
from eventhub.events.models import Event


def can_manage_all_materials(user: User | None, event: Event) -> bool:
    return can_edit_agenda(user, event)


def owns_item(user: User | None, item: AgendaItem | None) -> bool:
    return (
        item is not None
        and user is not None
        and user.is_authenticated
        and item.owner_person_id is not None
        and item.owner_person_id == user.person_id
    )


def items_user_may_attach_to(user: User | None, event: Event, items: list[AgendaItem]) -> list[AgendaItem]:
    """The agenda items ``user`` may attach to: all of them for the event's keepers, else the ones they own."""
    if can_manage_all_materials(user, event):
        return list(items)
    return [item for item in items if owns_item(user, item)]


def can_change_material(user: User | None, event: Event, item: AgendaItem | None) -> bool:
    """Whether ``user`` may attach to ``item`` (None: the event itself), or replace or remove what is there."""
    return can_manage_all_materials(user, event) or owns_item(user, item)
