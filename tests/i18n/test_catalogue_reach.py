"""What no reader text may bypass, checked where the rendered-languages test cannot see it: WTForms' own messages
(every form asks eventhub's catalogue), the services' messages on pages (Danish) and in the API (English whatever
Accept-Language says), yes/no answers, the words of calendar feeds and invitations, and the error pages."""

from __future__ import annotations

import ast
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import wtforms
from babel.messages.pofile import read_po
from flask_babel import force_locale

from eventhub.forms import WTFORMS_MESSAGES, WTFORMS_PLURAL_MESSAGES
from tests.conftest import csrf_token_from
from tests.i18n.support import calendar_text, english_leaks, visible_text
from tests.support import TRANSLATIONS

PACKAGE = Path(__file__).parents[2] / "eventhub"
DANISH = {"Accept-Language": "da"}


@pytest.fixture
def backend() -> str:
    """Text, not storage, is checked here: one database is enough."""
    return "sqlite"


# ---------------------------------------------------------------------------------------------------------
# WTForms
# ---------------------------------------------------------------------------------------------------------


def _gettext_calls(path: Path) -> set[str | tuple[str, str]]:
    """The literal messages ``path`` passes to ``gettext(...)`` / ``ngettext(...)`` (any receiver)."""
    found: set[str | tuple[str, str]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute | ast.Name):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
        texts = [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
        if name == "gettext" and texts:
            found.add(texts[0])
        elif name == "ngettext" and len(texts) >= 2:
            found.add((texts[0], texts[1]))
    return found


def _listed() -> set[str | tuple[str, str]]:
    return {message._args[0] for message in WTFORMS_MESSAGES} | set(WTFORMS_PLURAL_MESSAGES)


def test_every_message_wtforms_shows_is_listed_for_the_catalogue():
    """Guards a WTForms upgrade: a new or reworded message must be added to eventhub/forms.py (and translated)."""
    library = Path(wtforms.__file__).parent
    used = _gettext_calls(library / "validators.py")
    for module in (library / "fields").glob("*.py"):
        used |= _gettext_calls(module)
    used -= {"Choices cannot be None."}  # a programming error (TypeError), never shown to a reader
    assert used - _listed() == set()


def test_forms_are_built_on_the_catalogue_forms_only():
    """A form made from FlaskForm or wtforms.Form directly would speak WTForms' own (partly missing) languages."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path == PACKAGE / "forms.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module in ("flask_wtf", "wtforms"):
                names = {alias.name for alias in node.names}
                if names & {"FlaskForm", "Form", "BaseForm"}:
                    offenders.append(f"{path.relative_to(PACKAGE)}: imports {sorted(names)}")
    assert offenders == []


def test_danish_translates_every_wtforms_message():
    with (TRANSLATIONS / "da" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        danish = read_po(handle)
    untranslated = [msgid for msgid in _listed() if not danish.get(msgid) or not all(_strings(danish.get(msgid)))]
    assert untranslated == []


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_a_form_error_is_in_the_pages_language(app):
    from eventhub.registration.forms import RequestForm

    with app.test_request_context("/", method="POST", data={"email": "nope"}, headers=DANISH):
        form = RequestForm(meta={"csrf": False})
        assert not form.validate()
        assert form.name.errors == ["Feltet skal udfyldes."]
        assert form.email.errors == ["Ugyldig e-mailadresse."]


# ---------------------------------------------------------------------------------------------------------
# The services' messages: a page's language, the API's English
# ---------------------------------------------------------------------------------------------------------


def test_a_services_message_is_shown_on_a_page_in_the_readers_language(client, make_user, login, commit):
    make_user("member", email="taken@example.org")
    admin = make_user("admin", language="da")
    commit()
    login(admin)
    page = client.get("/admin/users/new").get_data(as_text=True)
    data = {"name": "Nogen", "email": "taken@example.org", "role": "member", "language": "da"}
    response = client.post("/admin/users/new", data={**data, "csrf_token": csrf_token_from(page)})
    text = visible_text(response.get_data(as_text=True))
    assert response.status_code == 400 and "har allerede en konto" in text
    assert english_leaks(text, "da") == []


def test_the_api_answers_in_english_whatever_the_client_asks_for(client, admin, make_event, make_series, commit):
    make_series(slug="cospro")
    event = make_event()
    commit()
    taken = client.post("/api/v1/series", json={"slug": "cospro", "title": "Igen"}, headers={**admin, **DANISH})
    backwards = {"ends_at": event.starts_at.isoformat()}
    refused = client.patch(f"/api/v1/events/{event.id}", json=backwards, headers={**admin, **DANISH})
    assert taken.status_code == 409 and taken.get_json()["error"]["fields"] == {"slug": "already taken"}
    assert refused.status_code == 422
    assert refused.get_json()["error"] == {
        "code": "validation_error",
        "message": "Some fields are not valid.",
        "fields": {"ends_at": "must be after starts_at"},
    }


def test_invitee_list_reasons_are_in_the_organisers_language_and_the_apis_english(
    client, make_user, make_event, login, commit, admin
):
    from eventhub.registration.invitations import invite_people
    from eventhub.registration.invitee_lists import InviteeRow

    event = make_event(invitation_only=True)
    invite_people(event, [InviteeRow(1, "anna@example.org", "Anna")], None, event.created_at)
    organiser = make_user("admin", language="da")
    commit()
    rows = [{"email": "anna@example.org"}, {"email": "not an address"}]
    api = client.post(f"/api/v1/events/{event.id}/invitations", json={"invitees": rows}, headers={**admin, **DANISH})
    assert [row["reason"] for row in api.get_json()["skipped"]] == ["already invited"]
    assert api.get_json()["errors"][0]["reason"] == "email: not a valid email address"

    login(organiser)
    page = client.get(f"/events/{event.id}/manage/invitations").get_data(as_text=True)
    pasted = {"invitees": "anna@example.org\nnot an address", "csrf_token": csrf_token_from(page)}
    shown = visible_text(client.post(f"/events/{event.id}/manage/invitations", data=pasted).get_data(as_text=True))
    assert "anna@example.org — allerede inviteret" in shown
    assert "e-mail: ikke en gyldig e-mailadresse" in shown


def test_a_services_message_is_escaped_on_a_page_like_any_text(app):
    """A refusal may quote what someone typed; Flask-Babel's own lazy strings would reach the page unescaped."""
    from flask import render_template_string

    from eventhub.texts import lazy_text

    message = lazy_text("overlaps item %(number)d (%(title)s)", number=1, title="<script>alert(1)</script>")
    with app.test_request_context("/", headers=DANISH):
        shown = render_template_string("<p>{{ message }}</p>", message=message)
    assert shown == "<p>overlapper punkt 1 (&lt;script&gt;alert(1)&lt;/script&gt;)</p>"


def test_yes_and_no_answers_read_in_the_readers_language(app, now):
    from types import SimpleNamespace

    from eventhub.registration.questions import answer_text

    question = SimpleNamespace(id=1)
    with force_locale("da"):
        assert [answer_text(question, {"1": value}) for value in (True, False)] == ["ja", "nej"]
    assert answer_text(question, {"1": True}) == "yes"


# ---------------------------------------------------------------------------------------------------------
# Calendars: a feed in its person's language, an invitation's calendar part in its email's
# ---------------------------------------------------------------------------------------------------------


def test_a_personal_feed_speaks_its_persons_language(client, make_series, make_event, make_person, now, commit):
    from eventhub.calendar.services import issue_feed_token
    from eventhub.events.services import add_series_member
    from eventhub.minutes.publication import publish_version
    from eventhub.minutes.services import update_minutes
    from eventhub.registration.services import register

    series = make_series(slug="netvaerk", title="Netværk")
    reader = make_person(email="mette@example.org", name="Mette Holm", language="da")
    add_series_member(series, reader.email)
    meeting = make_event(title="Netværksmøde 1", series=series.slug, number=1, starts_at=now - timedelta(days=2))
    conference = make_event(title="Årskonference", kind="conference", starts_at=now + timedelta(days=20))
    register(conference, reader, now)
    due = (date(2026, 12, 10)).isoformat()
    parts = {"action_items": [{"what": "Send rapporten", "owner": reader.email, "due": due}]}
    update_minutes(meeting, {"body": "Referat.", **parts, "deadlines": [{"title": "Ansøgning", "date": due}]}, now)
    publish_version(meeting, now)
    token = issue_feed_token(reader, now)
    commit()

    feed = client.get(f"/feeds/{token}.ics", headers={"Accept-Language": "en"}).get_data(as_text=True)
    text = calendar_text(feed)
    for danish in ("Konference", "Møde", "Opgave fra Netværksmøde 1", "Deadline noteret på Netværksmøde 1"):
        assert danish in text
    assert re.search(r"CATEGORIES:Opgave\r?\n", feed)
    assert "Conference" not in text and "Action item" not in text


def test_an_invitations_calendar_part_speaks_its_emails_language(make_event, make_person, now):
    from eventhub.registration.emails import calendar_part
    from eventhub.registration.services import register

    event = make_event(kind="webinar")
    english = calendar_part(register(event, make_person(language="en"), now), "REQUEST", now)["content"]
    danish = calendar_part(register(event, make_person(language="da"), now), "REQUEST", now)["content"]
    assert "CATEGORIES:Webinar" in english and "CATEGORIES:Webinar" in danish  # the same word in both
    conference = make_event(kind="working_group_meeting")
    part = calendar_part(register(conference, make_person(language="da"), now), "REQUEST", now)["content"]
    assert "CATEGORIES:Arbejdsgruppemøde" in part


# ---------------------------------------------------------------------------------------------------------
# Error pages
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status", "heading"),
    [
        ("get", "/no/such/page", 404, "Siden blev ikke fundet"),
        ("post", "/", 405, None),
        ("get", "/invitations/not-a-real-token", 404, "Siden blev ikke fundet"),
    ],
)
def test_error_pages_are_in_the_readers_language(client, method, path, status, heading):
    response = getattr(client, method)(path, headers=DANISH)
    text = visible_text(response.get_data(as_text=True))
    assert response.status_code == status
    assert heading is None or heading in text
    assert english_leaks(text, "da") == []


