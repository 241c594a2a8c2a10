"""Where sent mail goes: an SMTP server through Flask-Mail, or ``.eml`` files when no server is configured.

Both transports are context managers that open once per batch and take raw message bytes, so the sender
reuses one SMTP connection for a whole batch.

This is the one module that imports Flask-Mail (``eventhub.extensions`` takes ``Mail`` from here), so it is the one
place that undoes Flask-Mail's import-time change to the process-wide UTF-8 charset.
"""

from __future__ import annotations

import os
import smtplib
from datetime import datetime
from email import charset
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

from flask import Flask
from flask_mail import Connection, Mail

from eventhub.mail.addresses import UnsendableAddress, wire_address

if TYPE_CHECKING:
    from eventhub.mail.message import OutgoingEmail


def restore_utf8_charset() -> None:
    """Register "utf-8" the way the standard library does (base64 bodies, shortest header encoding).

    Flask-Mail re-registers it on import with no body encoding, so any ``MIMEText(..., "utf-8")`` in the process
    would emit unencoded 8-bit lines. eventhub's message builder uses a ``Charset`` of its own either way."""
    charset.add_charset("utf-8", charset.SHORTEST, charset.BASE64, "utf-8")


restore_utf8_charset()  # right after `from flask_mail import ...`: Flask-Mail's change never outlives this import


class Transport(Protocol):
    def __enter__(self) -> Transport: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def send(self, email: OutgoingEmail, envelope_from: str, data: bytes, now: datetime) -> None: ...

    def reset(self) -> None: ...


def mail_folder(app: Flask) -> Path:
    """``MAIL_FOLDER``, or ``instance/mail`` when unset: where the laptop default writes mail."""
    return Path(app.config.get("MAIL_FOLDER") or os.path.join(app.instance_path, "mail"))


def is_smtp_configured(app: Flask) -> bool:
    return bool(app.config.get("MAIL_SERVER"))


def open_transport(app: Flask) -> Transport:
    """The transport this app is configured for now (``MAIL_*`` is read here, at send time, not at start-up)."""
    if is_smtp_configured(app):
        return SmtpTransport(app)
    return FileTransport(mail_folder(app))


class SmtpTransport(Connection):
    """Flask-Mail's connection (server, port, TLS, login, ``MAIL_MAX_EMAILS``) with a socket timeout.

    Flask-Mail opens ``smtplib.SMTP`` without a timeout, so a server that stops answering would hang the
    sender forever while it holds its lease; ``MAIL_TIMEOUT_SECONDS`` bounds every read and connect.
    Settings come from the app's config when the transport is opened, through Flask-Mail's own reader
    (``Mail.init_mail``), instead of the copy ``init_app`` took at start-up.
    """

    def __init__(self, app: Flask) -> None:
        super().__init__(Mail().init_mail(app.config, app.debug, app.testing))
        self.timeout = float(app.config.get("MAIL_TIMEOUT_SECONDS", 30))

    def configure_host(self) -> smtplib.SMTP | smtplib.SMTP_SSL:
        state = self.mail
        smtp_class = smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP
        host = smtp_class(state.server, state.port, timeout=self.timeout)
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
        return host

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Say QUIT politely; a connection that already broke is simply closed."""
        if self.host is None:
            return
        try:
            self.host.quit()
        except (smtplib.SMTPException, OSError):
            self.host.close()

    def send(self, email: OutgoingEmail, envelope_from: str, data: bytes, now: datetime) -> None:  # type: ignore[override]
        """Hand one message to the server; raises smtplib/OS errors for the sender to classify."""
        if self.host is None:  # MAIL_SUPPRESS_SEND: Flask-Mail's documented "pretend to send"
            return
        if self.mail.max_emails and self.num_emails >= self.mail.max_emails:
            # Reconnect before sending, never after: a failed reconnect must not look like a failed send.
            self.num_emails = 0
            self.host.quit()
            self.host = self.configure_host()
        recipient, needs_utf8 = wire_address(email.recipient_email)
        self.host.sendmail(envelope_from, [recipient], data, mail_options=self._utf8_options() if needs_utf8 else ())
        self.num_emails += 1

    def _utf8_options(self) -> list[str]:
        """MAIL FROM options for a non-ASCII address; raises UnsendableAddress when the server cannot take it."""
        self.host.ehlo_or_helo_if_needed()
        if not self.host.has_extn("smtputf8"):
            raise UnsendableAddress("the mail server does not offer SMTPUTF8, which this non-ASCII address needs")
        return ["SMTPUTF8", "BODY=8BITMIME"] if self.host.has_extn("8bitmime") else ["SMTPUTF8"]

    def reset(self) -> None:
        """RSET after an unexpected error mid-message, so the next message starts a clean transaction.
        Raises smtplib/OS errors when the connection is no longer usable."""
        if self.host is not None:
            self.host.rset()


class FileTransport:
    """Writes each message to ``<folder>/<UTC time>-<row id>.eml``: names sort by time; /dev/mail shows them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __enter__(self) -> FileTransport:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    def send(self, email: OutgoingEmail, envelope_from: str, data: bytes, now: datetime) -> None:
        """Write atomically (temporary file, then rename) so the page never shows half a message."""
        target = self.folder / f"{now:%Y%m%dT%H%M%S%fZ}-{email.id:09d}.eml"
        temporary = target.with_suffix(".tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)

    def reset(self) -> None:
        return None
