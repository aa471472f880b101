"""Settings for Academic Writing from Samples: one module, read from the environment.

Every setting that differs between a laptop and production comes from an environment
variable, parsed strictly: a bad value stops start-up with a message naming the variable.
"""

import os
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from writing_guide.sqlite_files import existing_file_uri

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the app refuses to start without a secret key: "
            "set SECRET_KEY to a long random string (or set DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-development-key-only-used-when-DEBUG-is-on"  # noqa: S105
elif len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        f"SECRET_KEY is {len(SECRET_KEY)} characters long; use at least 50 random characters, for example "
        "the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "lessons",
    "exercises",
    "drafts",
    "courses",
    "questions",
    # The project package: no models, only its management commands (backup, restore).
    "writing_guide",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages leave gzip-compressed when the browser asks (whitenoise answers for static files above,
    # with its own precompressed copies). Django pads each compressed page with random bytes against
    # BREACH, and the CSRF token in a form is masked afresh on every response.
    "writing_guide.middleware.PageCompressionMiddleware",
    "writing_guide.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A page the same for every visitor without a session is answered from the guide's version and
    # a cache read, and so is a signed-in reader's own exercise or progress page while nothing on it
    # changed, with the reader's own CSRF token put in its forms (`lessons.pages`).
    "lessons.pages.KeptPageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so its refusals still get the security headers of the middleware above.
    "writing_guide.middleware.MalformedRequestMiddleware",
]
# The pages' gzip level (1 to 9): 1, as nginx's default, costs a fifth of Django's 6 for pages a
# sixth larger (`PageCompressionMiddleware`).
PAGE_GZIP_LEVEL = env_int("PAGE_GZIP_LEVEL", 1)
if not 1 <= PAGE_GZIP_LEVEL <= 9:
    raise ImproperlyConfigured(f"PAGE_GZIP_LEVEL must be a gzip level from 1 to 9, not {PAGE_GZIP_LEVEL}.")

ROOT_URLCONF = "writing_guide.urls"
WSGI_APPLICATION = "writing_guide.wsgi.application"

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
                # The signed-in user's new answers to their questions, read only where a page shows them.
                "questions.context_processors.unseen_answers",
                # Forms' CSRF token, masked faster than Django's own (writing_guide.csrf); a marker for
                # it while a page that may be kept is made.
                "lessons.pages.kept_page_csrf_token",
            ],
        },
    },
]

