"""Time the reporting pages (scorecards of every vendor, portfolio, inbox) against their raw SQL.

    .venv/bin/python benchmarks/generate_bpo.py   # once: 1,000 BPO engagements, 360,000 results
    .venv/bin/python benchmarks/generate_kpo.py   # once: 1,000 KPO engagements, 20,000 deliverables
    .venv/bin/python benchmarks/bench_reporting.py [--target URL-or-file] [--repeat N] [--gc-freeze]

Pages are requested through the test client, signed in, so routing, login, rules and templates
all count. Nothing is cached between requests (the reporting package keeps no summaries in
memory), so every request does the full work, as after any write.
"Raw SQL" replays the exact statements one request issued on a bare DB-API cursor.
"""

import argparse
import gc
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from benchmarks.common import (  # noqa: E402
    captured_sql,
    fmt_ms,
    login_client,
    open_benchmark,
    replay,
    timings,
)

DEFAULT_FILE = "bpo.sqlite3"  # the database both generators fill
PAGES = (
    ("Scorecards, quarter", "/reports/scorecards"),
    ("Scorecards, 12 months", "/reports/scorecards?period=ttm"),
    ("Scorecards API, 200", "/api/v1/scorecards?per_page=200"),
    ("Portfolio and spend", "/reports/portfolio"),
    ("Needs attention", "/reports/attention"),
)
TARGET_P95_MS = 500


def line(label: str, page: dict, raw: dict, queries: int) -> str:
    verdict = "ok" if page["p95"] < TARGET_P95_MS else f"OVER {TARGET_P95_MS} ms"
    return (
        f"{label:<22} page {fmt_ms(page)} | raw SQL ({queries} queries) {fmt_ms(raw)} | {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", help="SQLite file or database URL (default: generated file)")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page")
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="move start-up objects out of the garbage collector's reach, as a preloading "
        "server (gunicorn --preload with gc.freeze()) would",
    )
    args = parser.parse_args()
    app, _vendors = open_benchmark(args.target, default_file=DEFAULT_FILE)
    from vendor_tracker.engagements.models import Engagement
    from vendor_tracker.extensions import db
    from vendor_tracker.vendors.models import Vendor

    with app.app_context():
        vendors = db.session.execute(select(func.count()).select_from(Vendor)).scalar_one()
        engagements = db.session.execute(
            select(Engagement.kind, func.count()).group_by(Engagement.kind)
        ).all()
        dialect = db.engine.dialect.name
    client = login_client(app, "viewer")
    token = client.post(
        "/api/v1/auth/tokens",
        json={"email": "bench-viewer@example.com", "password": "bench password 123"},
    ).get_json()["token"]
    api_headers = {"Authorization": f"Bearer {token}"}
    counts = ", ".join(f"{getattr(k, 'value', k)} {n:,}" for k, n in engagements)
    if args.gc_freeze:
        gc.collect()
        gc.freeze()
    print(
        f"Reporting benchmark on {dialect}: {vendors:,} vendors, engagements {counts}; "
        f"x{args.repeat} per page{', gc.freeze() after start-up' if args.gc_freeze else ''}; "
        f"target p95 < {TARGET_P95_MS} ms"
    )
    for label, url in PAGES:
        headers = api_headers if url.startswith("/api/") else {}
        fetch = app.test_client() if headers else client

        def get(url=url, headers=headers, fetch=fetch):
            return fetch.get(url, headers=headers)

        sql = captured_sql(app, get)
        page = timings(get, repeat=args.repeat, warmup=2)
        print(line(label, page, timings(replay(app, sql), args.repeat), len(sql)))
    with app.app_context():
        from datetime import date

        from vendor_tracker.reporting.scorecard import current_quarter, previous_quarter
        from vendor_tracker.reporting.services import (
            all_vendor_ids,
            vendor_scorecards,
            vendor_scorecards_many,
        )

        ids = all_vendor_ids()
        quarter = current_quarter(date.today())
        one = timings(lambda: vendor_scorecards(ids, quarter, date.today()), args.repeat, 1)
        both = timings(
            lambda: vendor_scorecards_many(ids, [quarter, previous_quarter(quarter)], date.today()),
            args.repeat,
            1,
        )
    print(f"vendor_scorecards() for all {len(ids)} vendors, one quarter: {fmt_ms(one)}")
    print(f"vendor_scorecards_many(), the quarter and the one before: {fmt_ms(both)}")


if __name__ == "__main__":
    main()