def test_a_too_large_request_gets_a_page_in_the_readers_language_not_werkzeugs_english(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 100
    response = client.post("/login", data={"email": "x" * 500}, headers=DANISH)
    text = visible_text(response.get_data(as_text=True))
    assert response.status_code == 413
    assert "For meget sendt på én gang" in text and "The data value transmitted exceeds" not in text


def test_the_unsubscribe_pages_are_in_the_readers_language(client, make_person, make_series, commit):
    from eventhub.mail.lists import unsubscribe_token as list_token
    from eventhub.reminders.services import unsubscribe_token as reminder_token

    person = make_person(email="mette@example.org", language="da")
    series = make_series(slug="netvaerk", title="Netværk")
    commit()
    pages = []
    for path in (
        f"/reminders/unsubscribe/{reminder_token(person.id)}",
        f"/mail/unsubscribe/{list_token(person.id, series.id)}",
    ):
        asked = client.get(path, headers=DANISH).get_data(as_text=True)
        done = client.post(path, data={"csrf_token": csrf_token_from(asked)}, headers=DANISH)
        pages += [asked, done.get_data(as_text=True)]
    for page in pages:
        text = visible_text(page)
        assert 'lang="da"' in page and "mette@example.org" in text
        assert english_leaks(text, "da") == []
