"""Safe defaults for eventhub; everything can be overridden by ``EVENTHUB_*`` environment variables.

Nothing here reads the environment: ``create_app`` does, so importing this module has no side effects.
Secrets are never constants here: the secret key is generated into the instance folder when unset.
"""


class Config:
    """Defaults for a laptop: SQLite in the instance folder, mail written to ``instance/mail/``."""

    # EVENTHUB_DATABASE_URL; None means "an SQLite file in the instance folder".
    DATABASE_URL: str | None = None
    # EVENTHUB_SECRET_KEY; None means "generate once and keep in instance/secret_key".
    SECRET_KEY: str | None = None
    # EVENTHUB_BASE_URL: the public address used to build links in emails and feeds.
    BASE_URL = "http://127.0.0.1:5000"

    # Flask-Mail. No MAIL_SERVER means mail is written to instance/mail/ as .eml files.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "eventhub <noreply@eventhub.example.org>"

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    WTF_CSRF_TIME_LIMIT = None  # a form left open over lunch still submits; the token is tied to the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    PASSWORD_HASH_METHOD = "scrypt"

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("en", "da")

    # The development server starts the scheduler in its one process (make run); never set this for gunicorn.
    RUN_SCHEDULER_IN_PROCESS = False


class TestConfig(Config):
    """Used by the test suite: CSRF stays on (tests fetch tokens like a browser does)."""

    TESTING = True
    BASE_URL = "http://eventhub.test"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast for tests; production keeps scrypt
    SERVER_NAME = None
