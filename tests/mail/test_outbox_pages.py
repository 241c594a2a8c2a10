"""/admin/outbox (admins only) and /dev/mail (admins, only without SMTP): permissions and actions."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage, OutboxStatus
from eventhub.mail.sender import send_due
from eventhub.mail.services import RenderedEmail, queue_email
from tests.conftest import csrf_token_from

ROLES = ["anonymous", "member", "secretary", "organiser", "admin"]


@pytest.fixture
def as_role(make_user, login):
    def log_in(role: str) -> None:
        if role != "anonymous":
            login(make_user(role))

    return log_in


@pytest.fixture
def failed_message(make_person, now):
    person = make_person(email="gone@example.org", name="Gone Person")
    message = queue_email(
        dedup_key="failed",
        kind="test",
        recipient=person,
        now=now,
        email=RenderedEmail(subject="Invitation <b>", text="Hi\n", html="<p>Hi</p>"),
    )
    db.session.flush()
    message.status, message.attempts, message.last_error = (
        OutboxStatus.FAILED,
        1,
        "550 5.1.1 <gone@example.org> unknown",
    )
    db.session.commit()
    return message


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("secretary", 403), ("organiser", 403), ("admin", 200)])
def test_outbox_page_is_for_admins_only(client, as_role, role, status, failed_message):
    as_role(role)
    response = client.get("/admin/outbox")
    assert response.status_code == status
    if status == 200:
        page = response.get_data(as_text=True)
        assert "gone@example.org" in page and "550 5.1.1 &lt;gone@example.org&gt; unknown" in page
        assert "Invitation &lt;b&gt;" in page


def test_outbox_page_sends_anonymous_visitors_to_log_in(client):
    response = client.get("/admin/outbox")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_anonymous_post_is_refused_for_its_missing_token_before_login_is_asked(client):
    """400, not a redirect to log in: CSRFProtect checks every POST in an app-level before_request, which Flask runs
    before the blueprint's login check. That order is right: a POST without a token never comes from our own pages, so
    it is refused whoever sends it. With a valid token the same anonymous POST is sent to log in."""
    assert client.post("/admin/outbox/retry-failed").status_code == 400
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/admin/outbox/retry-failed", data={"csrf_token": token})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_retry_button_requeues_with_csrf_and_flashes(client, as_role, failed_message):
    as_role("admin")
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert client.post(f"/admin/outbox/{failed_message.id}/retry").status_code == 400  # no CSRF token
    response = client.post(f"/admin/outbox/{failed_message.id}/retry", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/outbox")
    db.session.expire_all()
    assert db.session.get(OutboxMessage, failed_message.id).status == OutboxStatus.QUEUED
    assert "queued again" in client.get("/admin/outbox").get_data(as_text=True)


def test_retry_all_failed_button(client, as_role, failed_message):
    as_role("admin")
    token = csrf_token_from(client.get("/admin/outbox").get_data(as_text=True))
    assert client.post("/admin/outbox/retry-failed", data={"csrf_token": token}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.status == OutboxStatus.FAILED)) == 0


def test_members_cannot_retry(client, as_role, failed_message):
    as_role("member")
    token = csrf_token_from(client.get("/account").get_data(as_text=True))  # a valid token: the role is what fails
    response = client.post(f"/admin/outbox/{failed_message.id}/retry", data={"csrf_token": token})
    assert response.status_code == 403
    assert db.session.get(OutboxMessage, failed_message.id).status == OutboxStatus.FAILED


@pytest.fixture
def written_mail(app, make_person, now):
    """One email written to the mail folder by the sender (no SMTP configured)."""
    person = make_person(email="soren@example.dk", name="Søren Ærø")
    queue_email(
        dedup_key="dev",
        kind="test",
        recipient=person,
        now=now,
        email=RenderedEmail(
            subject="Påmindelse", text="Hej Søren\n", html='<p onclick="x()">Hej</p><script>alert(1)</script>'
        ),
    )
    db.session.commit()
    assert send_due(now, "w1").sent == 1
    return app


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 302), ("member", 403), ("secretary", 403), ("organiser", 403), ("admin", 200)]
)
def test_dev_mail_is_for_admins(client, as_role, written_mail, role, status):
    as_role(role)
    response = client.get("/dev/mail")
    assert response.status_code == status
    if status == 302:
        assert "/login" in response.headers["Location"]


def test_dev_mail_lists_and_shows_messages_with_html_sandboxed(client, as_role, written_mail):
    as_role("admin")
    index = client.get("/dev/mail").get_data(as_text=True)
    assert "Påmindelse" in index and "Søren Ærø" in index
    [name] = [line.split("/dev/mail/")[1].split('"')[0] for line in index.splitlines() if "/dev/mail/" in line]
    page = client.get(f"/dev/mail/{name}").get_data(as_text=True)
    assert "Hej Søren" in page
    assert "<iframe" in page and " sandbox " in page and "<script>alert(1)</script>" not in page
    assert 'srcdoc="&lt;p onclick=' in page


@pytest.mark.parametrize("name", ["../secret_key", "..%2Fsecret_key", "x.txt", ".eml", "a/b.eml", "nothing-here.eml"])
def test_dev_mail_rejects_other_paths(client, as_role, written_mail, name):
    as_role("admin")
    assert client.get(f"/dev/mail/{name}").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_dev_mail_does_not_exist_when_smtp_is_configured(app, client, as_role, role):
    app.config["MAIL_SERVER"] = "smtp.example.org"
    as_role(role)
    assert client.get("/dev/mail").status_code == 404
