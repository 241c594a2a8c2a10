"""An unanswered invitation puts its event in the invitee's personal calendar feed; revoking takes it out."""

import vobject

from eventhub.calendar.services import Links, build_personal_feed
from eventhub.ical import Organizer
from eventhub.registration.invitations import revoke_invitation


def _uids(person, now) -> list[str]:
    feed = build_personal_feed(
        person, now, Links("http://eventhub.test", Organizer("eventhub", "noreply@eventhub.test"))
    )
    calendar = vobject.readOne(feed.body.decode())
    return [component.uid.value for component in calendar.contents.get("vevent", [])]


def test_invited_events_are_in_the_personal_feed_until_revoked(conference, invite, now):
    event = conference()
    invitation, _ = invite(event)
    assert _uids(invitation.person, now) == [f"event-{event.id}@eventhub.test"]
    revoke_invitation(invitation, now)
    assert _uids(invitation.person, now) == []
