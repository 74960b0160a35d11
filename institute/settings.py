"""One settings module, driven by environment variables with safe development defaults.

Nothing set: SQLite in the project folder, tasks run eagerly in-process, console email.
See `.env.example` for every variable.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# A development key is only accepted while DEBUG is on or under tests; production must set one.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-insecure-key-change-me-" + "x" * 40)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL

INSTALLED_APPS = [
    "institute",
    "trainees",
    "cms",
    "courses",
    "exams",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
]

MIDDLEWARE = [
    "cms.cache.RequestLocaleMemoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "institute.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "institute.middleware.StaffMFARequiredMiddleware",
    # A lost database connection answers 503 + Retry-After instead of the generic 500.
    "institute.middleware.DatabaseUnavailableMiddleware",
    "institute.security.PathPolicyCSPMiddleware",
    "institute.security.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: its process_view runs once the user and messages are known (cms/cache.py).
    "cms.cache.AnonymousPageCacheMiddleware",
]
CMS_PAGE_CACHE_SECONDS = env.int("CMS_PAGE_CACHE_SECONDS", default=60)

ROOT_URLCONF = "institute.urls"
WSGI_APPLICATION = "institute.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database: SQLite in the project folder unless DATABASE_URL is set -----------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "trainees.User"

# --- Cache: Redis when REDIS_URL is set, otherwise a real in-process cache --------------------
# allauth's rate limits need a real cache; the dummy cache would silently disable them.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis, for IGNORE_EXCEPTIONS: with Redis down a cache read is a miss and
            # a write is skipped (logged), so throttles, rate limits and cached pages let
            # requests through instead of failing them; /healthz still reports the outage.
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="institute"),
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery: eager in-process tasks when no broker is configured ------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="institute")
CELERY_TIMEZONE = "Asia/Shanghai"
# Short producer timeouts: a request must not hang when the broker is down.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 3,
    # One immediate reconnect, not one after kombu's default 2 s pause: with the broker down
    # a publish fails in milliseconds and the outbox row waits for the relay.
    "max_retries": 1,
    "interval_start": 0,
    # An unacknowledged task (its worker was killed) is delivered again after this long;
    # keep every retry countdown shorter. The fault tests set a few seconds.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
# The transactional outbox's relay task (institute/outbox.py; scheduled in institute/celery.py).
CELERY_IMPORTS = ["institute.outbox"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Authentication (django-allauth) ----------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CCIC] "
# Failed logins are limited per account (key = the email: 5 per 5 minutes) and, more loosely,
# per IP: a whole classroom at the base logs in from one address at exam start.
ACCOUNT_RATE_LIMITS = {"login": "300/m/ip", "login_failed": "60/m/ip,5/300s/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CCIC Institute"
# Staff (instructors, certification officers, superusers) must enrol in MFA before any staff
# page. Only for local exploration may this be turned off (MFA_REQUIRED_FOR_STAFF=false).
MFA_REQUIRED_FOR_STAFF = env.bool("MFA_REQUIRED_FOR_STAFF", default=True)
# What an unenrolled staff account may still open: the account pages (log in/out, password,
# re-authentication, MFA enrolment), static files, health and the language switch.
MFA_ENROLMENT_ALLOWED_PREFIXES = ["/accounts/", "/static/", "/healthz", "/i18n/", "/jsi18n/"]

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Public CMS images are served from MEDIA_ROOT by Django unless a front server does it; only
# their folders are exposed (Wagtail documents go through its permission-checked view). Any
# other upload under MEDIA_ROOT is private and only reachable through a view that checks.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
PUBLIC_MEDIA_FOLDERS = ["original_images", "images"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email --------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="CCIC Institute <noreply@institute.local>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A silent SMTP server must not hold a worker until the task's time limit.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# Notification sends refused by the mail server retry with exponential backoff (seconds),
# capped below the broker's visibility timeout; about 1.5 hours of tries by default.
NOTIFICATION_RETRY_BACKOFF = env.int("NOTIFICATION_RETRY_BACKOFF", default=30)
NOTIFICATION_RETRY_BACKOFF_MAX = env.int("NOTIFICATION_RETRY_BACKOFF_MAX", default=1800)
NOTIFICATION_MAX_RETRIES = env.int("NOTIFICATION_MAX_RETRIES", default=8)

# --- Wagtail -----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "CCIC Institute"
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "institute.security.ImageForm"
# No archives or HTML: each allowed type is also checked by content (institute/uploads.py).
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt", "csv"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "institute.security.DocumentForm"
# The admin loads nothing from other sites (its Content Security Policy allows none): no
# Gravatar avatars (which would also send staff email hashes out) and no update check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Upload limits (institute/uploads.py): evidence, documents, import files, and for ZIP-based
# imports (XLSX) the most a file may expand to, checked before it is opened.
UPLOAD_EVIDENCE_MAX_BYTES = env.int("UPLOAD_EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
UPLOAD_DOCUMENT_MAX_BYTES = env.int("UPLOAD_DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
UPLOAD_IMPORT_MAX_BYTES = env.int("UPLOAD_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
UPLOAD_ARCHIVE_MAX_MEMBERS = 1000
UPLOAD_ARCHIVE_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
UPLOAD_ARCHIVE_MAX_RATIO = 200
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ALLOW_UNICODE_SLUGS = True

# --- REST API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so unauthenticated calls get 401 with a WWW-Authenticate header.
        # DRF's, with the profile, roles and MFA enrolment read in the same query.
        "institute.api_auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Anonymous calls per IP; signed-in calls per account (or organisation token), never per
    # IP, so a classroom behind one NAT address is not throttled at exam start.
    "DEFAULT_THROTTLE_CLASSES": [
        "institute.security.AddressRateThrottle",
        "institute.security.AccountRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON_RATE", default="120/min"),
        "user": env.str("API_THROTTLE_USER_RATE", default="1200/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CCIC Institute training and certification API",
    "DESCRIPTION": (
        "Courses, exams, credentials and verification. Session or token auth. Messages are "
        "in the language of Accept-Language (zh-hans or en; Simplified Chinese by default)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["institute.schema.only_public_api"],
}

# --- Security ----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
# Wagtail's preview views set SAMEORIGIN on their own responses, so DENY elsewhere is safe.
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Content Security Policy (django-csp; institute.security.PathPolicyCSPMiddleware). The site
# runs no inline script; inline styles are allowed because Wagtail's responsive embeds size
# their frame with a style attribute. Videos are embedded from the listed players.
_CSP_SITE = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "media-src": [SELF],
    "frame-src": [SELF, *env.list("CSP_FRAME_SOURCES", default=[
        "https://www.youtube.com", "https://www.youtube-nocookie.com",
        "https://player.bilibili.com", "https://player.vimeo.com",
    ])],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}  # fmt: skip
CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_SITE}
# Looser policies by path prefix (after any language prefix): the Wagtail admin's own inline
# scripts/styles, blob: image previews and same-origin preview frames; the Swagger UI page.
CONTENT_SECURITY_POLICY_PATHS = {
    "/admin/": {
        **_CSP_SITE,
        "script-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "frame-ancestors": [SELF],
    },
    "/api/v1/docs/": {
        **_CSP_SITE,
        "script-src": [SELF, UNSAFE_INLINE, "https://cdn.jsdelivr.net"],
        "style-src": [SELF, UNSAFE_INLINE, "https://cdn.jsdelivr.net"],
        "img-src": [SELF, "data:", "https://cdn.jsdelivr.net"],
    },
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=False)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
    SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # Wagtail's background index/reference tasks log every run at INFO: too chatty.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# --- Certification and verifiable credentials (trainees, issue 5) ------------------------------
# Ed25519 signing keys live as PEM files here (generated on first use or by
# `manage.py credential_keys --rotate`); retired keys stay so old credentials still verify.
CREDENTIAL_KEY_DIR = env.path("CREDENTIAL_KEY_DIR", default=BASE_DIR / "var" / "keys")
CREDENTIAL_NUMBER_PREFIX = env.str("CREDENTIAL_NUMBER_PREFIX", default="CCICI")
# Host (with port) of the issuer's did:web; defaults to the host of SITE_URL.
CREDENTIAL_DID_HOST = env.str("CREDENTIAL_DID_HOST", default="")
# Days before expiry at which holder and organisation manager are reminded (once each).
CREDENTIAL_REMINDER_OFFSETS = env.list("CREDENTIAL_REMINDER_OFFSETS", cast=int, default=[90, 30, 7])
