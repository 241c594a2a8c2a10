"""The agenda editor in Chromium on a 390 x 844 phone and on a desktop (issue 11): reached by links, no sideways
scrolling of the page, rows added and removed without losing what was typed, every control reachable by
keyboard, 24-hour times in the meeting's zone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.e2e.conftest import ARTIFACTS, PASSWORD

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture(params=["phone", "desktop"])
def editor(request, browser, live_site):
    size = PHONE if request.param == "phone" else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=size, base_url=live_site.base_url, locale="en-US")
    context.set_default_timeout(5000)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Email").fill(live_site.admin_email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("status").filter(has_text="You are logged in.")).to_be_visible()
    try:
        yield page, request.param
    finally:
        context.close()


def _shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _row(page, number: int):
    return page.get_by_role("group", name=f"Item {number}", exact=True)


def test_the_agenda_editor_works_by_touch_and_keyboard_at_phone_width(editor, live_site):
    page, size = editor
    page.goto(f"/events/{live_site.next_meeting_id}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shoot(page, f"event-manage-links-{size}")
    page.get_by_role("navigation", name="Manage this event").get_by_role("link", name="Edit the agenda").click()
    expect(page.get_by_role("heading", name="Agenda", exact=True)).to_be_visible()
    expect(page.get_by_text("local time in Copenhagen")).to_be_visible()

    rows = page.locator("[data-agenda-row]").count()  # 3 empty ones, or more if an earlier run saved an agenda
    first = _row(page, 1)
    first.get_by_label("Starts").fill("14:00")
    first.get_by_label("Ends").fill("14:05")
    first.get_by_label("Title").fill("Welcome and introductions")
    first.get_by_label("Description").fill("Who is new in the taskforce, and what each organisation brings.")
    second = _row(page, 2)
    second.get_by_label("Starts").fill("14:05")
    second.get_by_label("Ends").fill("14:30")
    second.get_by_label("Title").fill("To be removed")
    page.get_by_role("button", name="Add a row").click()
    expect(_row(page, rows + 1).get_by_label("Starts")).to_be_focused()
    _row(page, 2).get_by_role("button", name="Remove Item 2").click()
    expect(page.locator("[data-agenda-row]")).to_have_count(rows)
    titles = page.get_by_role("textbox", name="Title").evaluate_all("els => els.map(e => e.value)")
    assert titles == ["Welcome and introductions"] + [""] * (rows - 1)

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    title_width = first.get_by_label("Title").bounding_box()["width"]
    description_width = first.get_by_label("Description").bounding_box()["width"]
    assert title_width >= (300 if size == "phone" else 400) and description_width >= 300, (
        title_width,
        description_width,
    )
    _shoot(page, f"agenda-editor-{size}")

    # Keyboard: from the first field, Tab reaches every remaining control up to the save button.
    first.get_by_label("Day").focus()
    reached = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.textContent.trim() || document.activeElement.value"))
        if "Save agenda" in reached:
            break
    assert {"Add a row", "Save agenda"} <= reached, reached

    page.get_by_role("button", name="Save agenda").click()
    expect(page.get_by_role("status").filter(has_text="The agenda is saved.")).to_be_visible()
    expect(_row(page, 1).get_by_label("Starts")).to_have_value("14:00")
    page.goto(f"/events/{live_site.next_meeting_id}")
    expect(page.locator(".agenda-time").first).to_have_text("14:00–14:05")
