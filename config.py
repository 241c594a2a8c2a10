"""Safe defaults for eventhub; everything can be overridden by ``EVENTHUB_*`` environment variables.

Nothing here reads the environment: ``create_app`` does, so importing this module has no side effects.
Secrets are never constants here: the secret key is generated into the instance folder when unset.
"""


class Config:
    """Defaults for a laptop: SQLite in the instance folder, mail written to ``instance/mail/``."""

    # EVENTHUB_DATABASE_URL; None means "an SQLite file in the instance folder".
    DATABASE_URL: str | None = None
    # Seconds before a PostgreSQL connection attempt gives up, and how long /healthz waits for the database.
    DATABASE_CONNECT_TIMEOUT = 5
    HEALTH_TIMEOUT_SECONDS = 3
    # EVENTHUB_SECRET_KEY; None means "generate once and keep in instance/secret_key".
    SECRET_KEY: str | None = None
    # EVENTHUB_BASE_URL: the public address used to build links in emails and feeds. Unset, links point at the
    # development server: the address `flask serve` (so `make run`, PORT= included) listens on, else port 5000.
    BASE_URL: str | None = None

    # Flask-Mail. No MAIL_SERVER means mail is written to instance/mail/ as .eml files.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    # From: of every email. Its name is the site name, replaced by the series' organiser name where there is one;
    # its address should be a real mailbox on a domain with SPF, DKIM and DMARC set up (docs/operations.md).
    MAIL_DEFAULT_SENDER = "eventhub <eventhub@localhost>"
    # SMTP envelope sender (MAIL FROM, where bounces go), e.g. bounces@example.org; None: the From address.
    MAIL_RETURN_PATH: str | None = None
    # Reply-To: of every email, where replies and calendar answers go (a person reads it); None: no Reply-To
    # unless a series has an organiser contact.
    MAIL_REPLY_TO: str | None = None
    # Where mail goes without MAIL_SERVER; None means instance/mail/ (shown to admins at /dev/mail).
    MAIL_FOLDER: str | None = None
    # The outbox sender: seconds before an SMTP connect or read gives up (a hung server must not hold the lease).
    MAIL_TIMEOUT_SECONDS = 30
    # Rows per batch (one SMTP connection each), and how long a claimed batch is ours before others may retake it.
    MAIL_BATCH_SIZE = 100
    MAIL_LEASE_SECONDS = 300
    # Transient failures (network, 4xx) retry after 1, 2, 4 ... minutes, at most an hour, then fail for good.
    MAIL_MAX_ATTEMPTS = 10
    MAIL_BACKOFF_BASE_SECONDS = 60
    MAIL_BACKOFF_MAX_SECONDS = 3600
    # Sent emails keep their bodies (which hold personal links) this long, then only who, what subject and when.
    MAIL_RETENTION_DAYS = 30
    # Personal data of an event (registrations, answers, invitations, requests, emails) is anonymised this many
    # days after it ends, unless its series or the event says otherwise (README "Personal data").
    RETENTION_DAYS = 365
    # A deployment's own privacy notice (Markdown), shown at /privacy; without it a default lists what is stored.
    PRIVACY_NOTICE_FILE = ""

    # Unanswered invitations get a follow-up email this many hours before registration closes.
    INVITATION_FOLLOWUP_HOURS = 72

    # The worker (flask worker, or flask serve in development): how often each job runs.
    SENDER_INTERVAL_SECONDS = 5
    PLANNER_INTERVAL_SECONDS = 60
    # Only the holder of this lease plans reminders; another worker takes over when it lapses.
    PLANNER_LEASE_SECONDS = 300

    # EVENTHUB_METRICS_TOKEN: the bearer token /metrics answers to; unset, /metrics is a 404.
    METRICS_TOKEN: str | None = None
    # EVENTHUB_LOG_FORMAT: "json" (one object per line) or "text"; None means text for a person watching (debug,
    # tests, a terminal) and JSON otherwise (gunicorn or the worker under a process manager).
    LOG_FORMAT: str | None = None

    # How many reverse proxies in front of eventhub set X-Forwarded-For/-Proto (0: none, use the peer address).
    TRUSTED_PROXIES = 0

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # EVENTHUB_MAX_CONTENT_LENGTH: the largest request body in bytes; larger ones are refused with 413 before they
    # are read. 3 MB holds the largest invitee file (2 MB, 5,000 rows) with its form, and 200,000 characters of
    # minutes as JSON even when every character is escaped.
    MAX_CONTENT_LENGTH = 3 * 1024 * 1024
    # EVENTHUB_COMPRESSION_MIN_BYTES: pages, JSON, calendars and CSV at least this long go out gzip- or
    # Brotli-encoded to clients that accept it (eventhub/compression.py); shorter ones are not worth it.
    COMPRESSION_MIN_BYTES = 512
    # EVENTHUB_MAX_UPLOAD_MB: the largest material file (slides, reports); only the upload routes take bodies
    # this large (eventhub/uploads.py), every other route keeps MAX_CONTENT_LENGTH.
    MAX_UPLOAD_MB = 25
    # EVENTHUB_MATERIALS_STORAGE: where uploaded files live, "folder" (MATERIALS_FOLDER, default instance/files)
    # or "database" (a table of eventhub's database: for several web hosts without a shared disk).
    MATERIALS_STORAGE = "folder"
    MATERIALS_FOLDER: str | None = None

    # WTForms' messages ("This field is required.") come from eventhub's own catalogue (eventhub/forms.py), not
    # from the catalogues WTForms ships, which lack Danish, Croatian and Latvian.
    WTF_I18N_ENABLED = False
    WTF_CSRF_TIME_LIMIT = None  # a form left open over lunch still submits; the token is tied to the session
    # None: secure cookies exactly when BASE_URL is https (EVENTHUB_SESSION_COOKIE_SECURE=true/false overrides).
    SESSION_COOKIE_SECURE: bool | None = None
    REMEMBER_COOKIE_SECURE: bool | None = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    PASSWORD_HASH_METHOD = "scrypt"
    # Failed logins allowed per quarter of an hour, per email address and per client address.
    LOGIN_FAILURES_PER_EMAIL = 10
    LOGIN_FAILURES_PER_IP = 50
    # Requests for an invitation accepted per (attempts, window in seconds): per email address, and per client
    # address (an office shares one address, so it is larger).
    REQUEST_LIMIT_PER_EMAIL = (3, 24 * 60 * 60)
    REQUEST_LIMIT_PER_IP = (10, 60 * 60)
    # Getting in without a password (eventhub/accounts/links.py): how long each kind of one-time link works.
    SIGN_IN_LINK_MINUTES = 15  # asked for on the login page
    SET_PASSWORD_LINK_HOURS = 72  # sent by an admin from /admin/users
    PERSONAL_LINK_DAYS = 14  # in emails that take their recipient to a page (minutes to comment on or read)
    # Sign-in links asked for per (requests, window in seconds): per email address and per client address.
    SIGN_IN_LINK_LIMIT_PER_EMAIL = (3, 15 * 60)
    SIGN_IN_LINK_LIMIT_PER_IP = (20, 60 * 60)
    # Organisers get at most one email listing new requests for an invitation per this many minutes.
    REQUEST_DIGEST_MINUTES = 15

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    # The languages eventhub speaks (ISO 639-1; "nb" is Norwegian Bokmål): English, Danish, the languages of the
    # Buying for Social Impact countries (Ireland reads English), Bulgarian (COSPRO) and Norwegian. Each has a
    # catalogue in eventhub/translations/<code>/; README's "Languages" says how to add one.
    LANGUAGES = ("en", "bg", "cs", "da", "de", "el", "fr", "hr", "hu", "it", "lv", "nb", "nl", "pl", "ro", "sk", "sv")


class TestConfig(Config):
    """Used by the test suite: CSRF stays on (tests fetch tokens like a browser does)."""

    TESTING = True
    BASE_URL = "http://eventhub.test"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast for tests; production keeps scrypt
    SERVER_NAME = None
    LOG_FORMAT = "text"
