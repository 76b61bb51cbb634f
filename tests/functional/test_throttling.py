"""Sign-in throttling counts in the app's database by default (every worker shares it): the same
limits and 429 answers as before, lock-outs recorded once per window."""

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, seeded_app
from vendor_tracker.audit.models import AuditEvent
from vendor_tracker.auth.models import RateLimitCounter
from vendor_tracker.auth.throttle import DatabaseStorage
from vendor_tracker.extensions import db, limiter


@pytest.fixture
def throttled_app(tmp_path):
    with seeded_app(
        tmp_path,
        RATELIMIT_STORAGE_URI="database://",
        LOGIN_LIMIT_PER_ACCOUNT="3 per minute",
        LOGIN_LIMIT_PER_ADDRESS="5 per minute",
    ) as app:
        yield app


def _try(client, email, password="wrong password", address="10.0.0.1"):  # noqa: S107
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    ).status_code


def _counters(app):
    with app.app_context():
        return db.session.execute(select(RateLimitCounter)).scalars().all()


def test_the_database_is_the_storage(throttled_app):
    assert isinstance(limiter.storage, DatabaseStorage)


def test_failures_per_account_are_counted_in_the_database(throttled_app):
    client = throttled_app.test_client()
    codes = [_try(client, "viewer@example.com", address=f"10.0.0.{i}") for i in range(3)]
    assert codes == [200] * 3
    assert _try(client, "viewer@example.com", PASSWORD, address="10.0.0.9") == 429
    assert _try(client, "VIEWER@example.com", PASSWORD, address="10.0.0.9") == 429
    assert _try(client, "manager@example.com", PASSWORD, address="10.0.0.9") == 302
    # A counter for the account (refused tries count too) and one per address, all in the
    # database; keys kept only as digests.
    counters = _counters(throttled_app)
    assert sorted(c.hits for c in counters)[:3] == [1, 1, 1]
    assert max(c.hits for c in counters) >= 3
    assert all(len(c.key_digest) == 64 and "@" not in c.key_digest for c in counters)


def test_failures_per_address(throttled_app):
    client = throttled_app.test_client()
    assert [_try(client, f"someone{i}@example.com") for i in range(5)] == [200] * 5
    assert _try(client, "viewer@example.com", PASSWORD) == 429
    assert _try(client, "viewer@example.com", PASSWORD, address="10.0.0.2") == 302


def test_successful_sign_ins_do_not_count(throttled_app):
    client = throttled_app.test_client()
    for _ in range(6):
        assert _try(client, "viewer@example.com", PASSWORD) == 302
        client.post("/logout")
    assert _try(client, "viewer@example.com") == 200
    assert _counters(throttled_app) != []


def test_the_token_endpoint_shares_the_database_counters(throttled_app):
    client = throttled_app.test_client()
    body = {"email": "viewer@example.com", "password": "wrong password"}
    assert [client.post("/api/v1/auth/tokens", json=body).status_code for _ in range(3)] == [
        401
    ] * 3
    answer = client.post("/api/v1/auth/tokens", json={**body, "password": PASSWORD})
    assert answer.status_code == 429
    assert answer.get_json()["error"]["code"] == "too_many_requests"


def test_a_lock_out_is_one_audit_entry_per_window(throttled_app):
    client = throttled_app.test_client()
    for i in range(3):
        _try(client, "viewer@example.com", address=f"10.0.1.{i}")
    for i in range(4):
        assert _try(client, "viewer@example.com", address=f"10.0.2.{i}") == 429
    with throttled_app.app_context():
        locked = (
            db.session.execute(select(AuditEvent).where(AuditEvent.action == "login_locked"))
            .scalars()
            .all()
        )
        failed = db.session.execute(
            select(func.count()).where(AuditEvent.action == "login_failed")
        ).scalar_one()
    assert [event.actor for event in locked] == ["viewer@example.com"]
    assert failed == 3


def test_the_storage_counts_expires_and_clears(throttled_app):
    storage = limiter.storage
    with throttled_app.test_request_context():
        assert storage.get("some key") == 0
        assert storage.incr("some key", 60) == 1
        assert storage.incr("some key", 60, amount=2) == 3
        assert storage.get("some key") == 3
        assert storage.get_expiry("some key") > 0
        assert storage.check() is True
        # A window that has ended counts from zero again, and is replaced when one opens.
        assert storage.incr("short", 0) == 1
        assert storage.get("short") == 0
        assert storage.incr("short", 60) == 1
        storage.clear("some key")
        assert storage.get("some key") == 0
        storage.reset()
        assert storage.get("short") == 0
