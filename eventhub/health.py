"""``GET /healthz`` for load balancers and monitors: 200 when the database answers, 503 when it does not.

A monitor needs its answer within seconds. The application's own engine may wait minutes for a server that
accepts the TCP connection but never speaks (libpq's default), so the check goes through a separate
pool-less probe engine with a short connect and statement timeout. Its ``HEALTH_TIMEOUT_SECONDS`` (default 3)
bounds the answer.
"""

import sqlalchemy as sa
from flask import Blueprint, Flask, current_app, jsonify
from flask.sansio.blueprints import BlueprintSetupState
from sqlalchemy.pool import NullPool

bp = Blueprint("health", __name__)

DEFAULT_TIMEOUT_SECONDS = 3
PROBE_ENGINE_KEY = "eventhub.health_probe_engine"


@bp.record_once
def _create_probe_engine(state: BlueprintSetupState) -> None:
    """Build the probe engine once per app (creating an engine does not connect)."""
    state.app.extensions[PROBE_ENGINE_KEY] = probe_engine_for(state.app)


def probe_engine_for(app: Flask) -> sa.Engine:
    """An engine on the app's database whose connections give up after the health timeout."""
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    timeout = int(app.config.get("HEALTH_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
    if url.get_backend_name() == "postgresql":
        connect_args = {"connect_timeout": timeout, "options": f"-c statement_timeout={timeout * 1000}"}
    elif url.get_backend_name() == "sqlite":
        connect_args = {"timeout": timeout}
    else:
        connect_args = {}
    return sa.create_engine(url, poolclass=NullPool, connect_args=connect_args)


@bp.get("/healthz")
def healthz():
    """Report whether this process can reach its database."""
    try:
        with current_app.extensions[PROBE_ENGINE_KEY].connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        current_app.logger.warning("health check: database unreachable", exc_info=True)
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok")
