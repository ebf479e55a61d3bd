"""Onefix settings: one module, configured by environment variables.

With no variables set, Onefix runs on a SQLite file, a filesystem Celery broker
and a database cache, so `make run` needs no server. See README.md for the table
of variables.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from config.env import email_settings, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
TESTING = "pytest" in sys.modules
if TESTING and not os.environ.get("ONEFIX_DATA_DIR"):
    # Tests never write into the developer's data folder (broker queue, emails);
    # the variable is exported so worker processes started by tests share the folder.
    os.environ["ONEFIX_DATA_DIR"] = tempfile.mkdtemp(prefix="onefix-test-")
DATA_DIR = Path(env_str("ONEFIX_DATA_DIR", str(BASE_DIR / "data")))

PLACEHOLDER_SECRET_KEY = "insecure-onefix-development-key-change-me"  # noqa: S105 - detected below

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env_str("SECRET_KEY", PLACEHOLDER_SECRET_KEY)
if not DEBUG and SECRET_KEY == PLACEHOLDER_SECRET_KEY:
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is the development placeholder. "
        "Set SECRET_KEY (or SECRET_KEY_FILE) to a long random value."
    )

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The site's name in pages and emails.
SITE_NAME = env_str("SITE_NAME", "Onefix")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Hosts whose https: images posts may embed (besides this site's own). An image from
# anywhere else is shown as a link, so no third party learns who reads what.
IMAGE_HOSTS = [host.lower() for host in env_list("IMAGE_HOSTS", [])]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "taggit",
    "django_htmx",
    "csp",
    "axes",
    "django_prometheus",
    "django_guid",
    # Ours, lower layers first (the allowed imports: README, "Architecture").
    "accounts",
    "audit",
    "search",
    "jobs",
    "forum",
    "duplicates",
    "kb",
    "moderation",
    "desk",
    "config",  # wires the apps together: demo data, dev server commands
]

MIDDLEWARE = [
    # First and last: times every request and counts it by view and status (/metrics).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # A request id for every log line and the X-Request-ID response header (or the
    # proxy's, when it sends one).
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Inside CSRF and CSP (they set each visitor's cookie and nonce on the way out):
    # visitors who are not signed in get pages from the cache (config/anoncache.py).
    "config.anoncache.InvalidateOnWriteMiddleware",
    "config.anoncache.AnonymousCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.RefuseNulMiddleware",
    "config.middleware.BrandedErrorsMiddleware",
    "config.ratelimits.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns its lock-out into the 429 page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
# A form sent without a valid CSRF token gets a page that says why and what to do.
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
                "config.context_processors.anonymous_cache",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'onefix.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # One connection per web worker thread, kept between requests (a new one costs
    # 8-15 ms, issue 14), and checked before each request reuses it: after a PostgreSQL
    # restart the dead connection is replaced, no restart of web or workers needed.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DB_CONN_HEALTH_CHECKS", True)
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        # Names the process in pg_stat_activity (web, worker, beat): who holds what.
        "application_name": env_str("DB_APPLICATION_NAME", "onefix"),
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the Celery worker write to the same file: WAL lets
    # readers go on during a write, IMMEDIATE takes the write lock up front so
    # two writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, broker -----------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    # Django's Redis cache that treats "Redis is away" as a miss (config/cache.py).
    CACHES = {"default": {"BACKEND": "config.cache.TolerantRedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600}
else:
    # A database table is the one cache the web process and the worker share
    # without a server; allauth's rate limits and the worker heartbeat use it.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "onefix_cache",
        }
    }
    BROKER_DIR = DATA_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    # kombu's filesystem transport with an atomic message hand-over: the stock one
    # lets a worker read a half-written message and die (kombu #1551; config/broker.py).
    CELERY_BROKER_TRANSPORT = "config.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # The worker looks for new messages this often once its prefetch window is
        # full or the folder is empty; at kombu's default (1 s) a backlog drains at
        # about two jobs a second.
        "polling_interval": 0.1,
    }
CELERY_TASK_ALWAYS_EAGER = False
if TESTING:
    # Each test starts with an empty cache of its own; clearing a shared Redis or
    # database cache would also wipe the broker's queues and other runs' keys.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Seconds a page is kept in the anonymous cache (config/anoncache.py); 0 turns it off.
# Any write ends every cached page at once; this bounds what nothing announces.
ANON_CACHE_SECONDS = env_int("ANON_CACHE_SECONDS", 0 if TESTING else 60)

# bench/pages_bench.py only: adds /_bench/hello, a bare view through all the middleware.
BENCH_HELLO = env_bool("BENCH_HELLO", default=False)

# --- Auth ------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out admin log-in before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "accounts.backends.RoleBackend",  # a role brings its group's admin permissions
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
ACCOUNT_FORMS = {"signup": "accounts.signup.SignupForm"}  # same time for new and existing addresses
_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
if _VERIFICATION not in {"mandatory", "optional", "none"}:
    raise ImproperlyConfigured("ACCOUNT_EMAIL_VERIFICATION must be mandatory, optional or none")
ACCOUNT_EMAIL_VERIFICATION = _VERIFICATION
# Posting, voting and following need a verified address unless verification is off.
ONEFIX_REQUIRE_VERIFIED_EMAIL = _VERIFICATION != "none"
# A GET shows a "Confirm" button and only its POST confirms: a mail scanner that follows
# links must not confirm an address that a stranger signed up with (issue 11).
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Confirming in the browser that signed up signs the person in and takes them back to
# the page they came from (?next=, e.g. their kept question). allauth does it only when
# the account signing up is in this session, so a link someone else opens signs nobody in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# allauth's emails name the site from SITE_NAME and SITE_URL (accounts/adapter.py; the
# Site row is kept in step by accounts.site.sync_site after every migrate).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# The client's address, for rate limits and lock-outs. Behind N reverse proxies that
# each append to X-Forwarded-For, set TRUSTED_PROXY_COUNT=N; behind one that sets a
# header of its own (CF-Connecting-IP, X-Real-IP), name it in TRUSTED_CLIENT_IP_HEADER.
# With neither, forwarded headers are ignored (they can be forged) and REMOTE_ADDR counts.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER", "") or None
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"

# --- Rate limits -----------------------------------------------------------------
# Every write is limited per account and per client address (config/ratelimits.py
# explains the syntax; README and docs/security.md list them). Counts live in the
# cache: Redis in production, so every web process shares them. Each kind can be set
# with RATE_LIMIT_<KIND>, e.g. RATE_LIMIT_THREAD="account 20/d, new 3/d, ip 30/d".
NEW_ACCOUNT_HOURS = env_int("NEW_ACCOUNT_HOURS", 24)
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
# The counters live in the cache. While it is away (Redis down: config/cache.py) a write
# is let through rather than refused: people keep posting through an outage; the
# honeypot, fill time and spam hook still apply. False refuses every write instead.
RATELIMIT_FAIL_OPEN = env_bool("RATELIMIT_FAIL_OPEN", True)
_RATE_LIMIT_DEFAULTS = {
    # Discourse's defaults are the model: a new account's first day allows a handful.
    "thread": "account 20/d, account 1/15s, new 3/d, new 1/60s, ip 30/d",
    "answer": "account 200/d, account 1/5s, new 10/d, new 1/30s, ip 300/d",
    "comment": "account 300/d, account 1/3s, new 20/d, new 1/15s, ip 400/d",
    "edit": "account 60/h, new 20/h, ip 120/h",
    "me_too": "account 60/h, new 20/h, ip 120/h",
    "follow": "account 60/h, new 20/h, ip 120/h",
    "helpful": "account 120/h, new 30/h, ip 240/h",
    "kb_vote": "account 60/h, ip 60/h, ip-target 3/d",
    "preview": "account 60/m, ip 60/m",
    "suggest": "ip 120/m",
    "team": "ip 600/h",
    "unsubscribe": "ip 30/h",
    "privacy": "account 10/h, ip 30/h",
    "report": "account 30/d, account 1/5s, new 5/d, ip 60/d",
}


def _rate_limits() -> dict[str, tuple]:
    from config.ratelimit_syntax import parse

    limits = {}
    for kind, default in _RATE_LIMIT_DEFAULTS.items():
        name = f"RATE_LIMIT_{kind.upper()}"
        try:
            limits[kind] = parse(env_str(name, default))
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: {exc}") from exc
    return limits


RATE_LIMITS = _rate_limits()
# allauth's own limits for sign-up, log-in and password reset (its syntax:
# count/period/key, several separated by commas); its other limits keep their defaults.
ACCOUNT_RATE_LIMITS = {
    "signup": env_str("RATE_LIMIT_SIGNUP", "20/m/ip,10/d/ip"),
    "login": env_str("RATE_LIMIT_LOGIN", "30/m/ip"),
    "login_failed": env_str("RATE_LIMIT_LOGIN_FAILED", "10/m/ip,5/5m/key"),
    "reset_password": env_str("RATE_LIMIT_RESET_PASSWORD", "20/m/ip,5/m/key"),
}

# The admin log-in (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# address, or from one client address, log-ins are refused for AXES_COOLOFF_TIME hours,
# even with the right password. The site's own log-in is limited by allauth above.
AXES_ONLY_ADMIN_SITE = True
AXES_WHITELIST_CALLABLE = "config.middleware.outside_the_admin"
AXES_FAILURE_LIMIT = env_int("ADMIN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("ADMIN_LOGIN_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "accounts.network.client_ip_or_none"
# No table of every successful log-in with its address: personal data nobody reads.
AXES_DISABLE_ACCESS_LOG = True
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the admin's form names the email field "username"
AXES_LOCKOUT_TEMPLATE = "ratelimits/admin_locked.html"
AXES_VERBOSE = False

# Spam defence with no outside service (forum/spam.py, forum.forms.HumanCheckMixin).
SPAM_NEW_ACCOUNT_MAX_LINKS = env_int("SPAM_NEW_ACCOUNT_MAX_LINKS", 2)
SPAM_REPEAT_HOURS = env_int("SPAM_REPEAT_HOURS", 24)
SPAM_MIN_FILL_SECONDS = env_int("SPAM_MIN_FILL_SECONDS", 3)
SPAM_CHECK_HOOK = env_str("SPAM_CHECK_HOOK", "")  # dotted path to fn(kind, author, text) -> bool

# Reports and moderation (moderation/, docs/security.md "Moderation"): a question or
# answer reported by this many trusted people is hidden until a moderator reviews it;
# "trusted" is verified, not suspended, with an account at least this many days old.
MODERATION_AUTO_HIDE_REPORTS = env_int("MODERATION_AUTO_HIDE_REPORTS", 3)
MODERATION_TRUSTED_ACCOUNT_DAYS = env_int("MODERATION_TRUSTED_ACCOUNT_DAYS", 7)

# --- Email -----------------------------------------------------------------------
EMAIL_DIR = DATA_DIR / "emails"
globals().update(email_settings(env_str("EMAIL_URL", ""), file_path=EMAIL_DIR))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Onefix <help@onefix.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- I18N, static ------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic writes (the release step) and whitenoise serves from with DEBUG off.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Security (production values when DEBUG is off) ------------------------------------
# A strict Content-Security-Policy (django-csp): scripts only from this site and with
# the page's nonce, no inline script or style, images only from this site and the
# operator's IMAGE_HOSTS. The one inline style allowed is Markdown tables' column
# alignment, by the hashes of its three exact values.
_TABLE_ALIGN_HASHES = [
    "'sha256-De7agAeYqm6ANIVvRRW6HFWi52AJW8inhFE0gSdgXnI='",  # text-align:left
    "'sha256-XzJlZKVo+ff9ozww9Sr2p/2TbJXITZuaWMZ9p53zN1U='",  # text-align:right
    "'sha256-kFAIUwypIt04FgLyVU63Lcmp2AQimPh/TdYjy04Flxs='",  # text-align:center
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_HASHES, *_TABLE_ALIGN_HASHES],
        "img-src": [SELF, *(f"https://{host}" for host in IMAGE_HOSTS)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Browser features no page of ours uses (django-permissions-policy).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "usb", "browsing-topics",
    )
}  # fmt: skip
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

# --- Celery ------------------------------------------------------------------------
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queues, all consumed by a worker started without -Q (make run's): the heartbeat that
# /healthz reads goes on its own, so a backlog of jobs never makes a live worker look
# dead; outbox jobs go to their kind's family (jobs.outbox.QUEUES: celery, mail,
# linking), so production can run a worker per family (Procfile) and a mail backlog
# never delays linking.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue("mail"), Queue("linking"), Queue("health"))
CELERY_TASK_ROUTES = {"config.celery.heartbeat": {"queue": "health"}}
CELERY_WORKER_HEARTBEAT_MAX_AGE = 60  # seconds before /healthz calls the worker silent

# --- Jobs (jobs/: the outbox) -------------------------------------------------------
# Runs of one job before it is given up (logged at ERROR, counted by /healthz).
JOBS_MAX_ATTEMPTS = 5
# Hard time limit of one job, in seconds (the soft limit is 80 % of it), for kinds
# registered without their own; equal to the global Celery limit.
JOBS_TIME_LIMIT = CELERY_TASK_TIME_LIMIT
# Jobs that email everyone following a thread or a cluster: send_once commits per
# person, so a job cut short resumes with the next person, but give big lists time.
JOBS_EMAIL_TIME_LIMIT = 300
# Emails to customers are coalesced (jobs/notices.py): what happens to one person within
# this many seconds of the first event becomes one email.
NOTIFY_COALESCE_SECONDS = env_int("NOTIFY_COALESCE_SECONDS", 120)
# A question answered officially is solved when its asker has not answered "Did this fix
# it?" within this many days (forum.actions.solving.auto_solve, on the beat schedule).
FORUM_AUTO_SOLVE_DAYS = env_int("FORUM_AUTO_SOLVE_DAYS", 7)
# The daily digest (for kinds a person set to "daily digest") goes out from this hour
# (0-23) in this time zone; beat checks hourly (jobs.tasks.queue_notice_digest).
NOTIFY_DIGEST_HOUR = env_int("NOTIFY_DIGEST_HOUR", 7)
if not 0 <= NOTIFY_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured("NOTIFY_DIGEST_HOUR must be an hour from 0 to 23.")
NOTIFY_DIGEST_TIME_ZONE = env_str("NOTIFY_DIGEST_TIME_ZONE", "UTC")

# --- Duplicates (duplicates/) ----------------------------------------------------------
# A linking job suggests a link when the scorer's score >= DUPLICATE_LINK_THRESHOLD and
# the candidate's bm25 feature >= DUPLICATE_MIN_TEXT_MATCH (why these values:
# docs/duplicates.md, "Choosing the link threshold").
DUPLICATE_LINK_THRESHOLD = 4.0
DUPLICATE_MIN_TEXT_MATCH = 0.10
# One linking job: a search, ~50 candidates scored, one write (p95 59 ms at 100k threads).
DUPLICATE_LINK_TIME_LIMIT = 60

# --- Knowledge base (kb/, docs/kb.md) ----------------------------------------------------
# An article is flagged "needs review" (kb/health.py; docs/insights.md, "Articles that are
# not working") when, since its current text went public, this many new questions have
# joined its cluster or been linked to it; when fewer than KB_REVIEW_HELPFUL_PERCENT of
# its last KB_REVIEW_VOTES votes (counted only once there are that many) said "helpful";
# or when nobody has reviewed it for KB_REVIEW_DAYS days.
KB_REVIEW_NEW_THREADS = env_int("KB_REVIEW_NEW_THREADS", 3)
KB_REVIEW_VOTES = env_int("KB_REVIEW_VOTES", 20)
KB_REVIEW_HELPFUL_PERCENT = env_int("KB_REVIEW_HELPFUL_PERCENT", 50)
KB_REVIEW_DAYS = env_int("KB_REVIEW_DAYS", 180)
if KB_REVIEW_NEW_THREADS < 1 or KB_REVIEW_VOTES < 1 or KB_REVIEW_DAYS < 1:
    raise ImproperlyConfigured(
        "KB_REVIEW_NEW_THREADS, KB_REVIEW_VOTES and KB_REVIEW_DAYS must be at least 1."
    )
if not 0 <= KB_REVIEW_HELPFUL_PERCENT <= 100:
    raise ImproperlyConfigured("KB_REVIEW_HELPFUL_PERCENT must be a percentage from 0 to 100.")

# --- Staff desk (desk/, docs/desk.md) ----------------------------------------------------
# Escalation tiers: hours of waiting (counted in support hours) at which a thread moves
# up a tier; a thread past the last one is "overdue" and sorts above every other tier.
DESK_TIERS = tuple(int(h) for h in env_list("DESK_TIERS", ["4", "24", "72"]))
# Support hours, e.g. "mon-fri 09:00-17:00; sat 10:00-14:00", in DESK_TIME_ZONE; empty: all hours.
DESK_SUPPORT_HOURS = env_str("DESK_SUPPORT_HOURS", "")
DESK_TIME_ZONE = env_str("DESK_TIME_ZONE", "UTC")
# Open claims one staff member may hold (a cluster taken at once counts as one).
DESK_CLAIM_CAP = env_int("DESK_CLAIM_CAP", 8)
# A claim whose holder has not replied within this many hours of the wait (or the claim)
# beginning is released by the sweep (desk.tasks.release_stale_claims).
DESK_CLAIM_RELEASE_HOURS = env_int("DESK_CLAIM_RELEASE_HOURS", 24)
# The daily "Your claims still waiting" email goes out from this hour (0-23) in
# DESK_TIME_ZONE (desk.tasks.queue_claim_reminders, checked hourly by beat).
DESK_REMINDER_HOUR = env_int("DESK_REMINDER_HOUR", 8)
if not 0 <= DESK_REMINDER_HOUR <= 23:
    raise ImproperlyConfigured("DESK_REMINDER_HOUR must be an hour from 0 to 23.")
# Repeated firefighting (desk/firefight.py, docs/insights.md): near-identical staff replies
# on at least this many threads that no published article covers make a "promote it to
# the knowledge base" nudge on the desk.
DESK_FIREFIGHT_MIN_THREADS = env_int("DESK_FIREFIGHT_MIN_THREADS", 3)
if DESK_FIREFIGHT_MIN_THREADS < 2:
    raise ImproperlyConfigured("DESK_FIREFIGHT_MIN_THREADS must be at least 2: one answer is not a repeat.")
# Insights (desk/insights.py, docs/insights.md): the public /stats/ page shows no figure
# for a group of fewer than this many questions (or, for the KB, people), and keeps its
# figures in the cache this many seconds.
INSIGHTS_MIN_GROUP = env_int("INSIGHTS_MIN_GROUP", 5)
INSIGHTS_PUBLIC_CACHE_SECONDS = env_int("INSIGHTS_PUBLIC_CACHE_SECONDS", 300)

# --- Search (search/) ------------------------------------------------------------------
# search knows no roles: these name the functions f(user) -> bool it asks (search/viewers.py).
SEARCH_MAY_SEE_HIDDEN = "accounts.rules.may_see_hidden"  # non-public results: deleted threads, drafts
SEARCH_MAY_SEE_FIGURES = "accounts.rules.may_see_figures"  # /search/deflection/

# --- Observability (docs/operations.md) ------------------------------------------------
# Logs: one line per record with its request id (django-guid); LOG_FORMAT=json for a log
# collector (python-json-logger: time, level, logger, message, request_id, and extras).
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "django_guid.log_filters.CorrelationId"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(correlation_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger",
                              "correlation_id": "request_id"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django_guid": {"level": "WARNING"},  # "generated a new id" for every request
    },
}  # fmt: skip
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",  # taken from the proxy when it sends one, else made here
    "VALIDATE_GUID": True,  # a client cannot inject arbitrary text into the logs
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
    "INTEGRATIONS": [],
}

# Metrics (config/metrics.py): who may read /metrics. Nobody, unless one of these is set.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", [])

# Errors to Sentry, when SENTRY_DSN is set: exceptions in views and Celery tasks, with no
# personal data (no user emails, IP addresses, cookies or request bodies).
SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        release=env_str("SENTRY_RELEASE", "") or None,
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
        send_default_pii=False,
    )
