"""The organiser's lists of one event (invitations, registrations, requests) and the API's invitation and
registration lists: filtered, searched, counted and cut into pages on the server, in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.registration.invitations import invite_people
from eventhub.registration.invitee_lists import InviteeRow
from eventhub.registration.models import (
    Invitation,
    InvitationRequest,
    InvitationStatus,
    Registration,
    RegistrationStatus,
)
from tests.conftest import csrf_token_from, grant_organiser


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def emails_in(page: str, table: str) -> list[str]:
    body = page.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<td>([^<\s]+@[^<\s]+)", body)


@pytest.fixture
def organiser(make_organiser, login):
    """The signed-in organiser; the tests grant it the events they look at (``manages``)."""
    user = make_organiser()
    login(user)
    return user


def manages(organiser, *events):
    """Make the organiser manage ``events`` (standalone events: as their creator) and return the first."""
    grant_organiser(organiser, *events)
    db.session.commit()
    return events[0]


LANGS = ("en", "da")


@pytest.fixture
def many(conference, now):
    """``many(n)``: an event with ``n`` invitees named ``Person 000``…, every third in Aarhus Kommune, every
    other one Danish; returns the event."""

    def factory(count: int, event=None):
        event = event or conference()
        rows = [
            InviteeRow(i + 1, f"p{i:03}@example.org", f"Person {i:03}", "" if i % 3 else "Aarhus Kommune", LANGS[i % 2])
            for i in range(count)
        ]
        invite_people(event, rows, None, now)
        db.session.commit()
        return event

    return factory


def test_invitations_come_fifty_a_page_with_a_pager_that_keeps_the_filters(client, organiser, many):
    event = manages(organiser, many(101))
    first = text(client.get(f"/events/{event.id}/manage/invitations"))
    assert len(emails_in(first, "invitations")) == 50 and "p000@example.org" in first and "p050@" not in first
    assert "1–50 of 101" in first and 'rel="next"' in first and 'rel="prev"' not in first
    last = text(client.get(f"/events/{event.id}/manage/invitations?page=3"))
    assert emails_in(last, "invitations") == ["p100@example.org"] and 'rel="next"' not in last
    past_the_end = text(client.get(f"/events/{event.id}/manage/invitations?page=4"))
    assert emails_in(past_the_end, "invitations") == [] and 'rel="prev"' in past_the_end
    filtered = text(client.get(f"/events/{event.id}/manage/invitations?language=en&q=person"))  # 51 of them
    next_link = re.search(r'rel="next" href="([^"]+)"', filtered).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(next_link).query) == {"language": ["en"], "q": ["person"], "page": ["2"]}


@pytest.mark.parametrize("page", ["0", "-1", "x"])
def test_a_wrong_page_number_shows_the_first_page(client, organiser, many, page):
    event = manages(organiser, many(3))
    assert len(emails_in(text(client.get(f"/events/{event.id}/manage/invitations?page={page}")), "invitations")) == 3


def test_invitations_filter_by_organisation_language_and_status_with_counts(client, organiser, many, now):
    event = manages(organiser, many(9))
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.event_id == event.id).limit(1))
    invitation.status = InvitationStatus.DECLINED
    db.session.commit()
    organisation_id = invitation.person.organisation_id
    base = f"/events/{event.id}/manage/invitations"
    assert emails_in(text(client.get(f"{base}?organisation={organisation_id}")), "invitations") == [
        "p000@example.org", "p003@example.org", "p006@example.org",
    ]  # fmt: skip
    assert len(emails_in(text(client.get(f"{base}?language=da")), "invitations")) == 4
    page = text(client.get(f"{base}?status=declined"))
    assert emails_in(page, "invitations") == ["p000@example.org"]
    assert re.search(r'data-status="pending"[^>]*>[^<]*<span class="count">8<', page)
    assert re.search(r'data-status="declined"[^>]*aria-current="true">[^<]*<span class="count">1<', page)


def test_expired_is_filtered_as_shown_once_registration_closed(client, organiser, many, frozen_clock, now):
    event = manages(organiser, many(2))
    base = f"/events/{event.id}/manage/invitations"
    assert emails_in(text(client.get(f"{base}?status=expired")), "invitations") == []
    frozen_clock.set(now + timedelta(days=31))  # the conference closes registration after 30 days
    assert len(emails_in(text(client.get(f"{base}?status=expired")), "invitations")) == 2
    assert emails_in(text(client.get(f"{base}?status=pending")), "invitations") == []


@pytest.mark.parametrize(
    ("needle", "expected"),
    [("P001@EXAMPLE", ["p001@example.org"]), ("100%", ["sale@example.org"]), ("a_b", ["a_b@example.org"])],
    ids=["any-case", "percent-literal", "underscore-literal"],
)
def test_search_takes_percent_and_underscore_literally(client, organiser, many, now, needle, expected):
    event = manages(organiser, many(2))
    rows = [InviteeRow(1, "sale@example.org", "100% Social"), InviteeRow(2, "axb@example.org", "Axb"),
            InviteeRow(3, "a_b@example.org", "A B"), InviteeRow(4, "x100y@example.org", "100 x")]  # fmt: skip
    invite_people(event, rows, None, now)
    db.session.commit()
    page = text(client.get(f"/events/{event.id}/manage/invitations", query_string={"q": needle}))
    assert emails_in(page, "invitations") == expected


def test_no_match_says_so(client, organiser, many):
    event = manages(organiser, many(2))
    page = text(client.get(f"/events/{event.id}/manage/invitations?q=nobody"))
    assert "No invitations match." in page and "No matches" in page


def test_an_unknown_status_is_ignored_and_shown_as_wrong(client, organiser, many):
    event = manages(organiser, many(2))
    page = text(client.get(f"/events/{event.id}/manage/invitations?status=bogus"))
    assert len(emails_in(page, "invitations")) == 2 and "Not a valid choice" in page


def test_the_invitation_page_needs_the_same_queries_for_5_or_120_invitations(client, organiser, many, count_queries):
    small, large = many(5), many(120)
    manages(organiser, small, large)
    counts = []
    for event in (small, large):
        client.get(f"/events/{event.id}/manage/invitations")  # warm up
        with count_queries() as counter:
            assert client.get(f"/events/{event.id}/manage/invitations?language=da").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] and counts[0] <= 14, counts


def test_revoke_comes_back_to_the_same_page_and_filters(client, organiser, many):
    event = manages(organiser, many(60))
    page = text(client.get(f"/events/{event.id}/manage/invitations?status=pending&page=2"))
    action = re.search(r'action="([^"]+/revoke[^"]*)"', page).group(1).replace("&amp;", "&")
    response = client.post(action, data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == f"/events/{event.id}/manage/invitations"
    assert parse_qs(location.query) == {"status": ["pending"], "page": ["2"]}
    revoked = db.session.scalar(sa.select(sa.func.count()).where(Invitation.status == InvitationStatus.REVOKED))
    assert revoked == 1


def _register(event, invitations, status, position=None):
    for invitation in invitations:
        db.session.add(Registration(event_id=event.id, person_id=invitation.person_id, status=status,
                                    waitlist_position=position))  # fmt: skip
        position = position + 1 if position else None
        invitation.status = InvitationStatus.REGISTERED
    db.session.commit()


def test_registrations_filter_search_and_show_the_waiting_list_in_order(client, organiser, many):
    event = manages(organiser, many(6))
    invitations = list(db.session.scalars(sa.select(Invitation).order_by(Invitation.id)))
    _register(event, invitations[:3], RegistrationStatus.CONFIRMED)
    _register(event, [invitations[5], invitations[4]], RegistrationStatus.WAITLISTED, position=1)
    base = f"/events/{event.id}/manage/registrations"
    page = text(client.get(base))
    assert emails_in(page, "registrations")[:3] == ["p000@example.org", "p001@example.org", "p002@example.org"]
    assert "3 registered" in page and f"{base}?status=waitlisted" in page
    waiting = text(client.get(f"{base}?status=waitlisted"))
    assert emails_in(waiting, "registrations") == ["p005@example.org", "p004@example.org"]
    assert emails_in(text(client.get(f"{base}?q=p001")), "registrations") == ["p001@example.org"]
    assert "No registrations match." in text(client.get(f"{base}?q=zzz"))


def test_requests_filter_by_status_and_decisions_come_back_to_the_filters(client, organiser, conference, now):
    event = manages(organiser, conference(invitation_only=True))
    for i in range(3):
        db.session.add(InvitationRequest(event_id=event.id, name=f"Asker {i}", email=f"asker{i}@example.org"))
    db.session.commit()
    base = f"/events/{event.id}/manage/requests"
    page = text(client.get(f"{base}?status=pending&q=asker1"))
    assert "asker1@example.org" in page and "asker0@example.org" not in page
    action = re.search(r'action="([^"]+/decline[^"]*)"', page).group(1).replace("&amp;", "&")
    response = client.post(action, data={"csrf_token": csrf_token_from(page)})
    assert parse_qs(urlsplit(response.headers["Location"]).query) == {"status": ["pending"], "q": ["asker1"]}
    assert "No requests match." in text(client.get(f"{base}?status=pending&q=asker1"))


# ---------------------------------------------------------------------------------------------------------
# API
# ---------------------------------------------------------------------------------------------------------


def test_api_invitations_take_limit_and_offset_and_tell_the_total(client, admin, many, assert_schema):
    event = many(120)
    path = f"/api/v1/events/{event.id}/invitations"
    body = client.get(path, headers=admin).get_json()
    assert_schema(body, "InvitationList")
    assert (len(body["items"]), body["total"], body["limit"], body["offset"]) == (50, 120, 50, 0)
    assert body["next"].endswith(f"{path}?offset=50") or "offset=50" in body["next"]
    last = client.get(f"{path}?limit=50&offset=100", headers=admin).get_json()
    assert [item["email"] for item in last["items"]][-1] == "p119@example.org" and last["next"] is None
    assert len(last["items"]) == 20
    past = client.get(f"{path}?offset=500", headers=admin).get_json()
    assert (past["items"], past["total"], past["next"]) == ([], 120, None)
    big = client.get(f"{path}?limit=500", headers=admin).get_json()
    assert len(big["items"]) == 120


def test_api_next_keeps_the_filters(client, admin, many):
    event = many(8)
    body = client.get(f"/api/v1/events/{event.id}/invitations?status=pending&limit=3", headers=admin).get_json()
    query = parse_qs(urlsplit(body["next"]).query)
    assert query == {"status": ["pending"], "limit": ["3"], "offset": ["3"]}


@pytest.mark.parametrize(
    ("query", "message"),
    [("limit=501", "at most 500"), ("limit=0", "greater than or equal to 1"), ("limit=-5", "greater than or equal"),
     ("offset=-1", "greater than or equal to 0"), ("limit=ten", "integer")],
)  # fmt: skip
def test_api_refuses_bad_paging_with_a_clear_message(client, admin, many, query, message):
    event = many(1)
    for path in (f"/api/v1/events/{event.id}/invitations", f"/api/v1/events/{event.id}/registrations"):
        response = client.get(f"{path}?{query}", headers=admin)
        assert response.status_code == 422
        field = query.split("=")[0]
        assert message in response.get_json()["error"]["fields"][field]


def test_api_registrations_are_paged(client, admin, many):
    event = many(5)
    invitations = list(db.session.scalars(sa.select(Invitation).order_by(Invitation.id)))
    _register(event, invitations, RegistrationStatus.CONFIRMED)
    body = client.get(f"/api/v1/events/{event.id}/registrations?limit=2&offset=2", headers=admin).get_json()
    assert [item["email"] for item in body["items"]] == ["p002@example.org", "p003@example.org"]
    assert (body["total"], body["limit"], body["offset"]) == (5, 2, 2)


def test_api_invitation_list_needs_the_same_queries_for_any_length(client, admin, many, count_queries):
    counts = []
    for size in (3, 80):
        event = many(size)
        client.get(f"/api/v1/events/{event.id}/invitations", headers=admin)  # warm up
        with count_queries() as counter:
            assert client.get(f"/api/v1/events/{event.id}/invitations", headers=admin).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
