"""The sign-in throttle's counters in the app's database, so every worker counts the same failures.

Flask-Limiter keeps its counters in the `limits` storage that RATELIMIT_STORAGE_URI names.
`memory://` counts in each process, so N gunicorn workers would allow N times the limit;
`database://` (the default) is this storage: fixed windows in `rate_limit_counters`, each change
in a short transaction of its own (a refused sign-in commits nothing else), expired windows
deleted whenever a new one opens. Redis (`redis://...`) remains the choice for many hosts.
"""

import hashlib
import time
from datetime import timedelta

from limits.storage import Storage
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from vendor_tracker.auth.models import RateLimitCounter
from vendor_tracker.core.models import utcnow
from vendor_tracker.extensions import db

COUNTERS = RateLimitCounter.__table__


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class DatabaseStorage(Storage):
    """A `limits` storage on the app's database (fixed-window strategy only)."""

    STORAGE_SCHEME = ["database"]

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add `amount` to the key's open window, opening one of `expiry` seconds if none is."""
        digest = _digest(key)
        for attempt in range(2):
            try:
                with db.engine.begin() as connection:
                    return self._incr(connection, digest, expiry, amount)
            except IntegrityError:
                # Another worker opened the same window at this moment: add to theirs.
                if attempt:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _incr(connection, digest: str, expiry: int, amount: int) -> int:
        now = utcnow()
        opened = connection.execute(
            update(COUNTERS)
            .where(COUNTERS.c.key_digest == digest, COUNTERS.c.expires_at > now)
            .values(hits=COUNTERS.c.hits + amount)
        ).rowcount
        if not opened:
            connection.execute(delete(COUNTERS).where(COUNTERS.c.expires_at <= now))
            connection.execute(
                insert(COUNTERS).values(
                    key_digest=digest, hits=amount, expires_at=now + timedelta(seconds=expiry)
                )
            )
        return connection.execute(
            select(COUNTERS.c.hits).where(COUNTERS.c.key_digest == digest)
        ).scalar_one()

    def _open_window(self, key: str):
        with db.engine.connect() as connection:
            return connection.execute(
                select(COUNTERS.c.hits, COUNTERS.c.expires_at).where(
                    COUNTERS.c.key_digest == _digest(key), COUNTERS.c.expires_at > utcnow()
                )
            ).first()

    def get(self, key: str) -> int:
        """Hits in the key's open window (0 when none is open)."""
        row = self._open_window(key)
        return row.hits if row else 0

    def get_expiry(self, key: str) -> float:
        """When the key's open window ends (epoch seconds; now when none is open)."""
        row = self._open_window(key)
        return row.expires_at.timestamp() if row else time.time()

    def check(self) -> bool:
        """True when the database answers."""
        try:
            with db.engine.connect() as connection:
                connection.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every counter."""
        with db.engine.begin() as connection:
            return connection.execute(delete(COUNTERS)).rowcount

    def clear(self, key: str) -> None:
        """Forget one key's counter."""
        with db.engine.begin() as connection:
            connection.execute(delete(COUNTERS).where(COUNTERS.c.key_digest == _digest(key)))
