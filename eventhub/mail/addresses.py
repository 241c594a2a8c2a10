"""Addresses as SMTP takes them. No model imports: the transport (imported by eventhub.extensions) uses it."""

from __future__ import annotations

import idna


class UnsendableAddress(ValueError):
    """An address that cannot go on the wire as it is (its domain has no IDNA form): it never will."""


# RFC 2606 (and RFC 6761): no name under this top-level domain can ever resolve, so no mail to it can arrive.
# eventhub writes addresses there on purpose where a row needs an address but must never be written to.
NEVER_DELIVERABLE_TLD = ".invalid"


def is_never_deliverable(address: str) -> bool:
    """True for an address under the reserved ``.invalid`` top-level domain: queuing or sending to it is refused."""
    return address.strip().rstrip(".").lower().endswith(NEVER_DELIVERABLE_TLD)


def wire_address(address: str) -> tuple[str, bool]:
    """``address`` as SMTP takes it, and whether it needs SMTPUTF8.

    The domain is always sent in its ASCII (IDNA) form, so an old row holding ``ana@exämple.dk`` needs nothing
    special; only a non-ASCII part before the @ needs a server that offers SMTPUTF8 (RFC 6531). New input never
    holds either (``normalize_email`` refuses non-ASCII local parts and stores IDNA domains); old rows may.
    Raises UnsendableAddress when the domain cannot be encoded.
    """
    if address.isascii():
        return address, False
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        raise UnsendableAddress(f"not an email address: {address!r}")
    if not domain.isascii():
        try:
            domain = idna.encode(domain, uts46=True).decode("ascii")
        except idna.IDNAError as exc:
            raise UnsendableAddress(f"the domain of {address!r} has no IDNA form: {exc}") from None
    return f"{local}@{domain}", not local.isascii()