# SQLite (the embedded default) queues concurrent writers instead of failing: WAL lets readers
# run beside one writer, IMMEDIATE takes the write lock at BEGIN (so no transaction fails when
# it upgrades a read lock), and the busy timeout makes waiting writers retry for 20 s.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    _database = dj_database_url.parse(DATABASE_URL)
except Exception as error:  # dj-database-url raises several kinds for a bad URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL Django can use: {error}") from None
if _database["ENGINE"] == "django.db.backends.sqlite3":
    if _database["NAME"] != ":memory:":
        # A missing file is an outage (503 until it is back), not a new empty database to serve:
        # only `migrate` creates it (writing_guide/sqlite_files.py).
        _database["NAME"] = existing_file_uri(_database["NAME"])
    _database["OPTIONS"] = SQLITE_OPTIONS
    _database["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}
elif _database["ENGINE"] == "django.db.backends.postgresql":
    _database.setdefault("OPTIONS", {})["connect_timeout"] = 5
    # A pool of connections per worker process (psycopg's): opening a connection per request held
    # every page near 280 requests/s (bench/results.md), and a pool also bounds what a worker
    # holds at DATABASE_POOL_SIZE, however many clients it serves: workers x size must stay under
    # the server's max_connections. A request that finds every connection busy (or the database
    # gone) waits up to 3 s, then gets the 503 page. 0 turns the pool off (a connection per request).
    DATABASE_POOL_SIZE = env_int("DATABASE_POOL_SIZE", 8)
    if DATABASE_POOL_SIZE > 0:
        _database["OPTIONS"]["pool"] = {"min_size": 1, "max_size": DATABASE_POOL_SIZE, "timeout": 3}
else:
    raise ImproperlyConfigured(f"DATABASE_URL must point at SQLite or PostgreSQL, not {_database['ENGINE']}.")
# Persistent connections on SQLite: opening one costs more than most requests (Django registers
# its SQL functions and runs the PRAGMAs above on every new connection). Not by default on
# PostgreSQL: a gevent worker serves many requests at once, each on a connection of its own, and
# kept connections pile up past the server's max_connections; each request closes its own.
_sqlite = _database["ENGINE"] == "django.db.backends.sqlite3"
_database["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 600 if _sqlite else 0)
if _database.get("OPTIONS", {}).get("pool") and _database["CONN_MAX_AGE"]:
    raise ImproperlyConfigured(
        "CONN_MAX_AGE must be 0 with the connection pool; set DATABASE_POOL_SIZE=0 to keep connections."
    )
_database["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _database}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Throttles need a store every worker shares: Redis in production, the database otherwise
# (so the embedded run needs no Redis and several workers still agree).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Short socket timeouts: while Redis is unreachable the throttles count in each process's
    # memory (writing_guide/throttle.py), and a request must not hang waiting for it first.
    _redis_timeouts = {"socket_connect_timeout": 1, "socket_timeout": 1}
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": _redis_timeouts,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache_table"}}
# Content caches: what is the same for every visitor, kept by each process under the guide's version,
# which every load rewrites. Rendered fragments (an exercise's header and passage, its form's
# sentences, a lesson's or a paper's body) live here; an exercise's sentences and labels and the move
# maps' strips in dicts of their own (`Exercise.page_content`, `drafts.move_maps`). CONTENT_CACHES=0
# turns every one of them off (the fragments go to a cache that keeps nothing), to measure what they save.
CONTENT_CACHES = env_bool("CONTENT_CACHES", True)
_NOTHING = "django.core.cache.backends.dummy.DummyCache"
_OBJECTS = "django.core.cache.backends.locmem.LocMemCache" if CONTENT_CACHES else _NOTHING
# Rendered HTML is kept as it is, not pickled (`writing_guide.cache`).
_STRINGS = "writing_guide.cache.StringCache" if CONTENT_CACHES else _NOTHING
CACHES["fragments"] = {"BACKEND": _STRINGS, "LOCATION": "fragments"}
# Whole pages for visitors without a session (`lessons.pages`), kept per process under the guide's
# version like the fragments; CONTENT_CACHES=0 turns them off too.
CACHES["pages"] = {"BACKEND": _OBJECTS, "LOCATION": "pages"}
# Signed-in readers' own pages (`lessons.pages`), each under the reader's state: up to 2,000 per
# process, the least recently read culled first (20-35 KB each with their compressed parts: at most
# about 70 MB). A class of 500 reading their exercise list, an exercise and their progress in turn
# needs 1,500: fewer, and a cycle through the class would find each page culled before its turn came.
CACHES["reader_pages"] = {
    "BACKEND": _OBJECTS,
    "LOCATION": "reader_pages",
    "OPTIONS": {"MAX_ENTRIES": 2000, "CULL_FREQUENCY": 4},
}
# Parts of readers' pages shown alike to every reader with the same numbers (an exercise list's card,
# a progress page's row: `exercises.fragments`), each under a key naming all it shows: per process,
# up to 20,000 (under 1 KB each).
CACHES["reader_fragments"] = {
    "BACKEND": _STRINGS,
    "LOCATION": "reader_fragments",
    "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 4},
}
# A course's results (the dashboard's and the analytics' aggregates over every attempt of the class),
# kept per process under a digest of what they read (`courses.analytics.results_stamp`); CONTENT_CACHES=0
# turns them off too.
CACHES["results"] = {"BACKEND": _OBJECTS, "LOCATION": "results"}
# How a class answered each sentence (`exercises.class_answers`): per process, keyed on the number of
# first attempts counted, so a new answer is a new key and nothing here is ever stale.
CACHES["tallies"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tallies"}
# CLASS_ANSWERS=0 leaves "how the others answered" out of the feedback: the benchmark measures the
# submit with and without it.
CLASS_ANSWERS = env_bool("CLASS_ANSWERS", True)

# Questions and answers: authors may edit a post this many minutes after posting (and delete it
# whenever); with QUESTIONS_HOLD_FIRST_POSTS=N a new account's posts wait for a moderator until N of
# them were shown (0: never held); QUESTIONS_PER_HOUR posts per account per hour at most.
QUESTIONS_EDIT_MINUTES = env_int("QUESTIONS_EDIT_MINUTES", 30)
QUESTIONS_HOLD_FIRST_POSTS = env_int("QUESTIONS_HOLD_FIRST_POSTS", 0)
QUESTIONS_PER_HOUR = env_int("QUESTIONS_PER_HOUR", 30)

# Instructors' own exercises (courses.authoring): at most this many per course, drafts included.
COURSE_EXERCISES_MAX = env_int("COURSE_EXERCISES_MAX", 50)

# What `manage.py grant_editor` gives (and --revoke takes away): the content editors decide
# self-study objections and moderate questions and answers. Named here, as "app_label.codename",
# so that no app imports another to hand out its rights; an app not installed is skipped.
EDITOR_PERMISSIONS = ["exercises.decide_objections", "questions.moderate_posts"]

# Django's database sessions and model backend, each reading its row with SQL compiled once per process
# (writing_guide/sessions.py, writing_guide/auth.py). Django's backend stays listed second, so that the
# sessions it signed in before this one was added stay signed in.
SESSION_ENGINE = "writing_guide.sessions"
AUTHENTICATION_BACKENDS = ["writing_guide.auth.ModelBackend", "django.contrib.auth.backends.ModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Where log-in and sign-up lead without a `next`: a view that picks the page by role.
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "home"
# A visitor without an account keeps their attempts in the session, which lasts this long from the
# first attempt; anonymous learners older than this are purged. One period, said where work is kept.
ANONYMOUS_RETENTION_DAYS = env_int("ANONYMOUS_RETENTION_DAYS", 30)
SESSION_COOKIE_AGE = ANONYMOUS_RETENTION_DAYS * 24 * 60 * 60
# A password-reset link works for three days, then the learner asks for another.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60

# Email carries password-reset links, nothing else. Production sends through the SMTP server
# named by EMAIL_HOST; with DEBUG on the messages are printed on the console instead. With DEBUG
# off and no EMAIL_HOST nothing is sent (the dummy backend): the reset page then says that this
# site cannot send email, rather than promising a message that never comes (and reset links
# are never written to a production log, where anyone reading it could use them).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    if "@" not in parseaddr(DEFAULT_FROM_EMAIL)[1]:
        raise ImproperlyConfigured(
            f"DEFAULT_FROM_EMAIL must be the address reset emails come from (e.g. "
            f"'Writing from Samples <noreply@example.org>') when EMAIL_HOST is set, not {DEFAULT_FROM_EMAIL!r}."
        )
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
if EMAIL_HOST_PASSWORD and not EMAIL_HOST_USER:
    raise ImproperlyConfigured("EMAIL_HOST_PASSWORD is set but EMAIL_HOST_USER is not: set both, or neither.")
DEFAULT_FROM_EMAIL = DEFAULT_FROM_EMAIL or "noreply@localhost"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

FIXTURES_DIR = Path(os.environ.get("FIXTURES_DIR", BASE_DIR / "fixtures"))

# Posts are small (a label per sentence); anything much larger is refused before it is read. The most
# fields are the exercise editor's: 40 sentences, each with its label, labels also accepted, feedback per
# wrong label and a checkbox per word for its signals (Django's own default, 1,000).
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# How many proxies (balancer, CDN) stand between clients and the app, each appending to
# X-Forwarded-For. 0: the throttles count REMOTE_ADDR; N: the Nth address from the right of
# X-Forwarded-For (the ones further left are whatever the client wrote, so never trusted).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more (proxies in front), not {TRUSTED_PROXY_COUNT}.")

# Security headers. The app runs behind a TLS-terminating proxy in production.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# No script of ours reads the CSRF cookie: forms carry the token, and htmx sends the form.
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# The demo class (an instructor and students with attempts) is only created on a DEBUG run.
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-password-2026")
