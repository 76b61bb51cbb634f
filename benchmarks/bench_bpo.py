"""Time the BPO pages against their raw SQL, and the CSV import against a bare bulk insert.

    .venv/bin/python benchmarks/generate_bpo.py      # once: 1,000 engagements, 360,000 results
    .venv/bin/python benchmarks/bench_bpo.py [--target URL-or-file] [--repeat 50]
    .venv/bin/python benchmarks/bench_bpo.py --import-only [--target URL-or-file] [--repeat 7]

Pages are requested through the test client, signed in, so routing, login, rules and templates
all count. "Raw SQL" replays the exact statements one request issued on a bare DB-API cursor.
"""

import argparse
import cProfile
import csv
import gc
import io
import pstats
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from benchmarks.common import (  # noqa: E402
    BENCH_USERS,
    captured_sql,
    fmt_ms,
    login_client,
    open_benchmark,
    replay,
    timings,
)

IMPORT_LEVELS = 500
IMPORT_MONTHS = 120


def page_line(label: str, page: dict, raw: dict, queries: int) -> str:
    ratio = page["p95"] / raw["p95"] if raw["p95"] else float("inf")
    return (
        f"{label:<22} page {fmt_ms(page)} | raw SQL ({queries} queries) {fmt_ms(raw)} | "
        f"page/raw at p95 {ratio:.1f}x"
    )


