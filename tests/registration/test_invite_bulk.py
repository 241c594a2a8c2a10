"""Large invitee lists: a bounded number of statements whatever the list's length, emails identical to those
rendered one by one, and the rules of the row-by-row path (skips, fill-ins, hashed tokens) kept."""

from __future__ import annotations

import re

import sqlalchemy as sa

from eventhub.events.models import Organisation, Person
from eventhub.events.people import get_or_create_person
from eventhub.extensions import db
from eventhub.i18n import reader_language
from eventhub.mail.services import EmailToQueue, RenderedEmail, queue_email, queue_emails
from eventhub.registration import emails
from eventhub.registration.invitations import invite_people
from eventhub.registration.invitee_lists import MAX_FILE_BYTES, InviteeRow
from eventhub.registration.models import InvitationToken
from eventhub.tokens import hash_token
from tests.registration.conftest import emails_of, token_from


def _rows(count: int, prefix: str) -> list[InviteeRow]:
    """``count`` invitees, a third in one of ten organisations, half of them Danish readers."""
    organisations, languages = [f"Kommune {n}" for n in range(10)] + [""] * 20, ("da", "en")
    return [
        InviteeRow(n + 2, f"{prefix}{n}@example.org", f"Invitée {n}", organisations[n % 30], languages[n % 2])
        for n in range(count)
    ]


def _statements(count_queries, event, rows, now) -> int:
    with count_queries() as counter:
        result = invite_people(event, rows, None, now)
    assert len(result.created) == len(rows)
    return counter.count


def test_a_list_takes_a_bounded_number_of_statements_whatever_its_length(conference, count_queries, now):
    """Row by row, 2,000 invitees took ~8 statements each (16,000); now a few per table: 2,000 rows cost the
    same as 200, bar the extra pages SQLAlchemy splits a multi-row INSERT into past ~32,000 parameters."""
    known = [get_or_create_person(f"known{n}@example.org", f"Known {n}") for n in range(5)]
    small = _statements(count_queries, conference(), _rows(200, "small"), now)
    large_rows = [InviteeRow(1, person.email) for person in known] + _rows(1995, "large")
    large = _statements(count_queries, conference(), large_rows, now)
    assert small <= 20, small
    assert large <= small + 3, (small, large)
    assert len(emails_of("invitation")) == 2200


def test_bulk_rendered_invitations_equal_those_rendered_one_by_one(conference, now):
    """Placeholders filled in per invitee give exactly what rendering each invitee's email gives: names that
    HTML must escape, both languages, with and without an organisation."""
    event = conference()
    rows = [
        InviteeRow(1, "mette@kk.dk", "Mette <Jørgensen> & Co", "Københavns Kommune", "da"),
        InviteeRow(2, "ivan@gabrovo.bg", 'Иван "Петров"', "", "en"),
        InviteeRow(3, "nobody@example.org"),
        InviteeRow(4, "ole@example.dk", "O'Neill", "Odense Kommune", "da"),
    ]
    result = invite_people(event, rows, None, now)
    for invitation in result.created:
        message = emails_of("invitation", to=invitation.person.email)[0]
        alone = emails._render_invitation(event, invitation.person, token_from(message))
        assert (message.subject, message.body_text, message.body_html) == (alone.subject, alone.text, alone.html)
        assert message.language == reader_language(invitation.person, event)


def test_a_template_showing_more_of_the_person_falls_back_to_rendering_each_email(conference, now, monkeypatch):
    """When filling in the placeholders would not give the real email (here: the template shows the person's
    organisation), each email is rendered on its own instead."""
    original = emails._render

    def render_with_organisation(template, person, event, **context):
        email = original(template, person, event, **context)
        organisation = person.organisation.name if person.organisation else "-"
        return emails.RenderedEmail(email.subject, email.text + organisation, email.html)

    monkeypatch.setattr(emails, "_render", render_with_organisation)
    rows = [InviteeRow(1, "a@example.org", "A", "Aarhus Kommune"), InviteeRow(2, "b@example.org", "B", "Odense")]
    invite_people(conference(), rows, None, now)
    assert [m.body_text.rsplit("\n", 1)[-1] for m in emails_of("invitation")] == ["Aarhus Kommune", "Odense"]


