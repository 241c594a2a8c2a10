"""Turning an outbox row into a MIME message, and nothing else: no database, no SMTP.

Built with the standard library's modern ``EmailMessage`` API (policy ``SMTP``: CRLF line ends, RFC 2047
encoded headers) rather than Flask-Mail's ``Message``, because Flask-Mail cannot set content-type parameters on
attachments (``text/calendar; method=REQUEST``) and sends non-ASCII bodies as unencoded 8-bit text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from typing import Any

from eventhub.mail.models import OutboxMessage


@dataclass(frozen=True)
class OutgoingEmail:
    """What the sender needs of a row, copied out so sending never lazy-loads after a commit."""

    id: int
    message_id: str
    recipient_email: str
    recipient_name: str
    subject: str
    body_text: str
    body_html: str
    attempts: int
    headers: dict[str, str] = field(default_factory=dict)
    attachments: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_row(cls, row: OutboxMessage) -> OutgoingEmail:
        return cls(
            id=row.id,
            message_id=row.message_id,
            recipient_email=row.recipient_email,
            recipient_name=row.recipient_name or "",
            subject=row.subject,
            body_text=row.body_text,
            body_html=row.body_html,
            attempts=row.attempts,
            headers=dict(row.headers or {}),
            attachments=list(row.attachments or []),
        )


def envelope_address(sender: str) -> str:
    """The bare address of ``sender`` ("eventhub <noreply@x>" → "noreply@x") for SMTP's MAIL FROM."""
    return parseaddr(sender)[1]


def build_message(email: OutgoingEmail, sender: str, now: datetime) -> EmailMessage:
    """A multipart/alternative (text + HTML) message, wrapped in multipart/mixed when it has attachments.

    Raises ValueError for a row that cannot become a valid message (e.g. a newline in a header): such a row
    will never succeed, so the sender fails it at once.
    """
    message = EmailMessage(policy=SMTP)
    message["Subject"] = email.subject
    message["From"] = sender
    message["To"] = _recipient(email)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = email.message_id
    for name, value in email.headers.items():
        message[name] = value
    # Quoted-printable keeps every line short and 7-bit clean, whatever the server's 8BITMIME support.
    message.set_content(email.body_text, charset="utf-8", cte="quoted-printable")
    message.add_alternative(email.body_html, subtype="html", charset="utf-8", cte="quoted-printable")
    for attachment in email.attachments:
        _attach(message, attachment)
    return message


def _recipient(email: OutgoingEmail) -> Address:
    local, _, domain = email.recipient_email.rpartition("@")
    return Address(display_name=email.recipient_name, username=local, domain=domain)


def _attach(message: EmailMessage, attachment: dict[str, Any]) -> None:
    """Add one attachment; ``content_type`` may carry parameters and a ``method`` key adds one (iTIP)."""
    content_type, params = _parse_content_type(attachment.get("content_type") or "application/octet-stream")
    if attachment.get("method"):
        params["method"] = str(attachment["method"])
    maintype, _, subtype = content_type.partition("/")
    content = attachment.get("content", "")
    filename = attachment.get("filename")
    if maintype == "text" and isinstance(content, str):
        params.pop("charset", None)
        message.add_attachment(content, subtype=subtype, charset="utf-8", filename=filename, params=params)
        return
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename, params=params)


def _parse_content_type(value: str) -> tuple[str, dict[str, str]]:
    """``"text/calendar; method=REQUEST"`` → ``("text/calendar", {"method": "REQUEST"})``."""
    kind, *raw_params = [part.strip() for part in value.split(";")]
    params: dict[str, str] = {}
    for raw in raw_params:
        key, _, param_value = raw.partition("=")
        if key:
            params[key.strip().lower()] = param_value.strip().strip('"')
    return kind.lower(), params
