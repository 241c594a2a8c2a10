"""Adding and removing series members from the members page's service: one, a pasted list, a CSV file; line
numbers for bad rows, nobody added twice, and the rules of who may add or remove whom."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventhub.accounts import memberships
from eventhub.errors import Conflict, NotAllowed, ValidationFailed
from eventhub.events.models import MembershipRole, Person, SeriesMembership
from eventhub.events.services import add_series_member
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.registration.invitee_lists import parse_invitee_csv, parse_invitee_text


def _members(series) -> list[str]:
    query = (
        sa.select(Person.email)
        .join(SeriesMembership, SeriesMembership.person_id == Person.id)
        .where(SeriesMembership.series_id == series.id)
        .order_by(Person.email)
    )
    return list(db.session.scalars(query))


def _welcomes() -> list[str]:
    return list(
        db.session.scalars(sa.select(OutboxMessage.recipient_email).where(OutboxMessage.kind == "member_welcome"))
    )


@pytest.fixture
def organiser(make_user):
    return make_user("organiser")


def test_add_one_member_with_organisation_and_language(organiser, make_series, now):
    series = make_series()
    membership = memberships.add_member(organiser, series, "Anna@KK.dk", "Anna Jensen", "Københavns Kommune", "da", now)
    assert membership.role == MembershipRole.MEMBER
    person = membership.person
    assert (person.email, person.name, person.organisation.name, person.language) == (
        "anna@kk.dk", "Anna Jensen", "Københavns Kommune", "da"
    )  # fmt: skip
    assert _welcomes() == ["anna@kk.dk"]


def test_adding_a_member_twice_is_an_error_on_the_email_field(organiser, make_series, now):
    series = make_series()
    memberships.add_member(organiser, series, "anna@kk.dk", "Anna", None, None, now)
    with pytest.raises(Conflict) as caught:
        memberships.add_member(organiser, series, "ANNA@kk.dk", "Anna", None, None, now)
    assert caught.value.fields == {"email": "already a member of this series"}
    assert _members(series) == ["anna@kk.dk"] and _welcomes() == ["anna@kk.dk"]


def test_an_over_long_name_is_refused_on_its_field(organiser, make_series, now):
    with pytest.raises(ValidationFailed) as caught:
        memberships.add_member(organiser, make_series(), "anna@kk.dk", "A" * 201, None, None, now)
    assert "name" in caught.value.fields


def test_organisers_add_members_but_not_secretaries(organiser, make_user, make_series, now):
    series = make_series()
    with pytest.raises(NotAllowed):
        memberships.add_member(organiser, series, "bo@kk.dk", None, None, None, now, role="secretary")
    membership = memberships.add_member(make_user("admin"), series, "bo@kk.dk", None, None, None, now, role="secretary")
    assert membership.role == MembershipRole.SECRETARY


@pytest.mark.parametrize("role", ["member", "secretary"])
def test_members_and_secretaries_may_not_add_anyone(make_user, make_series, now, role):
    series = make_series()
    with pytest.raises(NotAllowed):
        memberships.add_member(make_user(role), series, "bo@kk.dk", None, None, None, now)
    with pytest.raises(NotAllowed):
        memberships.add_series_members(make_user(role), series, parse_invitee_text("bo@kk.dk")[0], now)


PASTED = """anna@kk.dk; Anna Jensen; Københavns Kommune; da
Bo Nielsen <bo@aarhus.dk>
not-an-address
ANNA@kk.dk
carl@example.org;; ; x1!
"""


def test_a_pasted_list_reports_bad_lines_and_adds_the_rest(organiser, make_series, now):
    series = make_series()
    rows, problems = parse_invitee_text(PASTED)
    result = memberships.add_series_members(organiser, series, rows, now, problems)

    assert [m.person.email for m in result.created] == ["anna@kk.dk", "bo@aarhus.dk"]
    assert result.skipped == [{"line": 4, "email": "anna@kk.dk", "reason": "listed twice"}]
    assert [(e["line"], e["email"]) for e in result.errors] == [(3, "not-an-address"), (5, "carl@example.org")]
    assert "language" in result.errors[1]["reason"]
    assert _members(series) == ["anna@kk.dk", "bo@aarhus.dk"]
    anna = result.created[0].person
    assert (anna.name, anna.organisation.name, anna.language) == ("Anna Jensen", "Københavns Kommune", "da")
    assert sorted(_welcomes()) == ["anna@kk.dk", "bo@aarhus.dk"]


CSV = b"E-mail;Navn;Virksomhed;Sprog\r\nanna@kk.dk;Anna Jensen;KK;da\r\nbo@aarhus.dk;Bo;Aarhus;en\r\n"


def test_uploading_the_same_csv_again_adds_nobody(organiser, make_series, now):
    series = make_series()
    first = memberships.add_series_members(organiser, series, *_parsed(CSV, now))
    again = memberships.add_series_members(organiser, series, *_parsed(CSV, now))

    assert len(first.created) == 2 and first.skipped == []
    assert again.created == [] and [s["reason"] for s in again.skipped] == ["already a member"] * 2
    assert [s["line"] for s in again.skipped] == [2, 3]
    assert _members(series) == ["anna@kk.dk", "bo@aarhus.dk"]
    assert len(_welcomes()) == 2


def _parsed(data: bytes, now):
    rows, problems = parse_invitee_csv(data)
    return rows, now, problems


def test_csv_rows_that_cannot_be_read_are_numbered(organiser, make_series, now):
    data = b"email,name\nanna@kk.dk,Anna\nbo@kk.dk,B\xf8rge\n" + b"carl@kk.dk," + b"C" * 201 + b"\n"
    result = memberships.add_series_members(organiser, make_series(), *_parsed(data, now))
    assert [m.person.email for m in result.created] == ["anna@kk.dk"]
    assert [(e["line"], e["reason"][:12]) for e in result.errors] == [(3, "not UTF-8 te"), (4, "name: at mos")]


def test_a_file_without_an_email_column_adds_nothing(organiser, make_series):
    with pytest.raises(ValidationFailed) as caught:
        parse_invitee_csv(b"name,organisation\nAnna,KK\n")
    assert "file" in caught.value.fields


def test_an_existing_person_keeps_their_name_and_language(organiser, make_person, make_series, now):
    make_person(email="anna@kk.dk", name="Anna Jensen", language="da")
    result = memberships.add_series_members(
        organiser, make_series(), parse_invitee_text("anna@kk.dk; Someone Else; ; en")[0], now
    )
    person = result.created[0].person
    assert (person.name, person.language) == ("Anna Jensen", "da")


def test_members_of_another_series_are_added_here(organiser, make_series, now):
    first, second = make_series(), make_series()
    add_series_member(first, "anna@kk.dk")
    result = memberships.add_series_members(organiser, second, parse_invitee_text("anna@kk.dk")[0], now)
    assert len(result.created) == 1 and _members(second) == ["anna@kk.dk"]


def test_remove_a_member(organiser, make_series, now):
    series = make_series()
    membership = memberships.add_member(organiser, series, "anna@kk.dk", None, None, None, now)
    memberships.remove_membership(organiser, membership)
    assert _members(series) == []
    assert db.session.scalar(sa.select(Person.id).where(Person.email == "anna@kk.dk")) is not None


def test_only_admins_remove_a_secretary(organiser, make_user, make_series):
    series = make_series()
    membership, _ = add_series_member(series, "bo@kk.dk", role="secretary")
    assert not memberships.can_remove_membership(organiser, membership)
    with pytest.raises(NotAllowed):
        memberships.remove_membership(organiser, membership)
    memberships.remove_membership(make_user("admin"), membership)
    assert _members(series) == []


def test_a_membership_of_another_series_is_not_found(make_series):
    from eventhub.errors import NotFound

    first, second = make_series(), make_series()
    membership, _ = add_series_member(first, "anna@kk.dk")
    with pytest.raises(NotFound):
        memberships.get_membership(second, membership.id)


def test_a_list_of_many_takes_a_few_statements(organiser, make_series, now, count_queries):
    series = make_series()
    rows = parse_invitee_text("\n".join(f"person{i}@example.org; Person {i}; Org {i % 7}" for i in range(300)))[0]
    with count_queries() as counter:
        result = memberships.add_series_members(organiser, series, rows, now)
    assert len(result.created) == 300
    assert counter.count < 30, counter.statements
