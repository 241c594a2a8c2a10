"""One message's trouble stays that message's: non-ASCII addresses, errors nobody expected, a sender that keeps
dying on a row. Against a real aiosmtpd server, on the rolled-back ``app`` database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_string, policy

import pytest
import sqlalchemy as sa

from eventhub.events.models import Person
from eventhub.extensions import db, mail
from eventhub.mail import transport as transport_module
from eventhub.mail.models import OutboxMessage, OutboxStatus
from eventhub.mail.sender import claim_due, send_due
from eventhub.mail.services import RenderedEmail, queue_email, retry_message

STRICT = policy.SMTP.clone(raise_on_defect=True)


def old_person(email: str, name: str = "Old Row") -> Person:
    """A person stored before input refused such addresses (straight into the table, as old data is)."""
    person = Person(email=email, name=name)
    db.session.add(person)
    db.session.flush()
    return person


def queue_to(person: Person, key: str, now) -> OutboxMessage:
    email = RenderedEmail(subject=f"Hello {key}", text="Hello\n", html="<p>Hello</p>")
    return queue_email(dedup_key=key, kind="test", recipient=person, email=email, now=now)


def use(app, server) -> None:
    app.config.update(server.config())
    mail.init_app(app)


def row(key: str) -> OutboxMessage:
    db.session.expire_all()
    return db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.dedup_key == key))


def test_an_old_non_ascii_address_goes_out_with_smtputf8_and_an_idna_domain(app, smtputf8_server, make_person, now):
    use(app, smtputf8_server)
    queue_to(old_person("jørgen@exämple.dk", "Jørgen"), "utf8", now)
    queue_to(make_person(email="plain@example.org"), "plain", now)
    db.session.commit()

    report = send_due(now, "w1")

    assert (report.sent, report.failed) == (2, 0)
    assert smtputf8_server.wait_for(2) == 2
    [utf8] = [item for item in smtputf8_server.handler.received if item.rcpt != ["plain@example.org"]]
    assert utf8.rcpt == ["jørgen@xn--exmple-cua.dk"]
    assert "SMTPUTF8" in utf8.mail_options
    message = message_from_string(utf8.raw.decode("utf-8"), policy=STRICT)  # RFC 6532: headers in raw UTF-8
    assert message["To"].addresses[0].addr_spec == "jørgen@xn--exmple-cua.dk"
    assert message["To"].addresses[0].display_name == "Jørgen"
    assert row("utf8").status == OutboxStatus.SENT


def test_an_idn_domain_alone_needs_no_smtputf8(app, smtp_server, now):
    use(app, smtp_server)
    queue_to(old_person("ana@exämple.dk"), "idn", now)
    db.session.commit()

    assert send_due(now, "w1").sent == 1
    smtp_server.wait_for(1)
    [item] = smtp_server.handler.received
    assert item.rcpt == ["ana@xn--exmple-cua.dk"] and "SMTPUTF8" not in item.mail_options


def test_a_non_ascii_address_fails_alone_when_the_server_cannot_take_it(app, smtp_server, make_person, now):
    use(app, smtp_server)
    queue_to(make_person(email="first@example.org"), "first", now)
    queue_to(old_person("üser@example.net"), "utf8", now)
    queue_to(make_person(email="last@example.org"), "last", now)
    db.session.commit()

    report = send_due(now, "w1")

    assert (report.sent, report.failed, report.retrying) == (2, 1, 0)
    assert smtp_server.wait_for(2) == 2
    failed = row("utf8")
    assert failed.status == OutboxStatus.FAILED and failed.attempts == 1
    assert "SMTPUTF8" in failed.last_error
    assert {row("first").status, row("last").status} == {OutboxStatus.SENT}


def test_an_unexpected_error_for_one_message_fails_it_after_its_attempts_and_the_batch_goes_on(
    app, smtp_server, make_person, now, monkeypatch
):
    use(app, smtp_server)
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    for name in ("a", "cursed", "b"):
        queue_to(make_person(email=f"{name}@example.org"), name, now)
    db.session.commit()
    real_send = transport_module.SmtpTransport.send

    def send(self, email, envelope_from, data, at):
        if email.recipient_email == "cursed@example.org":
            raise RuntimeError("a bug nobody expected")
        return real_send(self, email, envelope_from, data, at)

    monkeypatch.setattr(transport_module.SmtpTransport, "send", send)

    first = send_due(now, "w1")
    assert (first.sent, first.retrying, first.failed) == (2, 1, 0)
    cursed = row("cursed")
    assert (cursed.status, cursed.attempts) == (OutboxStatus.QUEUED, 1)
    assert "RuntimeError: a bug nobody expected" in cursed.last_error

    later = now
    for _ in range(2):
        later += timedelta(hours=2)
        send_due(later, "w1")
    cursed = row("cursed")
    assert (cursed.status, cursed.attempts) == (OutboxStatus.FAILED, 3)
    assert smtp_server.wait_for(2) == 2
    assert sorted(item.rcpt[0] for item in smtp_server.handler.received) == ["a@example.org", "b@example.org"]

    retry_message(cursed.id, later)  # it shows as failed, so an admin can reach it
    db.session.commit()
    assert row("cursed").status == OutboxStatus.QUEUED


def test_an_error_no_retry_can_cure_fails_the_message_at_once(app, smtp_server, make_person, now, monkeypatch):
    use(app, smtp_server)
    queue_to(make_person(email="codec@example.org"), "codec", now)
    queue_to(make_person(email="fine@example.org"), "fine", now)
    db.session.commit()
    real_send = transport_module.SmtpTransport.send

    def send(self, email, envelope_from, data, at):
        if email.recipient_email == "codec@example.org":
            "ü".encode("ascii")
        return real_send(self, email, envelope_from, data, at)

    monkeypatch.setattr(transport_module.SmtpTransport, "send", send)

    report = send_due(now, "w1")

    assert (report.sent, report.failed) == (1, 1)
    assert (row("codec").status, row("codec").attempts) == (OutboxStatus.FAILED, 1)
    assert "UnicodeEncodeError" in row("codec").last_error


@pytest.mark.parametrize("attempts, expected", [(8, OutboxStatus.SENDING), (9, OutboxStatus.FAILED)])
def test_a_row_whose_sender_keeps_dying_is_failed_instead_of_claimed_again(app, make_person, now, attempts, expected):
    app.config["MAIL_MAX_ATTEMPTS"] = 10
    message = queue_to(make_person(), "crashing", now)
    message.status, message.attempts = OutboxStatus.SENDING, attempts
    message.claimed_by, message.lease_expires_at = "dead-worker", now - timedelta(seconds=1)
    db.session.commit()

    from eventhub.mail.sender import fail_exhausted

    fail_exhausted(now)
    claimed = claim_due(now, "w2", 10, timedelta(minutes=5))
    db.session.commit()

    reloaded = row("crashing")
    assert (reloaded.status, reloaded.attempts) == (expected, attempts + 1)
    assert claimed == ([] if expected is OutboxStatus.FAILED else [reloaded.id])
    if expected is OutboxStatus.FAILED:
        assert "gave up after 10 attempts" in reloaded.last_error
