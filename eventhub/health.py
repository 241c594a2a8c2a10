"""``GET /healthz`` for load balancers and monitors: 200 when the database answers, 503 when it does not."""

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from eventhub.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Report whether this process can reach its database."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        current_app.logger.warning("health check: database unreachable", exc_info=True)
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok")
