"""Issue 12's browser test: a Polish invitee and a Greek invitee each register from the link in their invitation
email, in Chromium, and every page and email they meet is in their language, with dates written the way their
locale writes them, in the event's time zone.

The conferences are the BSI national conferences of Warsaw (Polish) and Athens (Greek), 10:00–16:00 local time in
March 2027: both zones are an hour or two ahead of UTC, so a date written in the wrong zone shows the wrong hour.
The expected words come from the catalogues (``force_locale``), the expected dates are spelled out here as a
reader of each language writes them (CLDR's genitive month names, the 24-hour clock), so a regression in either
the translation or the formatting fails the test. Screenshots go to test-artifacts/web/intl-*.png.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from tests.web.e2e.journey_support import ORGANISER, Live, link_in, live, new_page, shot  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Conference:
    language: str
    title: str
    timezone: str
    day: str
    invitee: str
    name: str
    organisation: str
    question: str
    # How the reader's locale writes the conference's day and hours, and its zone's city.
    day_written: str
    hours_written: str
    city_written: str


WARSAW = Conference(
    language="pl",
    title="Krajowa konferencja BSI: społecznie odpowiedzialne zamówienia publiczne",
    timezone="Europe/Warsaw",
    day="2027-03-16",
    invitee="agnieszka.nowak@example.org",
    name="Agnieszka Nowak",
    organisation="Urząd Miasta Stołecznego Warszawy",
    question="Czy reprezentuje Pani/Pan zamawiającego publicznego?",
    day_written="wtorek, 16 marca 2027",
    hours_written="10:00–16:00",
    city_written="Warszawa",
)
ATHENS = Conference(
    language="el",
    title="Εθνικό συνέδριο BSI: κοινωνικά υπεύθυνες δημόσιες συμβάσεις",
    timezone="Europe/Athens",
    day="2027-03-23",
    invitee="eleni.papadopoulou@example.org",
    name="Ελένη Παπαδοπούλου",
    organisation="Δήμος Αθηναίων",
    question="Εκπροσωπείτε αναθέτουσα αρχή;",
    day_written="Τρίτη 23 Μαρτίου 2027",
    hours_written="10:00–16:00",  # 24-hour, as Greek administrations write it (CLDR's Greek default is 12-hour)
    city_written="Αθήνα",
)


def _invite(live: Live, conference: Conference) -> None:
    """The conference in its language and zone, with a yes/no question, and its invitee invited through the
    service the invitation pages call (the pages themselves are driven in test_journeys)."""
    from eventhub.accounts.services import find_user_by_email
    from eventhub.events import services
    from eventhub.extensions import db
    from eventhub.registration.invitations import invite_people
    from eventhub.registration.invitee_lists import InviteeRow
    from eventhub.registration.questions import add_question
    from tests.support import NOW

    with live.app.app_context():
        event = services.create_event(
            services.EventInput(
                title=conference.title, timezone=conference.timezone, language=conference.language,
                starts_at=f"{conference.day}T10:00:00", ends_at=f"{conference.day}T16:00:00",
                location="BSI", invitation_only=True, visibility="public",
            ),
            now=NOW,
        )  # fmt: skip
        add_question(event, "yes_no", conference.question, required=True)
        row = InviteeRow(line=1, email=conference.invitee, name=conference.name, language=conference.language)
        invite_people(event, [row], find_user_by_email(ORGANISER), NOW)
        db.session.commit()
        db.session.remove()


def _words(live: Live, language: str, message: str, **values: str) -> str:
    with live.app.test_request_context(), force_locale(language):
        return gettext(message, **values)


def _assert_written_for_the_reader(message: EmailMessage, conference: Conference) -> None:
    assert message["Content-Language"] == conference.language
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert conference.day_written in body, body
        assert conference.hours_written in body, body
        assert conference.city_written in body, body


@pytest.mark.parametrize("conference", [WARSAW, ATHENS], ids=lambda conference: conference.language)
def test_an_invitee_registers_in_their_language_from_the_emailed_link(browser, live, conference):
    _invite(live, conference)
    invitation = live.mail_to(
        conference.invitee, _words(live, conference.language, "Invitation: %(title)s", title=conference.title)
    )
    _assert_written_for_the_reader(invitation, conference)

    page = new_page(browser, live)
    page.goto(link_in(invitation, "invitations"))
    expect(page.locator("html")).to_have_attribute("lang", conference.language)
    register = _words(live, conference.language, "Register")
    expect(page.get_by_role("heading", name=register, level=2)).to_be_visible()
    expect(page.get_by_text(conference.day_written)).to_be_visible()
    shot(page, f"intl-{conference.language}-invitation")

    page.get_by_label(_words(live, conference.language, "Organisation")).fill(conference.organisation)
    yes = _words(live, conference.language, "Yes")
    page.get_by_label(yes, exact=True).check()
    page.get_by_role("button", name=register, exact=True).click()
    thanks = _words(live, conference.language, "Thank you, %(name)s.", name=conference.name)
    expect(page.locator("#registration-status")).to_contain_text(thanks)
    expect(page.locator("html")).to_have_attribute("lang", conference.language)
    answers = page.locator("dl.answers")
    expect(answers.locator("dt")).to_have_text([conference.question])
    expect(answers.locator("dd")).to_have_text([yes])
    shot(page, f"intl-{conference.language}-registered")

    confirmation = live.mail_to(
        conference.invitee, _words(live, conference.language, "You are registered: %(title)s", title=conference.title)
    )
    _assert_written_for_the_reader(confirmation, conference)
    summary = confirmation.get_body(("plain",)).get_content()
    assert conference.question in summary and yes in summary  # the answers, in the reader's words
