"""Logs an operator can search: one line per request and one per outbox send attempt, as JSON in production.

Everything goes through the stdlib logger ``eventhub`` (Flask's ``app.logger``) and its children
(``eventhub.requests``, ``eventhub.mail``). ``EVENTHUB_LOG_FORMAT`` chooses the format: ``json`` (one object per
line, for a log shipper), ``text`` (Flask's default handler), or unset: text when a person is watching (debug
mode, tests, a terminal), JSON otherwise (gunicorn or the worker under systemd, a container without a TTY).

What is never logged: query strings, the value of any URL part that is a secret token (``<token>`` in a route),
email bodies, full email addresses (only the domain, enough to see "all failures go to one provider"), and
headers (API tokens travel in ``Authorization``).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import datetime, timezone
from typing import Any

from flask import Flask, Response, g, request
from flask.logging import default_handler

LOGGER_NAME = "eventhub"
HANDLER_KEY = "eventhub.log_handler"
REQUEST_ID_HEADER = "X-Request-ID"
# A request id from the proxy is kept when it looks like one (no spaces, quotes or newlines to forge log lines).
INCOMING_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
SECRET_URL_PARTS = ("token",)
# Attributes every LogRecord has; anything else was passed in ``extra`` and becomes a field of the JSON line.
STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}

requests_logger = logging.getLogger(f"{LOGGER_NAME}.requests")
mail_logger = logging.getLogger(f"{LOGGER_NAME}.mail")


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message, the ``extra`` fields, the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in STANDARD_ATTRIBUTES})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def init_logging(app: Flask) -> None:
    """Configure the ``eventhub`` logger for this app's format and log every request."""
    configure_logger(app)
    app.before_request(_start_request)
    app.after_request(_log_request)


def configure_logger(app: Flask) -> None:
    """Give the ``eventhub`` logger the handler of ``log_format(app)``.

    The logger is process-wide; configuring it again (one app per test) replaces what the previous app set.
    """
    logger = logging.getLogger(LOGGER_NAME)
    for name in (LOGGER_NAME, requests_logger.name, mail_logger.name):
        logging.getLogger(name).disabled = False  # a logging.config call elsewhere may have turned them off
    for previous in [handler for handler in logger.handlers if handler.get_name() == HANDLER_KEY]:
        logger.removeHandler(previous)
    if log_format(app) == "json":
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler.set_name(HANDLER_KEY)
        logger.removeHandler(default_handler)  # Flask's plain-text handler would print every line twice
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False  # a root handler set up by someone else must not print them again as text
        app.extensions[HANDLER_KEY] = handler
    else:
        logger.setLevel(logging.NOTSET)
        logger.propagate = True
        app.extensions[HANDLER_KEY] = None


def log_format(app: Flask) -> str:
    """``json`` or ``text``: the setting, or when unset text for a person watching and JSON for a machine."""
    configured = app.config.get("LOG_FORMAT")
    if configured:
        return str(configured).lower()
    watched = app.debug or app.testing or sys.stderr.isatty()
    return "text" if watched else "json"


def _start_request() -> None:
    """Note when the request started and which id its log lines carry."""
    g.request_started = time.perf_counter()
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if INCOMING_REQUEST_ID.match(incoming) else uuid.uuid4().hex


def request_duration() -> float | None:
    """Seconds since ``_start_request``; None when another hook answered before it ran."""
    started = g.get("request_started")
    return None if started is None else time.perf_counter() - started


def safe_path() -> str:
    """The path without its query string and with every secret URL part (``<token>``) replaced by its name."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if any(secret in name for secret in SECRET_URL_PARTS) and str(value):
            path = path.replace(str(value), f"<{name}>")
    return path


def _log_request(response: Response) -> Response:
    """One line per request: method, path (made safe), endpoint, status, duration and request id."""
    duration = request_duration()
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers.setdefault(REQUEST_ID_HEADER, request_id)
    requests_logger.info(
        "%s %s %s",
        request.method,
        safe_path(),
        response.status_code,
        extra={
            "method": request.method,
            "path": safe_path(),
            "endpoint": request.endpoint or "unmatched",
            "status": response.status_code,
            "duration_ms": None if duration is None else round(duration * 1000, 2),
            "request_id": request_id,
        },
    )
    return response


def log_send(email: Any, outcome: str, attempt: int, reason: str | None = None) -> None:
    """One line per send attempt of an outbox row: id, kind, outcome (``sent``, ``retrying``, ``failed``) and
    attempt number, why it failed (``permanent``, ``transient``, ``connection_lost``), the recipient's domain.

    ``email`` is the sender's copy of the row (it has ``id``, ``kind``, ``recipient_email``). Never the body,
    the subject or the whole address: those are personal data and the body holds personal links.
    """
    mail_logger.info(
        "outbox %s %s (attempt %s)",
        email.id,
        outcome,
        attempt,
        extra={
            "outbox_id": email.id,
            "kind": getattr(email, "kind", None),
            "outcome": outcome,
            "attempt": attempt,
            "reason": reason,
            "recipient_domain": str(email.recipient_email).rpartition("@")[2].lower(),
        },
    )
