"""eventhub: invitation-only conferences and recurring meetings, with email that is never lost."""

import os
import re
import secrets
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, signal handlers, CLI, error handlers — in order.

    ``config`` overrides everything else (tests pass their database and settings here).
    """
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
    )
    _load_config(app, config)
    from eventhub.materials.storage import storage_for

    storage_for(app)  # a misspelt EVENTHUB_MATERIALS_STORAGE stops start-up, not the planner's every tick (the sweep)
    from eventhub.uploads import UploadRequest

    app.request_class = UploadRequest  # the upload routes' larger body limit
    from eventhub.logs import init_logging

    init_logging(app)  # first: its before_request hook starts the request's clock before any other hook
    from eventhub.compression import init_compression

    init_compression(app)  # its after_request hook runs after those registered below (Flask runs them in reverse)
    _init_extensions(app)
    from eventhub.routing import init_routing

    init_routing(app)  # before the blueprints: their rules bind the converters when added
    _register_blueprints(app)
    _connect_signals(app)
    _register_cli(app)
    from eventhub.errors import register_error_handlers

    register_error_handlers(app)
    from eventhub.security import init_security

    init_security(app)
    return app


DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


def _load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    from config import Config

    app.config.from_object(Config)
    app.config.from_prefixed_env("EVENTHUB")
    if overrides:
        app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        default_sqlite = "sqlite:///" + os.path.join(app.instance_path, "eventhub.sqlite")
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config.get("DATABASE_URL") or default_sqlite
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))
    # Whether someone chose the address; `flask serve` replaces an unchosen one by the address it listens on.
    app.config["BASE_URL_CONFIGURED"] = bool(app.config.get("BASE_URL"))
    app.config["BASE_URL"] = str(app.config.get("BASE_URL") or DEVELOPMENT_BASE_URL).rstrip("/")


def _instance_secret_key(instance: Path) -> str:
    """Read the generated secret key, creating it (readable by its owner only) on first start."""
    path = instance / "secret_key"
    if not path.exists():
        # Written to a private temporary file, then linked into place: processes starting at the same moment
        # never read a half-written key, and the first one to link wins for all of them.
        temporary = instance / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} holds no usable secret key; delete it to have a new one generated")
    return key


def _init_extensions(app: Flask) -> None:
    from eventhub.extensions import babel, csrf, db, login_manager, mail, migrate
    from eventhub.i18n import init_i18n

    _set_engine_options(app)
    db.init_app(app)
    _import_models()
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True)
    mail.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    init_i18n(app, babel)
    from eventhub.accounts.auth import init_login

    init_login(app, login_manager)


def _set_engine_options(app: Flask) -> None:
    """Driver settings per database: psycopg 3 with a connect timeout for PostgreSQL, real transactions for SQLite."""
    url = re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    if url.startswith("sqlite"):
        connect_args["isolation_level"] = None  # see _configure_sqlite
    elif url.startswith("postgresql"):
        # A server that accepts and never answers must not hang requests forever.
        connect_args.setdefault("connect_timeout", int(app.config.get("DATABASE_CONNECT_TIMEOUT", 5)))
    options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _import_models() -> None:
    """Import every area's models so the metadata (and so Alembic) sees all tables."""
    import eventhub.accounts.models  # noqa: F401
    import eventhub.agenda.models  # noqa: F401
    import eventhub.audit.log  # noqa: F401 (the models, and the guard that keeps them append-only)
    import eventhub.calendar.models  # noqa: F401
    import eventhub.events.models  # noqa: F401
    import eventhub.mail.models  # noqa: F401
    import eventhub.materials.models  # noqa: F401
    import eventhub.metrics  # noqa: F401
    import eventhub.minutes.models  # noqa: F401
    import eventhub.privacy.models  # noqa: F401
    import eventhub.ratelimit  # noqa: F401
    import eventhub.registration.models  # noqa: F401
    import eventhub.scheduler.models  # noqa: F401


