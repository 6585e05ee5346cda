"""Allele settings: one module, driven by environment variables (see .env.example).

Production is the default: DEBUG is off, HTTPS and secure cookies are on, and a
SECRET_KEY must be given. `make run` switches DEBUG on for local development.
"""

import importlib.util
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
TESTING = "pytest" in sys.modules

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("Set SECRET_KEY (a long random string) when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-never-use-in-production-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
WAGTAILADMIN_BASE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "lms.core",
    "editorial",
    "courses",
    "assessments",
    "certificates",
    "cohorts",
    "packages",
    "offline",
    # Optional: only with the AGPL `xblocks` extra installed (see README, Licensing).
    *(["xblocks"] if importlib.util.find_spec("xblock") else []),
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales (the Locales admin)
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
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
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # the offline API's docs page from local files (no CDN: the CSP allows none)
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lms.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lms.core.compression.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "lms.core.conditional.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lms.core.audit.AuditRequestMiddleware",
    "lms.core.lite.LiteModeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = env("ROOT_URLCONF", default="lms.urls")
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lms.core.lite.context",
                "lms.core.csp.context",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server, the task worker and tests share the file.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE",
         "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://allele")}

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# --- Scale-out profile (docs/deploy.md): Redis and RQ, with the `scale` extra -----------------
# With REDIS_URL set, the cache is Redis (shared by every app server), sessions are cached in it
# and written through to the database (so a Redis restart signs nobody out), and background
# tasks go to RQ queues that `manage.py rqworker` processes run, instead of the database queue.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    if not importlib.util.find_spec("django_tasks_rq"):
        raise ImproperlyConfigured(
            "REDIS_URL is set but the `scale` extra is not installed (pip install -e '.[scale]')."
        )
    if not env("CACHE_URL", default=""):
        CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="allele"),
            }
        }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {
        name: {"URL": env("RQ_REDIS_URL", default=REDIS_URL),
               "DEFAULT_TIMEOUT": env.int("RQ_JOB_TIMEOUT", default=900)}
        for name in env.list("RQ_QUEUES", default=["default"])
    }
    if not env("TASKS_BACKEND", default=""):
        TASKS = {
            "default": {
                "BACKEND": "django_tasks_rq.RQBackend",
                "QUEUES": list(RQ_QUEUES),
            }
        }

# --- Accounts (django-allauth) ------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "lms.core.adapters.AccountAdapter"
ACCOUNT_USER_DISPLAY = "lms.core.adapters.user_display"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
# Changing e-mail addresses (and Allele's data export and account deletion, which ask for it
# themselves) needs the password given within this many seconds (allauth's reauthentication).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("ACCOUNT_REAUTHENTICATION_TIMEOUT", default=300)
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Allele] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS = {
    # Five wrong passwords for one account within five minutes, or twenty from one address.
    "login_failed": "20/5m/ip,5/5m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Allele"

# --- E-mail -----------------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend" if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Allele <no-reply@allele.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    # Brazilian Portuguese: Django, Wagtail, allauth and django-countries ship pt_BR
    # catalogues, and most of them no plain "pt" one.
    ("pt-br", "Português"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["lms.formats"]  # ISO short dates in English (lms/formats/en)
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
# Courses are translated with wagtail-localize (ADR 0011); URLs carry no language prefix:
# a translation is served at its source's path in the learner's language.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# --- Static and media -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
# S3-compatible object storage for media (images, documents, certificate and handbook PDFs)
# with the `scale` extra: set the bucket, and the endpoint for anything but AWS. Objects are
# private; their URLs are signed and expire (certificate PDFs and handbooks are streamed
# through permission-checked views and never linked directly).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    if not importlib.util.find_spec("storages"):
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME is set but the `scale` extra is not installed."
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env("AWS_LOCATION", default="media"),
            "default_acl": "private",
            "querystring_auth": True,
            # Longer than a cached page lives (lms/core/pagecache.py), so cached pages keep
            # working image links.
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=6 * 3600),
            "file_overwrite": False,
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="") or None,
        },
    }
    # Private files (cohort uploads and exports, course packages, learners' data exports)
    # under their own prefix of the bucket, so app servers and workers share them without a
    # shared disk (lms/core/storage.py). They have no URL: permission-checked views stream them.
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **STORAGES["default"]["OPTIONS"],
            "location": env("AWS_PRIVATE_LOCATION", default="private"),
        },
    }
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail ----------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Allele"
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"png": "webp", "jpeg": "webp", "bmp": "webp"}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["pdf", "mp4", "webm", "mp3", "m4a", "ogg", "vtt", "csv", "docx", "xlsx"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_MODERATION_ENABLED = True
# No Gravatar: editors' e-mail hashes stay here, and the admin's img-src stays this site.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# oEmbed requests (and their redirects) go through the SSRF guard, lms/core/netguard.py.
WAGTAILEMBEDS_FINDERS = [{"class": "lms.core.embeds.GuardedOEmbedFinder"}]
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {
            "features": ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "hr", "link",
                         "document-link", "superscript", "subscript", "blockquote", "code"],
        },
    }
}

