"""Home, event and series pages: what they list, times in the event's zone, Danish, escaping, error pages."""

from datetime import datetime, timedelta, timezone

from flask import Flask

from tests.web.conftest import text_of, visible_text

WINTER_MEETING = datetime(2027, 1, 19, 13, 0, tzinfo=timezone.utc)  # 14:00 in Copenhagen (CET, UTC+1)


def test_home_lists_upcoming_public_events_only(client, make_event, make_series, commit, now):
    members = make_series(slug="members-group", title="Members group", visibility="members")
    make_event(title="Fourth meeting of the taskforce", starts_at=now + timedelta(days=10))
    make_event(title="Already over", starts_at=now - timedelta(days=10))
    make_event(title="Secret working group", series=members.slug, starts_at=now + timedelta(days=5))
    make_event(
        title="Public call of a closed group",
        series=members.slug,
        visibility="public",
        starts_at=now + timedelta(days=6),
    )
    make_event(title="Cancelled webinar", kind="webinar", starts_at=now + timedelta(days=3))
    from eventhub.events.queries import upcoming_events
    from eventhub.events.services import cancel_event

    cancel_event(next(e for e in upcoming_events(now) if e.title == "Cancelled webinar"), now=now)
    make_series(slug="bsi-denmark", title="BSI national conference Denmark")
    commit()

    page = text_of(client.get("/"))

    assert "Fourth meeting of the taskforce" in page
    assert "Already over" not in page
    assert "Secret working group" not in page and "Members group" not in page
    assert "Public call of a closed group" not in page  # public event, but its series is members-only
    assert "Cancelled webinar" in page and "Cancelled</span>" in page
    assert 'href="/series/bsi-denmark"' in page


def test_event_page_shows_time_in_event_zone(client, make_event, commit):
    event = make_event(
        title="Buy Social Taskforce Danmark, 4th meeting",
        starts_at=WINTER_MEETING,
        ends_at=WINTER_MEETING + timedelta(minutes=90),
        online_url="https://meet.example.org/taskforce",
        capacity=40,
        invitation_only=True,
    )
    commit()

    page = text_of(client.get(f"/events/{event.id}"))

    assert "When Tuesday, 19 January 2027, 14:00–15:30 (Copenhagen)" in visible_text(page)
    assert 'datetime="2027-01-19T14:00:00+01:00"' in page
    assert "13:00" not in page
    assert 'href="https://meet.example.org/taskforce"' in page
    assert "40 places" in page
    assert "by invitation only" in page


def test_event_page_names_its_series_and_number(client, make_series, make_event, commit):
    series = make_series(slug="buy-social-taskforce", title="Buy Social Taskforce Danmark")
    make_event(series=series.slug, number=3, starts_at=WINTER_MEETING)
    event = make_event(series=series.slug, starts_at=WINTER_MEETING + timedelta(days=60))
    commit()

    page = text_of(client.get(f"/events/{event.id}"))

    assert 'href="/series/buy-social-taskforce"' in page
    assert "Meeting 4" in page


def test_series_page_lists_upcoming_and_past_newest_first(client, make_series, make_event, commit, now):
    series = make_series(slug="taskforce", title="Buy Social Taskforce Danmark", description="Online meetings.")
    make_event(title="Meeting one", series=series.slug, starts_at=now - timedelta(days=120))
    make_event(title="Meeting two", series=series.slug, starts_at=now - timedelta(days=60))
    make_event(title="Meeting three", series=series.slug, starts_at=now + timedelta(days=30))
    commit()

    page = text_of(client.get("/series/taskforce"))

    upcoming, past = page.split('id="past-heading"')
    assert "Meeting three" in upcoming and "Meeting one" not in upcoming
    assert past.index("Meeting two") < past.index("Meeting one")
    assert "Online meetings." in page


def test_danish_rendering(client, make_event, commit):
    event = make_event(starts_at=WINTER_MEETING, invitation_only=True)
    commit()

    page = text_of(client.get(f"/events/{event.id}?lang=da"))

    assert '<html lang="da">' in page
    assert "Hvornår tirsdag den 19. januar 2027, 14.00–15.30 (København)" in visible_text(page)
    assert "Kun for inviterede" in page and "Hvornår" in page
    # The choice sticks for the next page, without ?lang=.
    assert "Kommende arrangementer" in text_of(client.get("/"))


def test_event_titles_are_escaped(client, make_series, make_event, commit):
    series = make_series(slug="xss", title="<b>bold</b> series")
    event = make_event(title="<script>alert(1)</script>", series=series.slug)
    commit()

    for path in ("/", f"/events/{event.id}", "/series/xss"):
        page = text_of(client.get(path))
        assert "<script>alert(1)</script>" not in page, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path
    assert "<b>bold</b>" not in text_of(client.get("/series/xss"))


def test_not_found_is_an_html_page_without_traceback(client):
    response = client.get("/events/999999")

    assert response.status_code == 404
    assert response.mimetype == "text/html"
    page = text_of(response)
    assert "Page not found" in page and "Traceback" not in page and "No event 999999" not in page


def test_unexpected_error_is_a_plain_500_page(app: Flask, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = client.get("/boom")

    assert response.status_code == 500
    page = text_of(response)
    assert "Something went wrong" in page
    assert "secret internal detail" not in page and "Traceback" not in page


def test_error_page_in_danish(client):
    page = text_of(client.get("/no-such-page?lang=da"))

    assert "Siden blev ikke fundet" in page
