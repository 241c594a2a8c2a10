"""What a person clicks through, in Chromium, on a desktop and on a 375px-wide phone."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_log_in_see_account_and_create_token(page, live_site, shoot, viewport):
    token_name = f"minutes import ({viewport[0]})"
    page.goto("/login")
    page.get_by_label("Email").fill(live_site.admin_email)
    page.get_by_label("Password").fill("wrong password!")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("alert").inner_text() == "Wrong email or password."
    shoot("login-failed")

    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("status").filter(has_text="You are logged in.")).to_be_visible()

    page.get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    expect(page.get_by_text("Ada Admin")).to_be_visible()
    expect(page.get_by_text("Administrator")).to_be_visible()
    page.get_by_label("Name").fill(token_name)
    page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-token").inner_text()
    assert re.fullmatch(r"ehk_[A-Za-z0-9_-]{40,}", token)
    expect(
        page.get_by_role("listitem").filter(has_text=token_name).get_by_role("button", name="Revoke")
    ).to_be_visible()
    assert no_horizontal_scroll(page)
    shoot("account-new-token")

    page.goto("/account")
    assert page.locator("#new-token").count() == 0
    assert token[:12] in page.content() and token not in page.content()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("status").filter(has_text="You are logged out.")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_browse_home_series_event(page, live_site, shoot):
    page.goto("/")
    expect(page.get_by_role("heading", name="Upcoming events", level=1)).to_be_visible()
    expect(page.get_by_text("Invitation only").first).to_be_visible()
    assert "Big Buyers" not in page.content()
    assert no_horizontal_scroll(page)
    shoot("home")

    page.get_by_role("link", name=live_site.series_title, exact=True).click()
    expect(page.get_by_role("heading", name=live_site.series_title, level=1)).to_be_visible()
    past = page.locator("section", has=page.get_by_role("heading", name="Past"))
    expect(past.get_by_role("link", name="3. møde i Buy Social Taskforce Danmark")).to_be_visible()
    shoot("series")

    page.get_by_role("link", name=live_site.next_meeting_title).click()
    expect(page.get_by_role("heading", name=live_site.next_meeting_title, level=1)).to_be_visible()
    when = page.locator("dd").first.inner_text()
    assert re.search(r"19 January \d{4}, 14:00–15:30\s*\(Copenhagen\)", when), when
    expect(page.get_by_text("Meeting 4")).to_be_visible()
    assert no_horizontal_scroll(page)
    shoot("event")


def test_switch_to_danish(page, live_site, shoot):
    page.goto(f"/events/{live_site.next_meeting_id}")
    page.get_by_label("Language").select_option("da")  # the header's switcher
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "da")
    when = page.locator("dd").first.inner_text()
    assert re.search(r"januar \d{4}, 14\.00–15\.30", when), when
    expect(page.get_by_text("Hvornår")).to_be_visible()
    shoot("event-da")

    page.get_by_role("link", name="Forside").click()
    expect(page.get_by_role("heading", name="Kommende arrangementer")).to_be_visible()
    shoot("home-da")


def test_not_found_page(page, shoot):
    response = page.goto("/series/big-buyers-circular")
    assert response.status == 404
    expect(page.get_by_role("heading", name=re.compile("Page not found"))).to_be_visible()
    shoot("not-found")