def test_known_people_keep_their_data_and_only_a_missing_organisation_is_filled_in(conference, now):
    kept = get_or_create_person("kept@example.org", "Kept Name", "First Org", "da")
    filled = get_or_create_person("filled@example.org", "Filled Name")
    rows = [
        InviteeRow(1, "KEPT@example.org", "Other Name", "Second Org", "en"),
        InviteeRow(2, "filled@example.org", "Other", "Second Org", "en"),
        InviteeRow(3, "new@example.org", "", "Second Org", ""),
    ]
    result = invite_people(conference(), rows, None, now)
    assert [i.person for i in result.created[:2]] == [kept, filled]  # the same objects, not copies
    assert (kept.name, kept.language, kept.organisation.name) == ("Kept Name", "da", "First Org")
    assert (filled.name, filled.language, filled.organisation.name) == ("Filled Name", None, "Second Org")
    new = result.created[2].person
    assert (new.name, new.language, new.organisation.name) == ("new", None, "Second Org")
    organisations = sa.select(sa.func.count()).select_from(Organisation).where(Organisation.name == "Second Org")
    assert db.session.scalar(organisations) == 1


def test_each_invitation_has_its_own_link_stored_only_as_a_hash_and_its_own_email_key(conference, now):
    result = invite_people(conference(), _rows(30, "hash"), None, now)
    messages = emails_of("invitation")
    tokens = [token_from(message) for message in messages]
    stored = set(db.session.scalars(sa.select(InvitationToken.token_hash)))
    assert len(set(tokens)) == 30 and stored == {hash_token(token) for token in tokens}
    assert not stored & set(tokens)
    assert sorted(m.dedup_key for m in messages) == sorted(f"invitation:{i.id}:1" for i in result.created)
    assert len({m.message_id for m in messages}) == 30
    assert all(re.match(r"^<[0-9a-f]{32}@", m.message_id) for m in messages)


def test_an_email_key_queued_before_is_skipped_not_failed(conference, now):
    """``queue_emails`` keeps ``queue_email``'s promise: a key queued before stays as it was and the others go in."""
    event = conference()
    person, other = get_or_create_person("a@example.org", "A"), get_or_create_person("b@example.org", "B")
    first = RenderedEmail("first", "first\n", "<p>first</p>")
    queue_email(dedup_key="k:1", kind="invitation", recipient=person, email=first, now=now, event=event)
    second = RenderedEmail("second", "second\n", "<p>second</p>")
    queue_emails("invitation", [EmailToQueue("k:1", person, second), EmailToQueue("k:2", other, second)], now, event)
    assert [(m.dedup_key, m.subject) for m in emails_of("invitation")] == [("k:1", "first"), ("k:2", "second")]


def test_people_created_for_a_list_are_stored_lower_case_once(conference, now):
    invite_people(conference(), [InviteeRow(1, "Upper@Example.ORG", "Upper")], None, now)
    invite_people(conference(), [InviteeRow(1, "upper@example.org", "Again")], None, now)
    assert db.session.scalars(sa.select(Person.email).where(Person.email.like("upper%"))).all() == ["upper@example.org"]


def test_the_largest_invitee_file_fits(client, app, login, make_user, conference, make_organiser):
    """A file of just under the invitee file limit reaches the importer (it then refuses more than 5,000 rows)."""
    from io import BytesIO

    from tests.conftest import csrf_token_from

    event = conference()
    login(make_organiser(event))
    page = client.get(f"/events/{event.id}/manage/invitations")
    assert page.status_code == 200
    line = b"someone.with.a.long.address@kommune.example.dk;Someone With A Long Name;Kommune;da\n"
    data = b"email;name;organisation;language\n" + line * ((MAX_FILE_BYTES - 100) // len(line))
    form = {"csrf_token": csrf_token_from(page.get_data(as_text=True)), "file": (BytesIO(data), "invitees.csv")}
    response = client.post(f"/events/{event.id}/manage/invitations", data=form, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "5000" in response.get_data(as_text=True)
