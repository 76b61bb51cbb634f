"""Configuration read from the environment; nothing secret lives in the repository."""

import os
import secrets
from pathlib import Path


def _instance_secret_key(instance_path: str) -> str:
    """Return the secret key kept in the instance folder, creating it on first use."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Create with owner-only permissions; another worker may have won the race, so re-read.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _flag(value: str) -> bool:
    """'1', 'true', 'yes', 'on' (any case) are true; anything else is false."""
    return value.strip().lower() in {"1", "true", "yes", "on"}


# The sign-in throttle's counters in the app's own database (`auth.throttle.DatabaseStorage`).
DATABASE_RATE_LIMIT_STORAGE = "database://"


class Config:
    """Settings for running the app; every value may be overridden from the environment."""

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BOOTSWATCH_THEME = None
    API_TITLE = "Vendor tracker API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_REDOC_PATH = None
    OPENAPI_SWAGGER_UI_PATH = None
    API_SPEC_OPTIONS = {"security": [{"bearerAuth": []}]}
    API_TOKEN_HOURS = 12
    ITEMS_PER_PAGE = 25
    # A file attached to a record (a version, a certificate, a QBR): 413 above this size.
    FILE_MAX_BYTES = 25_000_000
    # The whole request: one file at the limit plus the form around it (the CSV import keeps
    # its own IMPORT_MAX_BYTES).
    MAX_CONTENT_LENGTH = FILE_MAX_BYTES + 1024 * 1024
    IMPORT_MAX_BYTES = 10 * 1024 * 1024
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT_PER_ACCOUNT = "10 per 15 minutes"
    LOGIN_LIMIT_PER_ADDRESS = "30 per 15 minutes"
    HSTS_SECONDS = 0
    TESTING = False

    @classmethod
    def from_environment(cls, instance_path: str) -> dict:
        """Build the settings dict for an app whose instance folder is `instance_path`."""
        settings = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        database_url = os.environ.get("DATABASE_URL") or (
            "sqlite:///" + str(Path(instance_path) / "vendor_tracker.sqlite3")
        )
        settings["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(database_url)
        settings["SECRET_KEY"] = os.environ.get("SECRET_KEY") or _instance_secret_key(instance_path)
        # Sign-in throttling counts in the app's database unless Redis (or another `limits`
        # storage) is named: `memory://` would count per worker, multiplying the limit.
        settings["RATELIMIT_STORAGE_URI"] = (
            os.environ.get("RATELIMIT_STORAGE_URI") or DATABASE_RATE_LIMIT_STORAGE
        )
        debug = _flag(os.environ.get("FLASK_DEBUG", "0"))
        secure = os.environ.get("SESSION_COOKIE_SECURE")
        settings["SESSION_COOKIE_SECURE"] = _flag(secure) if secure is not None else not debug
        settings["REMEMBER_COOKIE_SECURE"] = settings["SESSION_COOKIE_SECURE"]
        # Strict-Transport-Security max-age on https answers; 0 (the default) sends none.
        settings["HSTS_SECONDS"] = max(0, int(os.environ.get("HSTS_SECONDS") or 0))
        settings.update(mail_settings(os.environ))
        settings.update(file_size_settings(os.environ.get("FILE_MAX_BYTES")))
        return settings


def file_size_settings(value: str | None) -> dict:
    """FILE_MAX_BYTES from the environment (bytes, at least 1); the request limit follows it."""
    limit = max(1, int(value)) if value and value.strip() else Config.FILE_MAX_BYTES
    return {"FILE_MAX_BYTES": limit, "MAX_CONTENT_LENGTH": limit + 1024 * 1024}


def mail_settings(environ) -> dict:
    """Email delivery of notifications (Flask-Mail over SMTP): no MAIL_SERVER, no email."""
    use_ssl = _flag(environ.get("MAIL_USE_SSL", "0"))
    return {
        "MAIL_SERVER": environ.get("MAIL_SERVER", "").strip(),
        "MAIL_PORT": int(environ.get("MAIL_PORT") or (465 if use_ssl else 587)),
        "MAIL_USE_TLS": _flag(environ.get("MAIL_USE_TLS", "0" if use_ssl else "1")),
        "MAIL_USE_SSL": use_ssl,
        "MAIL_USERNAME": environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": environ.get("MAIL_DEFAULT_SENDER", "").strip(),
        # The public address emails link to, e.g. https://vendors.example.com.
        "BASE_URL": environ.get("BASE_URL", "").strip().rstrip("/"),
        "NOTIFICATION_MAX_ATTEMPTS": max(1, int(environ.get("NOTIFICATION_MAX_ATTEMPTS") or 6)),
    }


def normalize_database_url(url: str) -> str:
    """Map plain postgres URLs to the psycopg 3 driver SQLAlchemy should use."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
