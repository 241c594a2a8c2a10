"""The event and series pages link what the viewer may use (issue 11): management pages for organisers and
secretaries, a meeting's published minutes for whoever may read them, nothing of it for members."""

from __future__ import annotations

import pytest

from eventhub.demo.taskforce_meeting3 import load_meeting3_minutes
from eventhub.extensions import db
from tests.conftest import grant_organiser
from tests.web.conftest import text_of

ORGANISER_LINKS = ("/manage/edit", "/manage/cancel", "/manage/invitations", "/manage/registrations",
                   "/manage/requests", "/manage/questions", "/agenda/edit")  # fmt: skip
SECRETARY_LINKS = ("/agenda/edit", "/attendance", "/minutes/edit")


@pytest.fixture
def published(taskforce, now):
    load_meeting3_minutes(taskforce.meeting3, now, taskforce.secretary.person)
    db.session.commit()
    return taskforce


def _event_page(client, login, user, event) -> str:
    if user is not None:
        login(user)
    response = client.get(f"/events/{event.id}")
    assert response.status_code == 200
    return text_of(response)


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("organiser", ORGANISER_LINKS, ("/attendance", "/minutes/edit")),
        ("secretary", SECRETARY_LINKS, ("/manage/edit", "/manage/invitations")),
        ("admin", ORGANISER_LINKS + SECRETARY_LINKS, ()),
        ("member", (), ORGANISER_LINKS + SECRETARY_LINKS),
        ("other_secretary", (), ORGANISER_LINKS + SECRETARY_LINKS),
    ],
)
def test_the_event_page_links_the_management_pages_the_viewer_may_use(client, login, published, who, shown, hidden):
    event = published.meeting4
    if who == "other_secretary":  # a secretary of another series may not see this members-only meeting at all
        login(published.other_secretary)
        assert client.get(f"/events/{event.id}").status_code == 404
        return
    page = _event_page(client, login, getattr(published, who), event)
    for suffix in shown:
        assert f'href="/events/{event.id}{suffix}"' in page, suffix
    for suffix in hidden:
        assert f'href="/events/{event.id}{suffix}"' not in page, suffix


def test_a_past_meeting_links_its_published_minutes_for_members(client, login, published):
    page = _event_page(client, login, published.member, published.meeting3)
    assert 'href="/series/buy-social-taskforce-danmark/minutes/3"' in page
    assert 'href="/series/buy-social-taskforce-danmark/minutes/4"' not in _event_page(
        client, login, None, published.meeting4
    )


def test_a_meeting_without_published_minutes_does_not_link_them(client, login, taskforce):
    page = _event_page(client, login, taskforce.member, taskforce.meeting3)
    assert "/minutes/3" not in page


def test_the_series_page_links_its_minutes_archive_and_for_organisers_its_settings(
    client, login, make_series, taskforce
):
    series = make_series(slug="bsi", title="BSI")
    db.session.commit()
    anonymous = text_of(client.get("/series/bsi"))
    assert 'href="/series/bsi/minutes"' in anonymous
    assert 'href="/series/bsi.ics"' in anonymous or "/series/bsi.ics" in anonymous
    assert 'href="/series/bsi/manage"' not in anonymous
    login(taskforce.organiser)  # an organiser of another series: no links to what they may not manage
    elsewhere = text_of(client.get(f"/series/{series.slug}"))
    assert 'href="/series/bsi/manage"' not in elsewhere and 'href="/manage/events/new?series=bsi"' not in elsewhere
    grant_organiser(taskforce.organiser, series)
    db.session.commit()
    page = text_of(client.get(f"/series/{series.slug}"))
    assert 'href="/series/bsi/manage"' in page
    assert 'href="/manage/events/new?series=bsi"' in page


def test_the_meeting_page_reads_whether_minutes_are_published_not_their_text(client, login, published, count_queries):
    """The event page is the most viewed page (issue 14): the minutes' body (up to 200,000 characters) and their
    structured parts are not read to decide on one link, and the agenda is read once for its section and the
    materials' groups."""
    login(published.member)
    with count_queries() as counter:
        page = _event_page(client, None, None, published.meeting3)
    assert 'href="/series/buy-social-taskforce-danmark/minutes/3"' in page
    minutes_reads = [statement for statement in counter.statements if "FROM minutes" in statement]
    assert len(minutes_reads) == 1 and "minutes.body" not in minutes_reads[0], minutes_reads
    assert sum("FROM agendas" in statement for statement in counter.statements) == 1, counter.statements