def _configure_sqlite(engine: sa.Engine) -> None:
    """Make SQLite honour foreign keys and real transactions (SQLAlchemy's documented SAVEPOINT recipe), in WAL mode.

    pysqlite's own transaction handling is turned off (``isolation_level=None``) and we emit BEGIN IMMEDIATE ourselves,
    so SAVEPOINTs work and a transaction begins when SQLAlchemy says it does.
    """

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Writers queue for SQLite's one write lock at BEGIN (see _on_begin); a stampede of registrations for one
        # event may keep the queue busy for tens of seconds, which must mean waiting, not an error page.
        cursor.execute("PRAGMA busy_timeout=120000")
        # WAL: the web pages keep reading while the worker writes (make run has both in one process), and a
        # commit no longer rewrites a rollback journal. NORMAL sync is durable across a crash of eventhub itself.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):
        # IMMEDIATE: take the write lock when the transaction starts. A deferred transaction that reads and then
        # writes fails at once with "database is locked" when another connection wrote in between (busy_timeout
        # does not apply to that case); an immediate one waits its turn. SQLite has one writer at a time anyway.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _register_blueprints(app: Flask) -> None:
    from eventhub import health, metrics
    from eventhub.accounts import admin_views as accounts_admin_views
    from eventhub.accounts import manage_views as accounts_manage_views
    from eventhub.accounts import organiser_views as accounts_organiser_views
    from eventhub.accounts import sign_in_views as accounts_sign_in_views
    from eventhub.accounts import views as accounts_views
    from eventhub.agenda import views as agenda_views
    from eventhub.api import blueprint as api_blueprint
    from eventhub.audit import views as audit_views
    from eventhub.calendar import views as calendar_views
    from eventhub.events import dashboard_views as events_dashboard_views
    from eventhub.events import manage_views as events_manage_views
    from eventhub.events import views as events_views
    from eventhub.mail import views as mail_views
    from eventhub.materials import views as materials_views
    from eventhub.minutes import views as minutes_views
    from eventhub.privacy import manage_views as privacy_manage_views
    from eventhub.privacy import views as privacy_views
    from eventhub.registration import manage_views as registration_manage_views
    from eventhub.registration import series_question_views
    from eventhub.registration import views as registration_views
    from eventhub.reminders import views as reminders_views

    app.register_blueprint(health.bp)
    app.register_blueprint(metrics.bp)
    app.register_blueprint(accounts_views.bp)
    app.register_blueprint(accounts_admin_views.bp)
    app.register_blueprint(accounts_manage_views.bp)
    app.register_blueprint(accounts_sign_in_views.bp)
    app.register_blueprint(events_views.bp)
    app.register_blueprint(events_dashboard_views.bp)
    app.register_blueprint(accounts_organiser_views.bp)
    app.register_blueprint(calendar_views.bp)
    app.register_blueprint(mail_views.admin_bp)
    app.register_blueprint(mail_views.dev_bp)
    app.register_blueprint(mail_views.lists_bp)
    app.register_blueprint(reminders_views.bp)
    app.register_blueprint(audit_views.bp)
    app.register_blueprint(agenda_views.bp)
    app.register_blueprint(materials_views.bp)
    app.register_blueprint(minutes_views.bp)
    app.register_blueprint(privacy_views.bp)
    app.register_blueprint(privacy_manage_views.bp)
    app.register_blueprint(registration_views.bp)
    app.register_blueprint(registration_manage_views.bp)
    app.register_blueprint(series_question_views.series_bp)
    app.register_blueprint(events_manage_views.bp)
    app.register_blueprint(api_blueprint.bp)


def _connect_signals(app: Flask) -> None:
    """Connect each area's signal handlers (listed here, like the blueprints). Idempotent, like blinker's connect.

    The signals are module-level, so the connections outlive ``app``; connecting again (one app per test) is a no-op.
    """
    from eventhub.agenda import handlers as agenda_handlers
    from eventhub.calendar import handlers as calendar_handlers
    from eventhub.registration import handlers as registration_handlers
    from eventhub.reminders import handlers as reminders_handlers

    registration_handlers.connect_handlers()
    reminders_handlers.connect_handlers()
    agenda_handlers.connect_handlers()
    calendar_handlers.connect_handlers()


def _register_cli(app: Flask) -> None:
    from eventhub.accounts.cli import tokens_cli, users_cli
    from eventhub.demo.cli import demo_command
    from eventhub.mail.cli import mail_cli, outbox_cli
    from eventhub.materials.cli import materials_cli
    from eventhub.privacy.cli import retention_cli
    from eventhub.scheduler.cli import serve_command, worker_command

    app.cli.add_command(users_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(materials_cli)
    app.cli.add_command(worker_command)
    app.cli.add_command(serve_command)
