"""Organisers see which invitees and registrants eventhub cannot write to (the do-not-send list)."""

from __future__ import annotations

import pytest

from eventhub.extensions import db
from eventhub.mail.models import SuppressionReason
from eventhub.mail.suppression import suppress_address
from eventhub.registration.services import register

FLAG = "not receiving email"


@pytest.mark.parametrize("page", ["invitations", "registrations"])
def test_a_suppressed_address_is_flagged_on_the_organiser_pages(
    client, conference, invite, make_user, login, now, page, make_organiser
):
    event = conference()
    gone, _ = invite(event, email="gone@example.org", name="Gone Person")
    here, _ = invite(event, email="here@example.org", name="Here Person")
    register(event, gone.person, now)
    register(event, here.person, now)
    suppress_address("gone@example.org", SuppressionReason.BOUNCED, "5.1.1 user unknown")
    login(make_organiser(event))
    db.session.commit()

    html = client.get(f"/events/{event.id}/manage/{page}").get_data(as_text=True)

    rows = {line for line in html.splitlines() if "@example.org" in line and "<td>" in line}
    assert any("gone@example.org" in line and FLAG in line for line in rows), rows
    assert not any("here@example.org" in line and FLAG in line for line in rows)
