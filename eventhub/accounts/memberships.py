"""Series memberships granted by a person (through the API or a page), under the rule of who may grant what.

The membership itself is the events area's (``events.services.add_series_member``); the rule about the granter's
own rights is about accounts, so it lives here, above events, and events never needs to know accounts exist.
"""

from __future__ import annotations

from eventhub.accounts.models import User
from eventhub.accounts.permissions import can_grant_membership_role
from eventhub.errors import NotAllowed
from eventhub.events.models import MembershipRole, Series, SeriesMembership
from eventhub.events.services import add_series_member
from eventhub.validation import enum_value


def grant_series_membership(
    actor: User,
    series: Series,
    email: str,
    name: str | None = None,
    organisation: str | None = None,
    role: str | MembershipRole = MembershipRole.MEMBER,
) -> tuple[SeriesMembership, bool]:
    """``add_series_member`` on behalf of ``actor``; raises NotAllowed (403) when ``actor`` may not grant ``role``
    (only admins appoint secretaries, so an organiser cannot raise themself or anyone above their own rights)."""
    role = enum_value(MembershipRole, role, "role")
    if not can_grant_membership_role(actor, role):
        raise NotAllowed(f"Only admins may make someone a {role.value}.", {"role": "only admins may grant this role"})
    return add_series_member(series, email, name, organisation, role)
