"""Time the KPO engagement page and the review-stats API against their raw SQL.

    .venv/bin/python benchmarks/generate_kpo.py      # once: 1,000 KPO engagements x 20 deliverables
    .venv/bin/python benchmarks/bench_kpo.py [--target URL-or-file] [--repeat 50]

Requests go through the test client, signed in, so routing, login, rules, templates and charts
all count. "Raw SQL" replays the exact statements one request issued on a bare DB-API cursor.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from benchmarks.common import (  # noqa: E402
    BENCH_PASSWORD,
    BENCH_USERS,
    captured_sql,
    fmt_ms,
    login_client,
    open_benchmark,
    replay,
    timings,
)
from benchmarks.generate_kpo import DEFAULT_FILE  # noqa: E402


def line(label: str, measured: dict, raw: dict, queries: int) -> str:
    ratio = measured["p95"] / raw["p95"] if raw["p95"] else float("inf")
    fast = "yes" if measured["p95"] < 50 else "NO"
    close = "yes" if ratio <= 3 else "no"
    return (
        f"{label:<34} median {measured['median']:6.1f} ms  p95 {measured['p95']:6.1f} ms | "
        f"raw SQL ({queries:2d} statements) median {raw['median']:5.2f} ms  "
        f"p95 {raw['p95']:5.2f} ms | p95 ratio {ratio:5.1f}x | p95 < 50 ms: {fast}, "
        f"<= 3x raw SQL: {close}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", help="SQLite file or database URL (default: generated file)")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    app, _vendors = open_benchmark(args.target, default_file=DEFAULT_FILE)
    from vendor_tracker.engagements.kpo import charts
    from vendor_tracker.engagements.kpo.models import Deliverable, Review, Submission
    from vendor_tracker.engagements.models import Engagement
    from vendor_tracker.extensions import db

    with app.app_context():
        ids = list(
            db.session.execute(
                select(Engagement.id)
                .where(Engagement.title.like("Bench KPO engagement %"))
                .order_by(Engagement.id)
            ).scalars()
        )
        sizes = {
            name: db.session.execute(select(func.count()).select_from(model)).scalar_one()
            for name, model in (
                ("deliverables", Deliverable),
                ("versions", Submission),
                ("reviews", Review),
            )
        }
        dialect = db.engine.dialect.name
        if not ids:
            raise SystemExit("No bench data: run benchmarks/generate_kpo.py first.")
        engagement_id = ids[len(ids) // 2]
        deliverable_id = (
            db.session.execute(
                select(Deliverable.id)
                .where(Deliverable.engagement_id == engagement_id)
                .order_by(Deliverable.id.desc())
            )
            .scalars()
            .first()
        )

    page_client = login_client(app, "viewer")
    api_client = app.test_client()
    token = api_client.post(
        "/api/v1/auth/tokens", json={"email": BENCH_USERS["viewer"], "password": BENCH_PASSWORD}
    ).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}

    def charts_cold():
        # The page's three <img> charts, rendered afresh (the SVG cache is emptied first).
        charts._bar.cache_clear()
        charts._line.cache_clear()
        for name in ("rounds", "quality", "days"):
            answer = page_client.get(f"/kpo/engagements/{engagement_id}/charts/{name}.svg")
        return answer

    cases = (
        ("KPO engagement page", lambda: page_client.get(f"/engagements/{engagement_id}")),
        ("3 chart SVGs, not cached", charts_cold),
        (
            "review-stats API",
            lambda: api_client.get(
                f"/api/v1/engagements/{engagement_id}/review-stats", headers=headers
            ),
        ),
        ("deliverable page", lambda: page_client.get(f"/kpo/deliverables/{deliverable_id}")),
        (
            "deliverable API (rounds + figures)",
            lambda: api_client.get(f"/api/v1/deliverables/{deliverable_id}", headers=headers),
        ),
    )
    print(
        f"KPO benchmark on {dialect}: {len(ids):,} bench KPO engagements, "
        + ", ".join(f"{v:,} {k}" for k, v in sizes.items())
        + f"; engagement {engagement_id}, {args.repeat} requests each"
    )
    for label, send in cases:
        statements = captured_sql(app, send)
        measured = timings(send, args.repeat)
        raw = timings(replay(app, statements), args.repeat)
        print(line(label, measured, raw, len(statements)))
    # The floor any request pays (routing, session, login, security headers, one SELECT 1).
    floor = timings(lambda: page_client.get("/health"), args.repeat)
    print(
        f"{'request floor (GET /health)':<34} median {floor['median']:6.1f} ms  "
        f"p95 {floor['p95']:6.1f} ms"
    )
    print(summary_benchmark(app, args.repeat))


def summary_benchmark(app, repeat: int) -> str:
    """The contract reporting and selection call: every vendor, a quarter and 12 months; inbox."""
    from datetime import date, timedelta

    from vendor_tracker.engagements.kpo.services import attention_items, vendor_kpo_summary
    from vendor_tracker.reporting.services import all_vendor_ids

    today = date.today()
    quarter_start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    lines = []
    with app.test_request_context():
        ids = all_vendor_ids(include_offboarded=True)
        for label, first in (("quarter to date", quarter_start), ("last 12 months", None)):
            first = first or today - timedelta(days=365)
            took = timings(lambda first=first: vendor_kpo_summary(ids, first, today, today), repeat)
            lines.append(f"vendor_kpo_summary, {len(ids)} vendors, {label}: {fmt_ms(took)}")
        took = timings(lambda: attention_items(today), max(3, repeat // 5))
        lines.append(f"attention_items (overdue deliverables and action items): {fmt_ms(took)}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
