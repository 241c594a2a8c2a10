"""Structured logs: one JSON line per request and per send attempt, with what an operator searches by and
nothing personal or secret (no query strings, tokens, bodies or whole addresses)."""

from __future__ import annotations

import io
import json
import re
import sys

import pytest

from eventhub.extensions import db, mail
from eventhub.logs import HANDLER_KEY, configure_logger, log_format
from eventhub.mail.sender import send_due
from eventhub.mail.services import RenderedEmail, queue_email

SECRET = "inv_Zm9vYmFyYmF6cXV4c2VjcmV0dG9rZW4"


@pytest.fixture
def json_lines(app):
    """Switch the app's logs to JSON into a buffer; ``json_lines(logger)`` returns that logger's lines parsed."""
    app.config["LOG_FORMAT"] = "json"
    configure_logger(app)
    buffer = io.StringIO()
    app.extensions[HANDLER_KEY].setStream(buffer)

    def lines(logger: str) -> list[dict]:
        return [entry for entry in map(json.loads, buffer.getvalue().splitlines()) if entry["logger"] == logger]

    lines.raw = buffer.getvalue  # type: ignore[attr-defined]
    yield lines
    app.config["LOG_FORMAT"] = "text"
    configure_logger(app)


def test_a_request_is_one_json_line_without_query_string_or_token(client, json_lines):
    response = client.get(f"/invitations/{SECRET}?lang=da&token=query-secret")
    assert response.status_code == 404

    [entry] = json_lines("eventhub.requests")
    assert entry["method"] == "GET"
    assert entry["path"] == "/invitations/<token>"
    assert entry["endpoint"] == "registration.invitation"
    assert entry["status"] == 404
    assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] >= 0
    assert re.fullmatch(r"[0-9a-f]{32}", entry["request_id"])
    assert response.headers["X-Request-ID"] == entry["request_id"]
    raw = json_lines.raw()
    assert SECRET not in raw and "query-secret" not in raw and "lang=da" not in raw


@pytest.mark.parametrize(
    ("incoming", "kept"), [("proxy-4f2a.17", True), ("two words", False), ('x";forged=1', False), ("a" * 65, False)]
)
def test_a_request_id_from_the_proxy_is_kept_when_it_looks_like_one(client, json_lines, incoming, kept):
    client.get("/healthz", headers={"X-Request-ID": incoming})
    [entry] = json_lines("eventhub.requests")
    assert (entry["request_id"] == incoming) is kept


def queue(make_person, address: str, key: str, now) -> int:
    text, html = "BODY-SECRET /invitations/abc\n", "<p>BODY-SECRET</p>"
    email = RenderedEmail(subject="Your personal link", text=text, html=html)
    return queue_email(dedup_key=key, kind="invitation", recipient=make_person(email=address), email=email, now=now).id


def test_each_send_attempt_is_one_json_line_without_body_or_address(app, json_lines, smtp_server, make_person, now):
    app.config.update(smtp_server.config())
    mail.init_app(app)
    smtp_server.handler.refuse["gone@bounce.example.net"] = "550 No such user here"
    delivered = queue(make_person, "reader@example.org", "log:1", now)
    refused = queue(make_person, "gone@bounce.example.net", "log:2", now)
    db.session.commit()

    send_due(now, "w1")

    lines = {entry["outbox_id"]: entry for entry in json_lines("eventhub.mail")}
    assert len(json_lines("eventhub.mail")) == 2
    assert {key: lines[delivered][key] for key in ("kind", "outcome", "attempt", "recipient_domain", "reason")} == {
        "kind": "invitation",
        "outcome": "sent",
        "attempt": 1,
        "recipient_domain": "example.org",
        "reason": None,
    }
    assert {key: lines[refused][key] for key in ("outcome", "attempt", "recipient_domain", "reason")} == {
        "outcome": "failed",
        "attempt": 1,
        "recipient_domain": "bounce.example.net",
        "reason": "permanent",
    }
    raw = json_lines.raw()
    assert "BODY-SECRET" not in raw and "personal link" not in raw
    assert "reader@" not in raw and "gone@" not in raw


def test_logs_are_text_for_a_person_and_json_for_a_machine(app, monkeypatch):
    app.config["LOG_FORMAT"] = None
    assert log_format(app) == "text"  # tests
    app.testing = False
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert log_format(app) == "json"  # gunicorn or the worker under a process manager
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert log_format(app) == "text"  # someone at a terminal
    app.config["LOG_FORMAT"] = "json"
    assert log_format(app) == "json"