# --- Security ----------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is a promise to browsers that is slow to take back (every subdomain, HTTPS
# only, for months): opt in with SECURE_HSTS_PRELOAD=true once the domain is ready. Until
# then `check --deploy` is not asked to warn about it.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No other site may frame a page; lms.core.csp sends the same as CSP frame-ancestors.
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The CSRF cookie stays readable by the site's own scripts (quiz autosave, the offline
# queue and the component runtime send it as X-CSRFToken); HttpOnly would add nothing.
CSRF_COOKIE_HTTPONLY = False
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# A session lasts two weeks from sign-in (SESSION_COOKIE_AGE seconds), or ends when the
# browser closes with SESSION_EXPIRE_AT_BROWSER_CLOSE=true (shared workstations).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# --- Allele ------------------------------------------------------------------------
ALLELE_DEMO_ADMIN_EMAIL = env("ALLELE_DEMO_ADMIN_EMAIL", default="admin@allele.local")
# Course packages: the largest archive (and sum of its files) and file count accepted, and
# where package files are kept (private; default: a "packages" folder beside MEDIA_ROOT).
ALLELE_PACKAGE_MAX_BYTES = env.int("ALLELE_PACKAGE_MAX_BYTES", default=512 * 1024 * 1024)
ALLELE_PACKAGE_MAX_FILES = env.int("ALLELE_PACKAGE_MAX_FILES", default=5000)
ALLELE_PACKAGE_DIR = env("ALLELE_PACKAGE_DIR", default="") or None
# A course or module reviewed on day D is due for its next clinical review on D + this.
ALLELE_REVIEW_INTERVAL_DAYS = env.int("ALLELE_REVIEW_INTERVAL_DAYS", default=365)
# The course handbook's licence line (title page); default: copyright stays with the
# educators and credited sources, sharing with colleagues for learning is allowed.
ALLELE_HANDBOOK_LICENCE = env("ALLELE_HANDBOOK_LICENCE", default="")
# Offline courses: the estimated size of a page's HTML before its own text, in bytes (the
# course manifest adds each page's stored text to it).
ALLELE_OFFLINE_PAGE_BYTES = env.int("ALLELE_OFFLINE_PAGE_BYTES", default=9000)
# Every HTML page sends an enforced Content-Security-Policy (lms/core/csp.py). Only a page
# showing one of these XBlock types adds 'unsafe-eval' to its script-src (xblock-poll compiles
# Handlebars templates in the browser); inline scripts stay blocked either way.
ALLELE_XBLOCK_EVAL_TYPES = env.list("ALLELE_XBLOCK_EVAL_TYPES", default=["poll", "survey"])
# Origins pages may frame (frame-src): the video providers whose embeds the site shows.
ALLELE_CSP_FRAME_SOURCES = env.list("ALLELE_CSP_FRAME_SOURCES", default=[
    "https://www.youtube-nocookie.com", "https://www.youtube.com", "https://player.vimeo.com",
])
# Origins images, video and audio may come from besides this site; empty: the origins of
# MEDIA_URL and of the media storage's URLs (the S3 endpoint), found on first use.
ALLELE_CSP_MEDIA_ORIGINS = env.list("ALLELE_CSP_MEDIA_ORIGINS", default=[])
# Where browsers report what the policy blocked (report-uri); empty: no reports.
ALLELE_CSP_REPORT_URI = env("ALLELE_CSP_REPORT_URI", default="")
# XBlock handlers only a module's editors may call (on the authoring route); learners get 403.
ALLELE_XBLOCK_AUTHORING_HANDLERS = env.list(
    "ALLELE_XBLOCK_AUTHORING_HANDLERS", default=["studio_submit"]
)
# Server-side fetches of URLs an author or learner gives (oEmbed, XBlock URL checks) refuse
# loopback, private, link-local, CGNAT and cloud-metadata addresses on every redirect hop
# (lms/core/netguard.py). True lifts the address checks: development only, to fetch from
# this machine or the LAN. Ports other than 80 and 443 are refused unless listed.
ALLELE_FETCH_ALLOW_PRIVATE = env.bool("ALLELE_FETCH_ALLOW_PRIVATE", default=False)
ALLELE_FETCH_PORTS = env.list("ALLELE_FETCH_PORTS", cast=int, default=[])
# Rate limits beyond allauth's (lms/core/ratelimit.py): name -> "N/period" (s, m, h, d, with
# an optional count: "10m"), counted per fixed window in the cache; "" switches one off.
# ALLELE_RATE_LIMITS="quiz_save=240/m,cohort_import=" in the environment overrides entries.
# Quiz autosave waits 0.8 s after a change and sends one save at a time (static/js/quiz.js),
# so it stays under 75 a minute; the offline sync API is not limited here.
ALLELE_RATE_LIMITS = {
    "certificate_verify_miss": "30/10m",  # unknown certificate numbers, per client address
    "quiz_save": "120/m",  # autosave, per learner and attempt
    "quiz_submit": "30/m",  # the attempt form's save, check and submit, per learner and attempt
    "cohort_export": "30/h",  # cohort CSV/XLSX exports queued, per user
    "learner_export": "30/h",  # learner progress report CSV/XLSX downloads, per user
    "data_export": "10/h",  # a learner's own data exports asked for (lms.core.data_rights)
    "handbook_pdf": "240/h",  # handbook PDF requests (its page reloads every 5 s), per user
    "transcript": "60/h",  # CPD transcript CSV/PDF downloads, per user
    "cohort_import": "20/h",  # cohort CSV uploads and retries, per user
    "admin_login_ip": "30/5m",  # failed Wagtail admin sign-ins, per client address
    "admin_login_user": "5/5m",  # failed Wagtail admin sign-ins, per username
    **env.dict("ALLELE_RATE_LIMITS", default={}),
}
# Behind a load balancer, the header it sets to the client's address (e.g. X-Forwarded-For)
# and how many trusted proxies append to it; unset, REMOTE_ADDR is the client. Set it only
# when every request passes through those proxies, or clients can choose their address.
ALLELE_RATE_LIMIT_PROXY_HEADER = env("ALLELE_RATE_LIMIT_PROXY_HEADER", default="")
ALLELE_RATE_LIMIT_PROXY_COUNT = env.int("ALLELE_RATE_LIMIT_PROXY_COUNT", default=1)
