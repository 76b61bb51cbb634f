"""Shared helpers for the benchmark generators and timing scripts.

    from benchmarks.common import open_benchmark, login_client, timings
    app, vendor_ids = open_benchmark("benchmarks/data/bpo.sqlite3", vendors=200)

A target is a file path (SQLite) or a database URL (``postgresql+psycopg://...``).
"""

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event, insert, select

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "benchmarks" / "data"
BENCH_PASSWORD = "bench password 123"  # noqa: S105 - a throwaway local benchmark account
BENCH_USERS = {"admin": "bench-admin@example.com", "viewer": "bench-viewer@example.com"}

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def database_url(target: str | None, default_file: str = "bench.sqlite3") -> str:
    """Turn a path or URL (None: benchmarks/data/<default_file>) into a SQLAlchemy URL."""
    from vendor_tracker.config import normalize_database_url

    if target and "://" in target:
        return normalize_database_url(target)
    path = Path(target) if target else DATA_DIR / default_file
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path.resolve()}"


def make_app(target: str | None, default_file: str = "bench.sqlite3"):
    """Build the app on the benchmark database, creating tables, taxonomy and bench users."""
    from vendor_tracker import create_app
    from vendor_tracker.auth.services import create_user, user_by_email
    from vendor_tracker.extensions import db
    from vendor_tracker.vendors.taxonomy import seed_service_lines

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url(target, default_file),
            "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "benchmark-only",  # noqa: S105
        }
    )
    with app.app_context():
        db.create_all()
        seed_service_lines()
        for role, email in BENCH_USERS.items():
            if user_by_email(email) is None:
                create_user(email, BENCH_PASSWORD, role, f"Bench {role}")
        db.session.commit()
    return app


def ensure_vendors(count: int) -> list[int]:
    """Ids of vendors "Bench vendor 0001".."Bench vendor NNNN", creating the missing ones."""
    from vendor_tracker.extensions import db
    from vendor_tracker.vendors.models import Vendor

    names = [f"Bench vendor {n:04d}" for n in range(1, count + 1)]
    keys = [name.lower() for name in names]
    existing = dict(
        db.session.execute(
            select(Vendor.name_key, Vendor.id).where(Vendor.name_key.like("bench vendor %"))
        ).all()
    )
    missing = [
        {"name": name, "name_key": key, "hq_country": "US", "status": "approved", "version": 1}
        for name, key in zip(names, keys, strict=True)
        if key not in existing
    ]
    if missing:
        db.session.execute(insert(Vendor), missing)
        db.session.commit()
        existing = dict(
            db.session.execute(
                select(Vendor.name_key, Vendor.id).where(Vendor.name_key.like("bench vendor %"))
            ).all()
        )
    return [existing[key] for key in keys]


def open_benchmark(target: str | None, vendors: int = 0, default_file: str = "bench.sqlite3"):
    """Open (or create) the benchmark database, build the app on it, ensure N bench vendors."""
    app = make_app(target, default_file)
    with app.app_context():
        vendor_ids = ensure_vendors(vendors) if vendors else []
    return app, vendor_ids


def login_client(app, role: str = "admin"):
    """A test client signed in as the bench user of `role`."""
    client = app.test_client()
    answer = client.post("/login", data={"email": BENCH_USERS[role], "password": BENCH_PASSWORD})
    if answer.status_code != 302:
        raise RuntimeError(f"bench login failed with status {answer.status_code}")
    return client


def timings(action: Callable[[], object], repeat: int = 50, warmup: int = 3) -> dict:
    """Run `action` repeatedly; return median, p95 and mean in milliseconds."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95_index = max(0, round(0.95 * len(samples)) - 1)
    return {
        "median": statistics.median(samples),
        "p95": samples[p95_index],
        "mean": statistics.fmean(samples),
        "n": len(samples),
    }


def fmt_ms(stats: dict) -> str:
    """'median 12.3 ms, p95 15.0 ms' for a timings() result."""
    return f"median {stats['median']:.1f} ms, p95 {stats['p95']:.1f} ms"


def captured_sql(app, send: Callable[[], object]) -> list[tuple[str, object]]:
    """The statements (with parameters) one request, made by `send()`, sends to the database."""
    from vendor_tracker.extensions import db

    statements: list[tuple[str, object]] = []

    def remember(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", remember)
    try:
        answer = send()
        if answer.status_code != 200:
            raise RuntimeError(f"request answered {answer.status_code}")
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    return statements


def replay(app, statements) -> Callable[[], None]:
    """A function running `statements` on a raw DB-API connection and fetching every row."""
    from vendor_tracker.extensions import db

    with app.app_context():
        engine = db.engine

    def run():
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            for statement, parameters in statements:
                cursor.execute(statement, parameters)
                if cursor.description is not None:
                    cursor.fetchall()
            cursor.close()
            connection.rollback()
        finally:
            connection.close()

    return run
