"""An organiser sets up a series with its defaults, creates a meeting in Warsaw from it, then the next meeting in
one step from the meeting's edit page: in Chromium, on a desktop and on a 375px-wide phone."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _log_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("status").filter(has_text="You are logged in.")).to_be_visible()


def test_series_with_defaults_then_a_warsaw_meeting_then_the_next(page, live_site, shoot, viewport):
    slug, title = f"warsaw-wg-{viewport[0]}", f"Warsaw working group ({viewport[0]})"
    _log_in(page, live_site.admin_email)

    page.get_by_role("link", name="Manage", exact=True).first.click()
    page.get_by_role("link", name="New series").click()
    page.get_by_label("Short name in links (slug)").fill(slug)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Organiser name shown in emails").fill("Urząd Zamówień Publicznych")
    page.get_by_label("Default language of emails").select_option("da")
    page.get_by_label("These reminders:").check()
    page.get_by_label("Reminder 1: how many").fill("14")
    page.get_by_label("Reminder 1: unit").select_option("days")
    page.get_by_label("Reminder 2: how many").fill("2")
    page.get_by_label("Reminder 2: unit").select_option("hours")
    shoot("series-new-filled")
    page.get_by_role("button", name="Create series").click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()

    # The settings page: the defaults as saved, the series' questions, and (admins only) its organisers below.
    page.get_by_role("link", name="Edit series").click()
    expect(page.get_by_label("Organiser name shown in emails")).to_have_value("Urząd Zamówień Publicznych")
    expect(page.get_by_label("Reminder 2: how many")).to_have_value("2")
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings == ["Defaults for the series' events", "Registration questions", "Organisers"], headings
    organisers = page.get_by_role("region", name="Organisers")
    expect(organisers.get_by_role("rowheader", name="Ada Admin")).to_be_visible()  # who created it organises it
    expect(organisers.get_by_role("button", name="Add organiser")).to_be_visible()
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_visible()
    shoot("series-settings-with-organisers")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name=title, exact=True).first.click()

    page.get_by_role("link", name="New event").click()
    expect(page.get_by_text("As the series: 14 days and 2 hours before the start")).to_be_visible()
    expect(page.get_by_label("Language of emails")).to_have_value("")
    page.get_by_label("Title").fill("Warsaw working group, meeting 1")
    page.get_by_label("Time zone").select_option("Europe/Warsaw")
    page.get_by_label("Starts (local time, 24-hour)").fill("2027-03-02 14:00")
    page.get_by_label("Ends (local time, 24-hour)").fill("2027-03-02 16:00")
    page.get_by_label("Location").fill("Warsaw, ul. Postępu 17a")
    page.get_by_label("Capacity (empty: no limit)").fill("25")
    shoot("event-new-from-series")
    page.get_by_role("button", name="Save event").click()
    expect(page.get_by_role("heading", name="Warsaw working group, meeting 1", level=1)).to_be_visible()
    assert re.search(r"2 March 2027, 14:00–16:00 \(Warsaw\)", page.locator("dd").first.inner_text())

    page.get_by_role("link", name="Edit event").click()
    page.get_by_role("link", name="Next meeting").click()
    expect(page.get_by_role("heading", name="Next meeting", level=1)).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Warsaw working group, meeting 2")
    expect(page.get_by_label("Number in the series (empty: the next)")).to_have_value("2")
    expect(page.get_by_label("Starts (local time, 24-hour)")).to_have_value("2027-03-30 14:00")  # 4 weeks later
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Warsaw")
    expect(page.get_by_label("Location")).to_have_value("Warsaw, ul. Postępu 17a")
    expect(page.get_by_label("Capacity (empty: no limit)")).to_have_value("25")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot("event-next-meeting")
    page.get_by_role("button", name="Save event").click()

    expect(page.get_by_role("heading", name="Warsaw working group, meeting 2", level=1)).to_be_visible()
    when = page.locator("dd").first.inner_text()
    assert re.search(r"30 March 2027, 14:00–16:00\s*\(Warsaw\)", when), when  # summer time: still 14:00
    shoot("event-next-meeting-saved")
