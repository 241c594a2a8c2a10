"""Reading the ``.eml`` files the file transport wrote, for the /dev/mail pages. Pure file access, no Flask."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from pathlib import Path

# Only names the file transport writes: no separators, no dots but the suffix, so no way out of the folder.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,200}\.eml$")


@dataclass(frozen=True)
class MailSummary:
    name: str
    date: str
    to: str
    subject: str


@dataclass(frozen=True)
class MailDetail:
    name: str
    subject: str
    headers: list[tuple[str, str]]
    text: str | None
    html: str | None
    attachments: list[tuple[str, str]] = field(default_factory=list)


def list_mail(folder: Path, limit: int = 500) -> list[MailSummary]:
    """The newest ``limit`` messages, newest first (file names sort by the time they were written)."""
    if not folder.is_dir():
        return []
    names = sorted((path.name for path in folder.iterdir() if NAME_PATTERN.match(path.name)), reverse=True)
    return [_summary(folder / name) for name in names[:limit]]


def _summary(path: Path) -> MailSummary:
    with path.open("rb") as handle:
        headers = BytesHeaderParser(policy=policy.default).parse(handle)
    return MailSummary(
        path.name, str(headers.get("Date", "")), str(headers.get("To", "")), str(headers.get("Subject", ""))
    )


def read_mail(folder: Path, name: str) -> MailDetail | None:
    """One message by file name; None for a name the transport could not have written or a missing file."""
    if not NAME_PATTERN.match(name):
        return None
    path = folder / name
    if not path.is_file() or path.resolve().parent != folder.resolve():
        return None
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(message, EmailMessage)
    return MailDetail(
        name=name,
        subject=str(message.get("Subject", "")),
        headers=[(key, str(value)) for key, value in message.items()],
        text=_body(message, "plain"),
        html=_body(message, "html"),
        attachments=[(part.get_filename() or "", part.get_content_type()) for part in message.iter_attachments()],
    )


def _body(message: EmailMessage, subtype: str) -> str | None:
    part = message.get_body(preferencelist=(subtype,))
    return part.get_content() if part is not None else None
