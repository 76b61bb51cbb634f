"""Settings from the environment: database URL, secret key, cookie security, rate-limit storage."""

import os
import stat

import pytest

from vendor_tracker.config import Config, normalize_database_url

VARIABLES = (
    "DATABASE_URL",
    "SECRET_KEY",
    "RATELIMIT_STORAGE_URI",
    "SESSION_COOKIE_SECURE",
    "FLASK_DEBUG",
    "FILE_MAX_BYTES",
)


@pytest.fixture
def env(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults_without_environment(env, tmp_path):
    settings = Config.from_environment(str(tmp_path))
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'vendor_tracker.sqlite3'}"
    # Every worker shares the app's database; `memory://` would count per worker.
    assert settings["RATELIMIT_STORAGE_URI"] == "database://"
    assert settings["SESSION_COOKIE_SECURE"] is True  # outside debug
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert settings["TESTING"] is False


def test_secret_key_is_generated_once_and_kept_private(env, tmp_path):
    first = Config.from_environment(str(tmp_path))["SECRET_KEY"]
    second = Config.from_environment(str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) >= 64
    mode = (tmp_path / "secret_key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
    other = Config.from_environment(str(tmp_path / "elsewhere"))["SECRET_KEY"]
    assert other != first


def test_secret_key_from_environment_wins(env, tmp_path):
    env.setenv("SECRET_KEY", "from-the-environment")
    assert Config.from_environment(str(tmp_path))["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_no_secret_in_the_class():
    assert not hasattr(Config, "SECRET_KEY")


def test_database_url_from_environment_is_normalised(env, tmp_path):
    env.setenv("DATABASE_URL", "postgres://app@db.internal:5432/tracker")
    settings = Config.from_environment(str(tmp_path))
    assert (
        settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://app@db.internal:5432/tracker"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:////abs/path.db", "sqlite:////abs/path.db"),
    ],
)
def test_normalize_database_url(url, expected):
    assert normalize_database_url(url) == expected


def test_rate_limit_storage_from_environment(env, tmp_path):
    env.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
    assert (
        Config.from_environment(str(tmp_path))["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379"
    )


@pytest.mark.parametrize(
    ("debug", "secure", "expected"),
    [
        (None, None, True),
        ("1", None, False),
        ("0", None, True),
        (None, "0", False),
        (None, "1", True),
        (None, "true", True),
        (None, "false", False),
        ("1", "1", True),
    ],
)
def test_session_cookie_secure(env, tmp_path, debug, secure, expected):
    if debug is not None:
        env.setenv("FLASK_DEBUG", debug)
    if secure is not None:
        env.setenv("SESSION_COOKIE_SECURE", secure)
    settings = Config.from_environment(str(tmp_path))
    assert settings["SESSION_COOKIE_SECURE"] is expected
    assert settings["REMEMBER_COOKIE_SECURE"] is expected


def test_environment_is_left_as_found(env, tmp_path):
    before = dict(os.environ)
    Config.from_environment(str(tmp_path))
    assert dict(os.environ) == before


def test_file_size_limit_from_environment(env, tmp_path):
    assert Config.from_environment(str(tmp_path))["FILE_MAX_BYTES"] == 25_000_000
    env.setenv("FILE_MAX_BYTES", "5000000")
    settings = Config.from_environment(str(tmp_path))
    assert settings["FILE_MAX_BYTES"] == 5_000_000
    # The request may carry one file at the limit and the form around it.
    assert settings["MAX_CONTENT_LENGTH"] == 5_000_000 + 1024 * 1024