def ensure_import_engagement(app) -> int:
    """An engagement with many service levels and 10 years of window, for import timing."""
    from vendor_tracker.engagements.bpo.models import ServiceLevel
    from vendor_tracker.engagements.models import Engagement
    from vendor_tracker.extensions import db
    from vendor_tracker.vendors.models import ServiceLine

    title = "Bench import engagement"
    with app.app_context():
        found = db.session.execute(
            select(Engagement.id).where(Engagement.title == title)
        ).scalar_one_or_none()
        if found:
            return found
        today = date.today()
        index = today.year * 12 + today.month - 1 - IMPORT_MONTHS
        start = date(index // 12, index % 12 + 1, 1)
        vendor_id = db.session.execute(select(db.text("min(id) from vendors"))).scalar_one()
        line_id = db.session.execute(
            select(ServiceLine.id).where(ServiceLine.code == "customer_support")
        ).scalar_one()
        engagement = Engagement(
            vendor_id=vendor_id,
            title=title,
            kind="BPO",
            service_line_id=line_id,
            status="active",
            start_date=start,
            end_date=None,
            pricing_model="per_fte",
            currency="USD",
            monthly_fee=Decimal("100000"),
            at_risk_pct=Decimal("10"),
            earn_back_months=3,
        )
        db.session.add(engagement)
        db.session.flush()
        db.session.execute(
            insert(ServiceLevel),
            [
                {
                    "engagement_id": engagement.id,
                    "name": f"Import level {n:03d}",
                    "unit": "%",
                    "direction": "higher",
                    "target": Decimal("80"),
                    "minimum": Decimal("75"),
                    "classification": "key",
                    "position": n,
                    "version": 1,
                }
                for n in range(IMPORT_LEVELS)
            ],
        )
        db.session.commit()
        return engagement.id


def import_benchmark(app, engagement_id: int, repeat: int = 3, profile: bool = False) -> str:
    """Rows per second of the CSV import (parse, validate, write) and of a bare Core insert,
    alternating; with `profile`, cProfile's top functions of one more import."""
    from vendor_tracker.auth.services import user_by_email
    from vendor_tracker.engagements.bpo.imports import import_results
    from vendor_tracker.engagements.bpo.models import Measurement, ServiceLevel
    from vendor_tracker.engagements.models import Engagement
    from vendor_tracker.extensions import db

    with app.app_context():
        engagement = db.session.get(Engagement, engagement_id)
        user = user_by_email(BENCH_USERS["admin"])
        levels = db.session.execute(
            select(ServiceLevel.id, ServiceLevel.name).where(
                ServiceLevel.engagement_id == engagement_id
            )
        ).all()
        start = engagement.start_date
        months = []
        for step in range(IMPORT_MONTHS):
            index = start.year * 12 + start.month - 1 + step
            months.append(date(index // 12, index % 12 + 1, 1))
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["service_level", "period", "actual", "volume", "note"])
        core_rows = []
        for n, (level_id, name) in enumerate(levels):
            for m, month in enumerate(months):
                actual = f"{70 + (n * 7 + m * 3) % 30}.{(n + m) % 10}"
                writer.writerow([name, f"{month:%Y-%m}", actual, 1000 + m, ""])
                core_rows.append(
                    {
                        "service_level_id": level_id,
                        "engagement_id": engagement_id,
                        "period": month,
                        "actual": Decimal(actual),
                        "volume": 1000 + m,
                        "note": "",
                        "source": "import",
                        "version": 1,
                    }
                )
        data = out.getvalue().encode("utf-8")
        rows = len(core_rows)
        import_times, core_times = [], []
        for _ in range(repeat):
            vacuum_results(app)
            started = time.perf_counter()
            plan = import_results(engagement, data, False, user.id, user.email, date.today())
            db.session.flush()
            import_times.append(time.perf_counter() - started)
            if not plan.ok:
                raise RuntimeError(f"bench import failed: {plan.problems[:3]}")
            db.session.rollback()
            started = time.perf_counter()
            db.session.execute(insert(Measurement.__table__), core_rows)
            db.session.flush()
            core_times.append(time.perf_counter() - started)
            db.session.rollback()
        best_import, best_core = sorted(import_times)[repeat // 2], sorted(core_times)[repeat // 2]
        if profile:
            print_profile(
                lambda: import_results(engagement, data, False, user.id, "", date.today())
            )
            db.session.rollback()
    return (
        f"CSV import            {rows:,} rows ({len(data) / 1e6:.1f} MB) in {best_import:.2f} s = "
        f"{rows / best_import:,.0f} rows/s | bare Core bulk insert of the same rows "
        f"{best_core:.2f} s = {rows / best_core:,.0f} rows/s | import/insert "
        f"{best_import / best_core:.1f}x (median of {repeat})"
    )


def vacuum_results(app) -> None:
    """On PostgreSQL, clear the rows the previous rolled-back inserts left behind (autovacuum
    may be off or late): 60,000 dead rows per try made each next insert slower."""
    from vendor_tracker.extensions import db

    db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE bpo_measurements")


def print_profile(action) -> None:
    """cProfile of one run of `action`: the functions that took the most time themselves."""
    profiler = cProfile.Profile()
    profiler.runcall(action)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", help="SQLite file or database URL (default: generated file)")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="move start-up objects out of the garbage collector's reach, as a preloading "
        "server (gunicorn --preload with gc.freeze()) would",
    )
    parser.add_argument(
        "--import-only",
        action="store_true",
        help="time only the CSV import (median of --repeat), printing its cProfile",
    )
    args = parser.parse_args()
    app, _vendors = open_benchmark(args.target, vendors=1, default_file="bpo.sqlite3")
    if args.import_only:
        engagement_id = ensure_import_engagement(app)
        print(import_benchmark(app, engagement_id, args.repeat, profile=True))
        return
    from vendor_tracker.engagements.models import Engagement
    from vendor_tracker.extensions import db

    with app.app_context():
        ids = list(
            db.session.execute(
                select(Engagement.id)
                .where(Engagement.title.like("Bench BPO engagement %"))
                .order_by(Engagement.id)
            ).scalars()
        )
        results = db.session.execute(db.text("select count(*) from bpo_measurements")).scalar()
        dialect = db.engine.dialect.name
    if not ids:
        raise SystemExit("No bench data: run benchmarks/generate_bpo.py first.")
    engagement_id = ids[len(ids) // 2]
    client = login_client(app, "viewer")
    if args.gc_freeze:
        gc.collect()
        gc.freeze()
    print(
        f"BPO benchmark on {dialect}: {len(ids):,} bench engagements, {results:,} results, "
        f"{args.repeat} requests each{', gc.freeze() after start-up' if args.gc_freeze else ''}"
    )
    for label, url in (
        ("Engagement page", f"/engagements/{engagement_id}"),
        ("Portfolio page", "/bpo/portfolio"),
        ("Portfolio by critical", "/bpo/portfolio?sort=critical&dir=desc&page=7"),
    ):
        statements = captured_sql(app, lambda url=url: client.get(url))
        page = timings(lambda url=url: client.get(url), args.repeat)
        raw = timings(replay(app, statements), args.repeat)
        print(page_line(label, page, raw, len(statements)))
    chart = f"/bpo/engagements/{engagement_id}/charts/volume.svg"
    print(f"{'One chart (SVG)':<22} {fmt_ms(timings(lambda: client.get(chart), args.repeat))}")
    print(import_benchmark(app, ensure_import_engagement(app)))
    print(summary_benchmark(app, args.repeat))


def summary_benchmark(app, repeat: int) -> str:
    """The contracts reporting and selection call: every vendor, a quarter and 12 months; inbox."""
    from vendor_tracker.engagements.bpo.services import attention_items, vendor_bpo_summary
    from vendor_tracker.engagements.bpo.sla import first_of_month, shift_month
    from vendor_tracker.reporting.services import all_vendor_ids

    today = date.today()
    this_month = first_of_month(today)
    quarter_start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    lines = []
    with app.test_request_context():
        ids = all_vendor_ids(include_offboarded=True)
        for label, first in (
            ("quarter to date", quarter_start),
            ("last 12 months", shift_month(this_month, -11)),
        ):
            took = timings(
                lambda first=first: vendor_bpo_summary(ids, first, this_month, today), repeat
            )
            lines.append(f"vendor_bpo_summary, {len(ids)} vendors, {label}: {fmt_ms(took)}")
        took = timings(lambda: attention_items(today), repeat)
        lines.append(f"attention_items (breaches last month, credits pending): {fmt_ms(took)}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
