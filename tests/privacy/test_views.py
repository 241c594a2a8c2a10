"""/privacy without an account: the notice, the same answer for every address, the emailed link, the download, the
erasure (confirmation, then done) and what is left afterwards; and /admin/privacy for admins."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.privacy.models import PrivacyLink
from tests.conftest import csrf_token_from
from tests.fixtures.scan import rows_mentioning
from tests.privacy.conftest import ADDRESS, NAME, count
from tests.registration.conftest import last_email, token_from
from tests.web.conftest import text_of, visible_text

LINK = re.compile(r"https?://[^\s\"'<>]+/privacy/(?P<token>[A-Za-z0-9_-]+)")


def _ask(client, email: str):
    page = client.get("/privacy")
    return client.post("/privacy", data={"email": email, "csrf_token": csrf_token_from(text_of(page))})


def _privacy_emails(to: str) -> list[OutboxMessage]:
    query = sa.select(OutboxMessage).where(OutboxMessage.kind == "privacy_link", OutboxMessage.recipient_email == to)
    return list(db.session.scalars(query.order_by(OutboxMessage.id)))


def _token(to: str) -> str:
    return LINK.search(_privacy_emails(to)[-1].body_text)["token"]


def _post(client, path: str, page_path: str | None = None, **data):
    page = client.get(page_path or path)
    return client.post(path, data={**data, "csrf_token": csrf_token_from(text_of(page))})


def test_the_default_notice_says_what_is_stored_and_for_how_long(client, app):
    app.config.update(RETENTION_DAYS=400, MAIL_RETENTION_DAYS=21)

    text = visible_text(text_of(client.get("/privacy")))

    assert "What eventhub stores" in text
    assert "anonymised 400 days after the event ends" in text
    assert "deleted 21 days after it was sent" in text
    assert "See or erase your data" in text


@pytest.mark.parametrize("relative", [False, True], ids=["absolute", "in the instance folder"])
def test_a_deployments_notice_is_markdown_without_script(client, app, relative):
    notice = Path(app.instance_path) / "notice.md"
    notice.write_text("# Our notice\n\nWrite to [the DPO](mailto:dpo@example.org).\n\n<script>alert(1)</script>\n")
    app.config["PRIVACY_NOTICE_FILE"] = "notice.md" if relative else str(notice)

    html = text_of(client.get("/privacy"))

    assert "<h1>Our notice</h1>" in html and 'href="mailto:dpo@example.org"' in html
    assert "<script>" not in html and "What eventhub stores" not in html


def test_a_notice_file_that_cannot_be_read_shows_the_default(client, app, tmp_path):
    app.config["PRIVACY_NOTICE_FILE"] = str(tmp_path / "missing.md")

    assert "What eventhub stores" in text_of(client.get("/privacy"))


def test_every_page_links_to_the_privacy_page_and_so_do_the_invitation_and_request_forms(client, anna, now):
    from eventhub.registration.invitations import invite_people
    from eventhub.registration.invitee_lists import InviteeRow

    invite_people(anna.workshop, [InviteeRow(1, "cai@example.org", "Cai", "", "")], None, now)
    db.session.commit()
    invitation = f"/invitations/{token_from(last_email('invitation', 'cai@example.org'))}"

    for path in ("/", "/login", "/privacy/sent"):
        assert 'href="/privacy"' in text_of(client.get(path)), path
    for path in (invitation, f"/events/{anna.workshop.id}/request-invitation"):
        html = text_of(client.get(path)).split("<footer", 1)[0]
        assert 'href="/privacy"' in html, path


def test_known_and_unknown_addresses_get_the_same_answer_and_only_the_known_an_email(client, anna):
    before = count(OutboxMessage)
    known, unknown = _ask(client, ADDRESS.upper()), _ask(client, "nobody@example.org")

    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"] == "/privacy/sent"
    assert text_of(client.get(known.headers["Location"])) == text_of(client.get(unknown.headers["Location"]))
    assert count(OutboxMessage) == before + 1
    assert len(_privacy_emails(ADDRESS)) == 2  # the world asked once already
    assert _privacy_emails("nobody@example.org") == []
    assert _ask(client, "not an address").headers["Location"] == "/privacy/sent"


def test_the_link_is_written_in_the_readers_language(client, anna):
    anna.person.language = "da"
    db.session.commit()

    _ask(client, ADDRESS)

    email = _privacy_emails(ADDRESS)[-1]
    assert email.language == "da" and email.subject == "Dine personoplysninger hos eventhub"


def test_the_link_downloads_the_data_then_erases_it_and_nothing_is_left(client, anna):
    _ask(client, ADDRESS)
    token = _token(ADDRESS)

    page = client.get(f"/privacy/{token}")
    assert page.status_code == 200 and ADDRESS in text_of(page)
    assert page.headers["Cache-Control"] == "no-store"
    download = _post(client, f"/privacy/{token}/download", f"/privacy/{token}")
    assert download.headers["Content-Disposition"] == 'attachment; filename="eventhub-personal-data.json"'
    assert json.loads(download.get_data())["person"]["name"] == NAME
    confirm = client.get(f"/privacy/{token}/erase")
    assert "cannot be undone" in visible_text(text_of(confirm))

    erased = _post(client, f"/privacy/{token}/erase")

    assert erased.status_code == 302 and erased.headers["Location"] == "/privacy/erased"
    assert "Your data is erased" in text_of(client.get("/privacy/erased"))
    db.session.expire_all()
    assert rows_mentioning(ADDRESS) == [] and rows_mentioning(NAME) == []
    assert client.get(f"/privacy/{token}").status_code == 410


def test_an_expired_or_unknown_link_offers_a_new_one(client, anna, frozen_clock):
    _ask(client, ADDRESS)
    token = _token(ADDRESS)
    frozen_clock.advance(timedelta(hours=24))

    for path in (f"/privacy/{token}", "/privacy/not-a-token", f"/privacy/{token}/erase"):
        response = client.get(path)
        assert response.status_code == 410 and 'action="/privacy"' in text_of(response), path
    assert _post(client, f"/privacy/{token}/erase", "/privacy").status_code == 410
    assert count(OutboxMessage, OutboxMessage.recipient_email == ADDRESS) > 0  # nothing was erased
    _ask(client, "nobody@example.org")
    assert count(PrivacyLink) == 0  # expired links (they name an address) go when the next link is asked for


def test_asking_too_often_is_refused_like_sign_in_links(client, anna, app):
    limit = app.config["SIGN_IN_LINK_LIMIT_PER_EMAIL"][0]
    answers = [_ask(client, "someone@example.org").status_code for _ in range(limit + 1)]

    assert answers == [302] * limit + [429]
    assert "Too many links were asked for" in text_of(_ask(client, "someone@example.org"))


def test_the_refusal_is_in_the_pages_language(client, anna, app):
    client.get("/privacy?lang=pl")  # the switcher's choice, kept for the visit
    for _ in range(app.config["SIGN_IN_LINK_LIMIT_PER_EMAIL"][0]):
        _ask(client, "someone@example.org")
    response = _ask(client, "someone@example.org")
    assert response.status_code == 429
    assert "Zażądano zbyt wielu linków" in visible_text(text_of(response))


def test_the_last_admin_cannot_erase_themself_through_the_link(client, make_user):
    make_user("admin", email="solo@example.org")
    db.session.commit()
    _ask(client, "solo@example.org")
    token = _token("solo@example.org")

    response = _post(client, f"/privacy/{token}/erase")

    assert response.status_code == 409
    assert "last active administrator" in visible_text(text_of(response))


def test_admins_export_and_erase_anyone_with_a_confirmation(client, anna, login, make_user):
    admin = make_user("admin", email="root@example.org")
    db.session.commit()
    login(admin)
    assert "Personal data: export or erase" in text_of(client.get("/manage"))

    exported = _post(client, "/admin/privacy/export", "/admin/privacy", email=ADDRESS)
    assert json.loads(exported.get_data())["registrations"][0]["answers"][0]["answer"] == "vegetarian, no nuts"
    confirm = _post(client, "/admin/privacy/erase", "/admin/privacy", email=ADDRESS)
    assert confirm.status_code == 200 and "Registrations" in visible_text(text_of(confirm))
    assert count(OutboxMessage, OutboxMessage.recipient_email == ADDRESS) > 0  # not yet

    done = client.post(
        "/admin/privacy/erase",
        data={"email": ADDRESS, "confirmed": "yes", "csrf_token": csrf_token_from(text_of(confirm))},
    )

    assert done.status_code == 200 and "Personal data erased" in text_of(done)
    assert "Emails to the address deleted" in visible_text(text_of(done))
    db.session.expire_all()
    assert rows_mentioning(ADDRESS) == [] and rows_mentioning(NAME) == []


def test_the_admin_page_refuses_a_malformed_address_and_the_last_admin(client, login, make_user):
    admin = make_user("admin", email="root@example.org")
    db.session.commit()
    login(admin)

    assert _post(client, "/admin/privacy/export", "/admin/privacy", email="nope").status_code == 422
    refused = _post(client, "/admin/privacy/erase", "/admin/privacy", email=admin.email, confirmed="yes")
    assert refused.status_code == 409 and "last active administrator" in visible_text(text_of(refused))
