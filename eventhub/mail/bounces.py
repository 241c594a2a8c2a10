"""Reading bounces: RFC 3464 delivery status notifications (DSNs), from an mbox file or one message.

Only what says "failed for good" counts: a per-recipient block with ``Action: failed`` and a ``5.x.x`` Status
names an address that will not take mail (``Final-Recipient: rfc822; someone@example.org``). Delayed or
relayed notices, 4.x.x statuses and anything that is not a DSN (an out-of-office reply) are ignored.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path


@dataclass(frozen=True)
class Bounce:
    email: str
    detail: str  # "5.1.1 smtp; 550 no such user", for the admin deciding whether to lift the suppression


def read_bounces(path: Path) -> list[Bounce]:
    """The permanent failures reported by the DSNs in ``path`` (an mbox file, or a single message)."""
    bounces: list[Bounce] = []
    for message in _messages(path):
        bounces.extend(permanent_failures(message))
    return bounces


def _messages(path: Path) -> Iterator[Message]:
    with path.open("rb") as file:
        is_mbox = file.read(5) == b"From "
    if not is_mbox:
        yield message_from_bytes(path.read_bytes(), policy=policy.compat32)
        return
    box = mailbox.mbox(path, create=False)
    try:
        yield from box
    finally:
        box.close()


def permanent_failures(message: Message) -> list[Bounce]:
    """The recipients ``message`` reports as failed for good (none when it is no DSN)."""
    found = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        for block in blocks if isinstance(blocks, list) else []:
            bounce = _failed_recipient(block)
            if bounce is not None:
                found.append(bounce)
    return found


def _failed_recipient(block: Message) -> Bounce | None:
    """One per-recipient block as a Bounce, when it is a permanent failure of an rfc822 address."""
    action = str(block.get("Action", "")).strip().lower()
    status = str(block.get("Status", "")).strip()
    address_type, _, address = str(block.get("Final-Recipient", "")).partition(";")
    if action != "failed" or not status.startswith("5.") or address_type.strip().lower() != "rfc822":
        return None
    email = address.strip().strip("<>").strip().lower()
    if "@" not in email:
        return None
    diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())
    return Bounce(email=email, detail=f"{status} {diagnostic}".strip())
