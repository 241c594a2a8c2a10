"""Turning an outbox row into MIME bytes, and nothing else: no database, no SMTP.

Built the way Flask-Mail builds messages (``email.mime`` classes, ``compat32``), which is about three times
faster than the ``EmailMessage`` API, but without three things Flask-Mail's ``Message`` gets wrong: it sends
unencoded 8-bit lines that may exceed SMTP's 998 characters (we use quoted-printable), it cannot put parameters
on an attachment's content type (``text/calendar; method=REQUEST``), and its pre-encoded long non-ASCII subjects
fold into a header with a stray leading space (we hand ``Header`` objects to the generator, which folds them
knowing the header's name). Header values are checked for line breaks by hand, because the ``compat32``
generator would write them out as new headers (header injection).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email.charset import BASE64, QP, Charset
from email.encoders import encode_base64
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr, parseaddr
from typing import Any

from eventhub.mail.addresses import wire_address
from eventhub.mail.models import OutboxMessage

# A charset of our own, so no global registration matters (eventhub.mail.transport restores the one Flask-Mail
# changes): quoted-printable bodies stay readable and 7-bit, where the standard library would use base64.
UTF8 = Charset("utf-8")
UTF8.header_encoding = BASE64
UTF8.body_encoding = QP
UTF8.output_charset = "utf-8"
WIRE = compat32.clone(linesep="\r\n")
# For a message to a non-ASCII address (sent with SMTPUTF8, RFC 6531/6532): that address is raw UTF-8 in To.
WIRE_8BIT = WIRE.clone(cte_type="8bit")
# Headers the builder writes itself; a row's own headers replace them instead of adding a second one.
AUTO_SUBMITTED = "auto-generated"
# C0 controls (tab included: we never fold by hand), DEL and the C1 controls.
NOT_IN_HEADERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


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
    kind: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    # The series' organiser, shown as From's name instead of the site's (the address stays the configured one).
    sender_name: str | None = None
    # The language the email is written in (Content-Language); "" says nothing.
    language: str = ""

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
            kind=row.kind,
            headers=dict(row.headers or {}),
            attachments=list(row.attachments or []),
            sender_name=getattr(row, "sender_name", None),
            language=row.language or "",
        )


def envelope_address(sender: str) -> str:
    """The bare address of ``sender`` ("eventhub <eventhub@x>" → "eventhub@x") for SMTP's MAIL FROM."""
    return parseaddr(sender)[1]


def build_message(email: OutgoingEmail, sender: str, now: datetime, reply_to: str | None = None) -> bytes:
    """The message as SMTP wants it: multipart/alternative (text + HTML), inside multipart/mixed when it has
    attachments; CRLF line ends, 7-bit clean.

    From is ``sender``'s address under the organiser's name (``email.sender_name``) when there is one, so the
    address stays on the domain whose SPF/DKIM/DMARC vouch for it; ``reply_to`` is where answers go.
    Every message says ``Auto-Submitted: auto-generated`` (RFC 3834: no vacation replies, please) and the
    language it is written in (``Content-Language``, RFC 3282), and has exactly one MIME-Version (the
    ``email.mime`` classes put one on every part; only the top keeps it). A row's own headers (List-Id,
    Reply-To, a From with the organiser's name) replace the builder's, never add a second.

    Raises ValueError for a row that cannot become a valid message (a line break in a header): such a row will
    never succeed, so the sender fails it at once.
    """
    body = MIMEMultipart("alternative", policy=WIRE)
    body.attach(MIMEText(email.body_text, "plain", UTF8, policy=WIRE))
    body.attach(MIMEText(email.body_html, "html", UTF8, policy=WIRE))
    for attachment in email.attachments:
        if attachment.get("method"):
            body.attach(_inline_calendar(attachment))
    message = body
    if email.attachments:
        message = MIMEMultipart("mixed", policy=WIRE)
        message.attach(body)
        for attachment in email.attachments:
            message.attach(_ics_file(attachment) if attachment.get("method") else _attachment(attachment))
    for part in message.walk():
        if part is not message:
            del part["MIME-Version"]
    recipient, needs_utf8 = wire_address(email.recipient_email)
    own = dict(email.headers)
    site_name, sender_address = parseaddr(sender)
    headers: dict[str, str | Header] = {
        "Subject": _text_header("Subject", email.subject),
        "From": _address_header("From", email.sender_name or site_name, sender_address),
        "To": _address_header("To", email.recipient_name, recipient),
        "Date": format_datetime(now),
        "Message-ID": _one_line(email.message_id),
        "Auto-Submitted": AUTO_SUBMITTED,
    }
    if email.language:
        headers["Content-Language"] = _one_line(email.language)
    if reply_to:
        headers["Reply-To"] = _address_header("Reply-To", *parseaddr(reply_to))
    headers.update({_one_line(name): _text_header(name, str(value)) for name, value in own.items()})
    for name, value in headers.items():
        del message[name]
        message[name] = value
    return message.as_bytes(policy=WIRE_8BIT if needs_utf8 else WIRE)


