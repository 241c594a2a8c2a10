"""/api/v1/people: admins export or erase what eventhub holds about an address (a request that reached them).

Both answer the same shape for an address eventhub does not know: the export with every section empty, the
erasure with every count zero. Erasing the last active administrator answers 409 and changes nothing.
"""

from __future__ import annotations

from flask import Blueprint, g

from eventhub import clock
from eventhub.accounts.permissions import is_admin
from eventhub.api.routes import Route
from eventhub.api.routes import register_routes as _register
from eventhub.extensions import db
from eventhub.privacy import schemas
from eventhub.privacy.erasure import erase_address
from eventhub.privacy.export import export_address
from eventhub.validation import normalize_email


def register_routes(bp: Blueprint) -> None:
    """Add the privacy routes to the API blueprint (called once, by ``eventhub.api.blueprint``)."""
    _register(bp, ROUTES)


def export_person(query: schemas.AddressQuery) -> schemas.PersonExport:
    """Everything held about the address (recorded in the audit log as an export by the caller)."""
    data = export_address(normalize_email(query.email), clock.now(), g.api_user)
    db.session.commit()
    return schemas.PersonExport.model_validate(data)


def erase_person(body: schemas.AddressInput) -> schemas.ErasureCounts:
    """Erase everything held about the address; answers how many rows of each kind changed."""
    counts = erase_address(normalize_email(body.email), clock.now(), g.api_user)
    db.session.commit()
    return schemas.ErasureCounts.model_validate(counts.as_dict())


ROUTES = (
    Route(
        "/people/export", export_person, "GET", "Everything eventhub holds about an email address (admins)",
        {200: schemas.PersonExport}, (403, 422), permission=is_admin, query=schemas.AddressQuery,
    ),
    Route(
        "/people/erase", erase_person, "POST",
        "Erase everything eventhub holds about an email address (admins); answers counts of what changed",
        {200: schemas.ErasureCounts}, (400, 403, 409, 415, 422), permission=is_admin, body=schemas.AddressInput,
        description="Registrations for upcoming events are cancelled (the waiting list moves on); registrations, "
        "invitations and attendance stay as anonymous counts; everything else is deleted, the account included. "
        "The last active administrator cannot be erased (409).",
    ),
)  # fmt: skip
