"""The JSON API under /api/v1: one blueprint, with each area's routes added by its own ``register_routes``.

The API authenticates with bearer tokens, never cookies, so CSRF protection (which guards cookie sessions)
is off for it.
"""

from flask import Blueprint

from eventhub.agenda import api as agenda_api
from eventhub.api import openapi
from eventhub.audit import api as audit_api
from eventhub.events import api as events_api
from eventhub.extensions import csrf, db
from eventhub.materials import api as materials_api
from eventhub.minutes import api as minutes_api
from eventhub.privacy import api as privacy_api
from eventhub.registration import api as registration_api

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
openapi.register_routes(bp)
events_api.register_routes(bp)
agenda_api.register_routes(bp)
materials_api.register_routes(bp)
minutes_api.register_routes(bp)
registration_api.register_routes(bp)
audit_api.register_routes(bp)
privacy_api.register_routes(bp)


@bp.teardown_request
def _discard_uncommitted(_exc: BaseException | None) -> None:
    """End each request's unit of work: whatever a failed request flushed but did not commit is dropped.

    The session is also removed when the app context ends, but an app context can outlive one request
    (tests, scripts calling the app), and a later commit must not pick up a failed request's half-work.
    """
    db.session.rollback()
