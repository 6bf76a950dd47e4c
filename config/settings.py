"""One settings file; everything that differs between a laptop and the region comes from the environment."""

import os
import sys
import warnings
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


TESTING = env_flag("DJANGO_TESTING") or "pytest" in sys.modules
DEBUG = env_flag("DJANGO_DEBUG")
# Demo mode: the invented region and its shared demo logins. Never on in production. `make run` runs the demo
# without DEBUG, so that a visitor meets the platform's own error pages.
DEMO_MODE = env_flag("DEMO_MODE")
PRODUCTION = not (DEBUG or DEMO_MODE or TESTING)
DEMO_PASSWORD = "demo-profnav"  # the shared password of the demo logins (User.is_demo), refused outside demo mode

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("Задайте DJANGO_SECRET_KEY: без него сервер в рабочем режиме не запускается.")
    SECRET_KEY = "dev-only-insecure-key-profnavigator-" + "x" * 32

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if PRODUCTION:
        raise RuntimeError("Задайте DJANGO_ALLOWED_HOSTS (имена сервера через запятую): без них сервер в рабочем режиме не запускается.")
    # The demo answers whatever address it is reached by (`make run HOST=0.0.0.0` from another machine of the
    # school's network); development and the tests answer the local names only.
    ALLOWED_HOSTS = ["*"] if DEMO_MODE else ["127.0.0.1", "localhost", "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core.apps.ProfnavAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "ninja",
    "core.apps.CoreConfig",
    "accounts",
    "notifications",
    "orgs",
    "people",
    "access",
    "directory",
    "privacy",
    "profminimum",
    "events",
    "roadmap",
    "monitoring",
    "imports",
    "catalog",
    "guidance",
    "diagnostics",
    "api",
    "portal",
    "demo",
]

MIDDLEWARE = [
    "core.request_log.RequestIdMiddleware",
    "core.request_cache.RequestCacheMiddleware",  # a request's repeated reference reads made once (see the module)
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",  # SECURE_CSP below
    "core.security.RequestBodyLimitMiddleware",  # before anything reads the body (sessions, CSRF, the input guard)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",  # compresses pages; below WhiteNoise, whose static files are compressed already
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.security.NoStoreMiddleware",  # nothing a signed-in person saw stays in a shared computer's cache
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.ForcePasswordChangeMiddleware",
    "core.middleware.AccessibilityMiddleware",
    "core.input_guard.InputGuardMiddleware",  # control characters refused before any view; last, so its page has the user
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.csp",
                "portal.context_processors.shell",
            ],
        },
    },
]

# SQLite by default (make run, make test); PostgreSQL in production and in CI via DATABASE_URL.
VAR_DIR = Path(os.environ.get("PROFNAV_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'profnav.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}
else:
    # What the application's own connections need, whatever the server's defaults: no JIT (it compiled hundreds of
    # functions to answer a page of 47 rows, and the server did 1.5× the requests without it), and a bound on a
    # transaction left idle, so a stuck request never holds locks for long. No statement timeout: a migration or a
    # rebuild of a large region runs single statements of minutes.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "DB_OPTIONS", "-c jit=off -c idle_in_transaction_session_timeout=60000"
    )
    # Prepared statements: a page's queries are the same each time, and PostgreSQL spent five times longer
    # planning them than running them (5 ms of a page's 6 ms of database time). Server-side binding lets the
    # driver prepare a query the second time a connection runs it. Behind a pooler in transaction mode (PgBouncer
    # before 1.21) set DB_PREPARED=0.
    if env_flag("DB_PREPARED", default=True):
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 2

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# The admin site (a kernel piece) asks the access policy through this name, so the kernel imports no app.
PROFNAV_ADMIN_GATE = "access.policy.may_open_admin"
AUTHENTICATION_BACKENDS = ["accounts.backends.UsernameOrEmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
if TESTING:
    # Hashing is not what the tests check; the fast hasher keeps the suite in minutes. The production hasher
    # stays second, to verify the demo logins, which are always hashed with it (demo.region.demo_password_hash).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

# Sign-in throttling (accounts/throttle.py: a growing delay per login, a limit per client address) reads the
# client's address through core.client_ip: behind N proxies that each append to X-Forwarded-For, set N here.
TRUSTED_PROXIES = int(os.environ.get("DJANGO_TRUSTED_PROXIES", "0"))

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Private uploads (orders, portfolios) live outside any web root and are served only through views
# that ask the access policy. A shared volume or an object-store backend keeps app servers stateless.
STORAGES = {
    # FileSystemStorage reads MEDIA_ROOT itself (and follows it when tests change it).
    "default": {"BACKEND": os.environ.get("DJANGO_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Request sizes. A body larger than REQUEST_BODY_MAX_BYTES (the largest upload a form allows, 10 МБ, with room for
# the form around it) is refused with the 413 page before anything reads it (core.security); within it each
# upload form names its own limit. Form fields and JSON bodies without files stay under
# DATA_UPLOAD_MAX_MEMORY_SIZE (more is the same 413); an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE goes to
# a temporary file rather than memory, so a few parallel uploads don't hold a worker's memory.
REQUEST_BODY_MAX_BYTES = 12 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Console in development; SMTP in production when EMAIL_HOST is set.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_flag("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Профнавигатор <noreply@profnavigator.local>")
# The platform's address as people open it (https://profnav.example.ru): letters written by the task worker, which
# has no request to take it from, link to it. Without it notification letters carry no link.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").rstrip("/")

SESSION_COOKIE_AGE = 60 * 60 * 10  # a school day
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Only the platform's own scripts and styles (htmx is among its static files): no inline code, no style
# attributes, nothing from elsewhere. The one inline script (base.html's head) carries the request's nonce.
# Addresses under PROFNAV_JSON_PREFIXES answer in JSON ({"detail": ...}): the 413 there, and never cached.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],  # the API documentation's icons are data: images in its stylesheet
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
PROFNAV_JSON_PREFIXES = ["/api/"]

# Behind TLS in production: every cookie secure, HSTS on.
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# One line per record with the request it belongs to (core.request_log): a 500 in production is found by the
# id on the error page or in the X-Request-ID header; the traceback follows the line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "core.request_log.RequestContextFilter"}},
    "formatters": {
        "request": {
            "format": "%(asctime)s %(levelname)s %(name)s [request %(request_id)s %(method)s %(path)s user=%(user_id)s "
            "client=%(client)s] %(message)s"
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request"], "formatter": "request"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50

# Development, the demo and the tests serve static files straight from the apps (no collectstatic needed);
# production serves collectstatic's output. Only development looks for edited files on every request.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
if not PRODUCTION:
    # collectstatic's folder need not exist then; WhiteNoise would warn about it on every start of `make run`.
    warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)
