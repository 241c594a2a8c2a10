"""The jobs of issue 11's "Done when", each driven through the pages only in Chromium: the only address typed is
``/`` (and the links read from received emails); everything else is reached by clicking.

1. An organiser creates a series with two members, an event in Europe/Warsaw, invites three people; two register
   from their invitation emails; the organiser moves the event (the registrants' change email carries a calendar
   entry with a higher SEQUENCE) and cancels it through the confirmation page (they get a METHOD:CANCEL).
2. A secretary (on a 390 px phone) goes from /manage to a meeting's attendance, drafts, edits and publishes its
   minutes through the confirmation page, and finds them in the series' minutes archive.
3. An admin creates an organiser account, makes her organiser of a series, sends a set-password link; she sets a
   password from the email and finds the series on /manage; the admin changes her role to secretary, her session
   ends, and logged in again she organises nothing.

The live site, its seed and the clicking helpers are in journey_support.py. Screenshots go to
test-artifacts/web/journey-*.png.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from tests.web.e2e.conftest import MOBILE
from tests.web.e2e.journey_support import (  # noqa: F401 (live is a fixture)
    ADMIN,
    MEETING,
    ORGANISER,
    SECRETARY,
    TASKFORCE_TITLE,
    WARSAW,
    fits_the_width,
    go_to_manage,
    link_in,
    live,
    new_page,
    shot,
    sign_in,
    vevent_in,
)

pytestmark = pytest.mark.browser

# ---------------------------------------------------------------------------------------------------------------
# 1. Organiser
# ---------------------------------------------------------------------------------------------------------------

SERIES_SLUG = "warsaw-circular-buyers"
SERIES_TITLE = "Warsaw circular buyers"
EVENT_TITLE = "Warsaw circular buyers: kick-off"
INVITEES = ("jan@um.warszawa.pl", "ewa@krakow.pl", "piotr@gdansk.pl")


def test_organiser_series_members_event_invitations_move_and_cancel(browser, live):
    page = new_page(browser, live)
    sign_in(page, ORGANISER)
    go_to_manage(page)

    page.get_by_role("link", name="New series").click()
    page.get_by_label("Short name in links (slug)").fill(SERIES_SLUG)
    page.get_by_label("Title").fill(SERIES_TITLE)
    page.get_by_label("Organiser name shown in emails").fill("Urząd m.st. Warszawy")
    shot(page, "organiser-1-new-series")
    page.get_by_role("button", name="Create series").click()
    expect(page.get_by_role("heading", name=SERIES_TITLE, level=1)).to_be_visible()

    go_to_manage(page)
    page.get_by_role("link", name=f"Members {SERIES_TITLE}").click()
    expect(page.get_by_role("heading", name=f"Members of {SERIES_TITLE}", level=1)).to_be_visible()
    add = page.locator("form", has=page.get_by_role("button", name="Add member"))
    for address, name, organisation in (
        ("anna@um.warszawa.pl", "Anna Nowak", "Urząd m.st. Warszawy"),
        ("tomasz@lodz.pl", "Tomasz Wiśniewski", "Urząd Miasta Łodzi"),
    ):
        add.get_by_label("Email").fill(address)
        add.get_by_label("Name").fill(name)
        add.get_by_label("Organisation").fill(organisation)
        add.get_by_role("button", name="Add member").click()
        expect(page.get_by_role("status").filter(has_text=f"{address} is now a member")).to_be_visible()
    expect(page.locator("#members-count")).to_contain_text("3 members")  # the two and the organiser who created it
    expect(page.locator(f'tr[data-email="{ORGANISER}"]')).to_contain_text("Organiser")
    shot(page, "organiser-2-two-members")

    page.get_by_role("link", name=SERIES_TITLE, exact=True).click()
    page.get_by_role("navigation", name="Manage this series").get_by_role("link", name="New event").click()
    expect(page.get_by_role("heading", name="New event", level=1)).to_be_visible()
    page.get_by_label("Title").fill(EVENT_TITLE)
    page.get_by_label("Time zone").select_option("Europe/Warsaw")
    page.get_by_label("Starts (local time, 24-hour)").fill("2027-02-10 10:00")
    page.get_by_label("Ends (local time, 24-hour)").fill("2027-02-10 13:00")
    page.get_by_label("Location").fill("Warsaw, Pałac Kultury i Nauki")
    page.get_by_label("Capacity (empty: no limit)").fill("30")
    shot(page, "organiser-3-new-event")
    page.get_by_role("button", name="Save event").click()
    expect(page.get_by_role("heading", name=EVENT_TITLE, level=1)).to_be_visible()
    assert re.search(r"10 February 2027, 10:00–13:00\s*\(Warsaw\)", page.locator("dd").first.inner_text())

    manage = page.get_by_role("navigation", name="Manage this event")
    manage.get_by_role("link", name="Invitations").click()
    page.get_by_label("Paste a list").fill(
        "\n".join(f"{address}; {address.split('@')[0].title()} Kowalski" for address in INVITEES)
    )
    page.get_by_role("button", name="Invite everyone").click()
    expect(page.locator("#invite-result")).to_contain_text("Invited: 3. Skipped: 0. Not valid: 0.")
    expect(page.locator("#invitations tbody tr")).to_have_count(3)
    shot(page, "organiser-4-three-invited")

    for address in INVITEES[:2]:  # two of the three register, each in a browser of their own
        invitee = new_page(browser, live, MOBILE)
        invitee.goto(link_in(live.mail_to(address, "Invitation"), "invitations"))
        expect(invitee.get_by_role("heading", name=EVENT_TITLE, level=1)).to_be_visible()
        invitee.get_by_role("button", name="Register").click()
        expect(invitee.locator("#registration-status")).to_contain_text("Your place is confirmed")
        if address == INVITEES[0]:
            shot(invitee, "organiser-5-invitee-registered")
        invitee.context.close()
    first = {address: vevent_in(live.mail_to(address, "You are registered"))[1] for address in INVITEES[:2]}

    go_to_manage(page)  # the dashboard counts them
    row = page.locator("#events tbody tr", has_text=EVENT_TITLE)
    expect(row.locator(".count-invited")).to_have_text("3")
    expect(row.locator(".count-registered")).to_have_text("2")
    expect(page.locator("#series")).not_to_contain_text(TASKFORCE_TITLE)  # not hers: organiser rights per series
    shot(page, "organiser-6-dashboard")
    row.get_by_role("link", name=EVENT_TITLE).click()
    page.get_by_role("navigation", name="Manage this event").get_by_role("link", name="Edit event").click()
    expect(page.get_by_label("Starts (local time, 24-hour)")).to_have_value("2027-02-10 10:00")
    page.get_by_label("Starts (local time, 24-hour)").fill("2027-02-11 12:00")
    page.get_by_label("Ends (local time, 24-hour)").fill("2027-02-11 15:00")
    shot(page, "organiser-7-move")
    page.get_by_role("button", name="Save event").click()
    expect(page.get_by_role("status").filter(has_text="Event saved.")).to_be_visible()
    assert re.search(r"11 February 2027, 12:00–15:00\s*\(Warsaw\)", page.locator("dd").first.inner_text())

    for address in INVITEES[:2]:
        change = live.mail_to(address, "Changed:")
        text = change.get_body(("plain",)).get_content()
        assert "11 February 2027 12:00–15:00 (Warsaw)" in text and "11 February 2027" in str(change["Subject"])
        method, moved = vevent_in(change)
        assert method == "REQUEST"
        assert int(moved["SEQUENCE"]) > int(first[address].get("SEQUENCE", 0))
        assert moved["UID"] == first[address]["UID"]
        assert moved.decoded("DTSTART").astimezone(WARSAW) == datetime(2027, 2, 11, 12, 0, tzinfo=WARSAW)
    assert live.mails_to(INVITEES[2], "Changed:") == []  # invited, not registered: no calendar entry to update

    page.get_by_role("navigation", name="Manage this event").get_by_role("link", name="Cancel event").click()
    expect(page.get_by_role("heading", name="Cancel event", level=1)).to_be_visible()
    expect(page.get_by_text("Cancelling emails 2 people (confirmed or on the waiting list)")).to_be_visible()
    shot(page, "organiser-8-cancel-confirmation")
    page.get_by_role("button", name="Cancel the event").click()
    expect(page.get_by_text("This event has been cancelled.")).to_be_visible()
    shot(page, "organiser-9-cancelled")

    for address in INVITEES[:2]:
        moved = vevent_in(live.mail_to(address, "Changed:"))[1]
        method, cancelled = vevent_in(live.mail_to(address, "Cancelled:"))
        assert method == "CANCEL" and str(cancelled["STATUS"]) == "CANCELLED"
        assert int(cancelled["SEQUENCE"]) > int(moved["SEQUENCE"])
    assert live.mails_to(INVITEES[2], "Cancelled:") == []
    page.context.close()


# ---------------------------------------------------------------------------------------------------------------
# 2. Secretary (on a 390 px phone)
# ---------------------------------------------------------------------------------------------------------------

PHONE = {"width": 390, "height": 844}


def test_secretary_takes_attendance_drafts_edits_and_publishes_minutes(browser, live):
    page = new_page(browser, live, PHONE)
    sign_in(page, SECRETARY)
    go_to_manage(page)
    meeting = page.locator(".manage-meetings li", has_text=MEETING)
    shot(page, "secretary-1-manage")
    meeting.get_by_role("link", name="Take attendance").click()

    expect(page.get_by_role("heading", name="Attendance", level=1)).to_be_visible()
    page.get_by_label("Erik Ek").check()
    page.get_by_label("Sofie Sekretær").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_role("status").filter(has_text="Attendance is saved.")).to_be_visible()
    walk_in = page.locator("form", has=page.get_by_role("button", name="Add attendee"))
    walk_in.get_by_label("Email").fill("kari@bergen.kommune.no")
    walk_in.get_by_label("Name").fill("Kari Nordmann")
    walk_in.get_by_label("Organisation").fill("Bergen kommune")
    walk_in.get_by_role("button", name="Add attendee").click()
    expect(page.get_by_label("Kari Nordmann")).to_be_checked()
    expect(page.get_by_label("Erik Ek")).to_be_checked()
    expect(page.get_by_label("Liisa Laine")).not_to_be_checked()
    assert fits_the_width(page)
    shot(page, "secretary-2-attendance")

    page.get_by_role("link", name=f"Minutes · {MEETING}").click()
    expect(page.get_by_role("heading", name="Minutes", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Attendance (3 present)")).to_be_visible()
    page.get_by_role("button", name="Draft from the agenda").click()
    expect(page.get_by_role("status").filter(has_text="The draft was started from the agenda.")).to_be_visible()
    body = page.get_by_label("Minutes (Markdown)")
    assert "Joint tender for electric buses" in body.input_value()
    body.fill(body.input_value() + "\nOslo leads the joint tender; Bergen joins.\n")
    page.get_by_label("Decisions").fill("A joint tender for 40 electric buses in spring 2027.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status").filter(has_text="The draft is saved.")).to_be_visible()
    expect(page.locator(".minutes-body")).to_contain_text("Oslo leads the joint tender; Bergen joins.")
    shot(page, "secretary-3-draft")

    page.get_by_role("link", name="Publish…").click()
    expect(page.get_by_role("heading", name="Publish the minutes", level=1)).to_be_visible()
    expect(page.locator("#publish-recipients")).to_contain_text("Publishing emails 3 members of the series.")
    shot(page, "secretary-4-publish-confirmation")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status").filter(has_text="The minutes are published.")).to_be_visible()
    expect(page.locator("#minutes-title")).to_contain_text("Minutes of meeting 7")
    expect(page.locator("article.minutes")).to_contain_text("A joint tender for 40 electric buses in spring 2027.")
    shot(page, "secretary-5-published")

    page.get_by_role("link", name=f"Minutes of {TASKFORCE_TITLE}").click()
    entry = page.locator(".minutes-archive li", has_text=MEETING)
    expect(entry).to_contain_text("Kari Nordmann, Bergen kommune")
    assert fits_the_width(page)
    shot(page, "secretary-6-archive")
    entry.get_by_role("link", name=f"Meeting 7: {MEETING}").click()
    expect(page.locator("article.minutes")).to_contain_text("Oslo leads the joint tender; Bergen joins.")

    assert live.mail_to("liisa@hel.fi", "Minutes")  # the members are told
    page.context.close()


# ---------------------------------------------------------------------------------------------------------------
# 3. Admin
# ---------------------------------------------------------------------------------------------------------------

NEWCOMER = "marta.organiser@example.org"
NEW_PASSWORD = "a long new password 2027"


def test_admin_creates_an_organiser_appoints_her_sends_a_link_then_changes_the_role(browser, live):
    admin = new_page(browser, live)
    sign_in(admin, ADMIN)
    go_to_manage(admin)
    admin.get_by_role("region", name="Administration").get_by_role("link", name="Accounts").click()
    expect(admin.get_by_role("heading", name="Accounts", level=1)).to_be_visible()
    admin.get_by_role("link", name="Create an account").click()
    admin.get_by_label("Name").fill("Marta Organiser")
    admin.get_by_label("Email").fill(NEWCOMER)
    admin.get_by_label("Organisation").fill("Urząd m.st. Warszawy")
    admin.get_by_label("Role").select_option(label="Organiser")
    shot(admin, "admin-1-create")
    admin.get_by_role("button", name="Create account").click()
    expect(admin.get_by_role("status").filter(has_text=f"Account created for {NEWCOMER}.")).to_be_visible()
    row = admin.locator(f'tr[data-email="{NEWCOMER}"]')
    expect(row.get_by_label(f"Role of {NEWCOMER}")).to_have_value("organiser")
    shot(admin, "admin-2-created")

    go_to_manage(admin)  # she is to run the taskforce: the series' management page names its organisers
    admin.get_by_role("link", name=f"Edit series {TASKFORCE_TITLE}").click()
    admin.get_by_label("Email address of the account").fill(NEWCOMER)
    admin.get_by_role("button", name="Add organiser").click()
    expect(admin.get_by_role("status").filter(has_text="Marta Organiser now organises this series.")).to_be_visible()
    expect(admin.locator("#organisers")).to_contain_text(NEWCOMER)
    shot(admin, "admin-3-organiser-appointed")

    go_to_manage(admin)
    admin.get_by_role("region", name="Administration").get_by_role("link", name="Accounts").click()
    admin.get_by_label("Name or email contains").fill("marta")
    admin.get_by_role("button", name="Search").click()
    row = admin.locator(f'tr[data-email="{NEWCOMER}"]')
    row.get_by_role("button", name=f"Send a set-password link to {NEWCOMER}").click()
    expect(
        admin.get_by_role("status").filter(has_text=f"A set-password link was emailed to {NEWCOMER}.")
    ).to_be_visible()

    message = live.mail_to(NEWCOMER, "Set your password")
    assert "correct horse" not in message.get_body(("plain",)).get_content()  # a link, never a password
    marta = new_page(browser, live)
    marta.goto(link_in(message, "set-password"))
    shot(marta, "admin-4-set-password")
    marta.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    marta.get_by_label("New password again").fill(NEW_PASSWORD)
    marta.get_by_role("button", name="Set password").click()
    expect(marta.get_by_role("status").filter(has_text="Your password is set. You are signed in.")).to_be_visible()
    go_to_manage(marta)
    expect(marta.locator("#series")).to_contain_text(TASKFORCE_TITLE)  # the series she was appointed to
    shot(marta, "admin-5-organiser-dashboard")

    row.get_by_label(f"Role of {NEWCOMER}").select_option(label="Secretary")
    row.get_by_role("button", name="Change role").click()
    expect(admin.get_by_role("status").filter(has_text=f"{NEWCOMER} is now: Secretary.")).to_be_visible()
    expect(row.get_by_label(f"Role of {NEWCOMER}")).to_have_value("secretary")
    shot(admin, "admin-6-role-changed")
    admin.context.close()

    marta.get_by_role("navigation", name="Main").get_by_role("link", name="Manage", exact=True).click()
    expect(marta.get_by_role("heading", name="Log in", level=1)).to_be_visible()  # her session ended with the role
    marta.get_by_label("Email").fill(NEWCOMER)
    marta.get_by_label("Password").fill(NEW_PASSWORD)
    marta.get_by_role("button", name="Log in").click()
    expect(marta.get_by_role("heading", name="Manage", level=1)).to_be_visible()
    expect(marta.locator("#series")).to_have_count(0)  # a secretary account organises nothing, membership or not
    expect(marta.get_by_role("heading", name="Meetings: the last and next 30 days")).to_be_visible()
    shot(marta, "admin-7-now-a-secretary")
    marta.context.close()