def _text_header(name: str, value: str) -> str | Header:
    """ASCII stays as it is; anything else becomes RFC 2047 encoded words, folded by the generator."""
    value = _one_line(value)
    return value if value.isascii() else Header(value, UTF8, header_name=name)


def _address_header(name: str, display_name: str, address: str) -> str | Header:
    """``Name <address>``, the name quoted when it needs to be (ASCII) or encoded (anything else).

    A non-ASCII address (SMTPUTF8 only) is written as raw UTF-8, as RFC 6532 has it: smuggled past the
    ``compat32`` generator as surrogate escapes, which its 8-bit mode writes out as the original bytes.
    """
    display_name, address = _one_line(display_name), _one_line(address)
    if not address.isascii():
        shown = str(Header(display_name, UTF8, header_name=name).encode()) if display_name else ""
        value = f"{shown} <{address}>" if shown else f"<{address}>"
        return value.encode("utf-8").decode("ascii", "surrogateescape")
    if display_name.isascii():
        return formataddr((display_name, address))
    header = Header(display_name, UTF8, header_name=name)
    header.append(f"<{address}>", "us-ascii")
    return header


def _one_line(value: str) -> str:
    """``value`` unchanged when it can be a header value; raises ValueError otherwise.

    Not only CR and LF: every character ``str.splitlines`` breaks on (VT, FF, FS/GS/RS, NEL, U+2028, U+2029)
    makes the generator raise ``HeaderParseError`` when it folds the header, and any other control character
    (NUL, ESC, DEL ...) has no business in a header either.
    """
    if len(f"x{value}x".splitlines()) > 1:
        raise ValueError(f"line break in a header value: {value[:80]!r}")
    if NOT_IN_HEADERS.search(value):
        raise ValueError(f"control character in a header value: {value[:80]!r}")
    return value


def _attachment(attachment: dict[str, Any]) -> MIMEBase:
    """One attachment; ``content_type`` may carry parameters and a ``method`` key adds one (iTIP invitations)."""
    content_type, params = _parse_content_type(attachment.get("content_type") or "application/octet-stream")
    if attachment.get("method"):
        params["method"] = str(attachment["method"])
    params.pop("charset", None)
    maintype, _, subtype = content_type.partition("/")
    content = attachment.get("content", "")
    part: MIMEBase
    if maintype == "text" and isinstance(content, str):
        part = MIMEText(content, subtype, UTF8, policy=WIRE)
    else:
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        part = (
            MIMEApplication(data, subtype, policy=WIRE)
            if maintype == "application"
            else _binary(data, maintype, subtype)
        )
    for key, value in params.items():
        part.set_param(key, _one_line(value))
    if attachment.get("filename"):
        part.add_header("Content-Disposition", "attachment", filename=_one_line(str(attachment["filename"])))
    return part


def _inline_calendar(attachment: dict[str, Any]) -> MIMEBase:
    """An iTIP calendar (``method`` set) as the last alternative of the body, as RFC 6047 (iMIP) and Outlook
    expect: this inline ``text/calendar; method=...`` part is what makes clients show Accept/Decline buttons."""
    part = MIMEText(str(attachment.get("content", "")), "calendar", UTF8, policy=WIRE)
    part.set_param("method", _one_line(str(attachment["method"])))
    return part


def _ics_file(attachment: dict[str, Any]) -> MIMEBase:
    """The same calendar once more as a downloadable ``.ics`` file (``application/ics``), for clients and people
    that only look at attachments; a different type so no client reads the invitation twice."""
    data = str(attachment.get("content", "")).encode("utf-8")
    part = MIMEApplication(data, "ics", policy=WIRE)
    part.add_header(
        "Content-Disposition", "attachment", filename=_one_line(str(attachment.get("filename") or "invite.ics"))
    )
    return part


def _binary(data: bytes, maintype: str, subtype: str) -> MIMEBase:
    part = MIMEBase(maintype, subtype, policy=WIRE)
    part.set_payload(data)
    encode_base64(part)
    return part


def _parse_content_type(value: str) -> tuple[str, dict[str, str]]:
    """``"text/calendar; method=REQUEST"`` → ``("text/calendar", {"method": "REQUEST"})``."""
    kind, *raw_params = [part.strip() for part in value.split(";")]
    params: dict[str, str] = {}
    for raw in raw_params:
        key, _, param_value = raw.partition("=")
        if key:
            params[key.strip().lower()] = param_value.strip().strip('"')
    return kind.lower(), params
