"""Build a large BPO data set: engagements x service levels x months of results, in bulk.

    .venv/bin/python benchmarks/generate_bpo.py                      # benchmarks/data/bpo.sqlite3
    .venv/bin/python benchmarks/generate_bpo.py --target postgresql+psycopg://.../vt_bench
    .venv/bin/python benchmarks/generate_bpo.py --engagements 1000 --levels 10 --months 36

Idempotent: engagements already there (by title) are kept with their results.
"""

import argparse
import random
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from benchmarks.common import open_benchmark  # noqa: E402

# (name, unit, direction, target, minimum, classification, allocation, met range)
LEVELS = [
    ("Service level (20 s)", "%", "higher", "80", "75", "critical", "100", (80, 88)),
    ("Customer satisfaction", "%", "higher", "85", "80", "critical", "60", (85, 92)),
    ("First contact resolution", "%", "higher", "75", "70", "critical", "50", (75, 82)),
    ("Transaction accuracy", "%", "higher", "99.5", None, "critical", "40", (99.5, 99.95)),
    ("Average handle time", "s", "lower", "360", "420", "key", None, (300, 360)),
    ("Average speed of answer", "s", "lower", "30", "45", "key", None, (15, 30)),
    ("Abandonment rate", "%", "lower", "5", "8", "key", None, (1, 5)),
    ("Turnaround time", "hours", "lower", "24", "48", "key", None, (8, 24)),
    ("Backlog", "items", "lower", "200", "500", "key", None, (20, 200)),
    ("Agent attrition", "%", "lower", "3", "5", "key", None, (0.5, 3)),
]
CHUNK = 20_000


def shift(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def level_specs(count: int) -> list[tuple]:
    """`count` service-level definitions, cycling through the ten realistic ones."""
    specs = []
    for n in range(count):
        base = LEVELS[n % len(LEVELS)]
        name = base[0] if n < len(LEVELS) else f"{base[0]} #{n // len(LEVELS) + 1}"
        specs.append((name, *base[1:]))
    return specs


def result_value(rng: random.Random, spec: tuple) -> Decimal:
    """Mostly met, some warnings, a few breaches."""
    _name, unit, direction, target, minimum, _kind, _alloc, (low, high) = spec
    roll = rng.random()
    value = rng.uniform(low, high)
    if roll > 0.90:
        floor = float(minimum or target)
        gap = abs(float(target) - floor) or float(target) * 0.02
        sign = -1 if direction == "higher" else 1
        value = float(target) + sign * gap * (0.5 if roll < 0.96 else 1.5)
    if unit == "%":
        value = min(max(value, 0.0), 100.0)
    return Decimal(f"{max(value, 0.0):.2f}")


def generate(
    target: str | None,
    engagements: int,
    levels: int,
    months: int,
    gap_rate: float = 0.0,
    seed: int = 42,
):
    """Create what is missing; return counts and seconds."""
    from vendor_tracker.engagements.bpo.models import Measurement, ServiceLevel
    from vendor_tracker.engagements.models import Engagement
    from vendor_tracker.extensions import db
    from vendor_tracker.vendors.models import ServiceLine

    app, vendor_ids = open_benchmark(
        target, vendors=max(1, engagements // 5), default_file="bpo.sqlite3"
    )
    rng = random.Random(seed)
    started = time.perf_counter()
    with app.app_context():
        line_id = db.session.execute(
            select(ServiceLine.id).where(ServiceLine.code == "customer_support")
        ).scalar_one()
        today = date.today()
        first = shift(date(today.year, today.month, 1), -months)
        titles = [f"Bench BPO engagement {n:05d}" for n in range(1, engagements + 1)]
        existing = set(
            db.session.execute(
                select(Engagement.title).where(Engagement.title.like("Bench BPO engagement %"))
            ).scalars()
        )
        new_rows = [
            {
                "vendor_id": vendor_ids[n % len(vendor_ids)],
                "title": title,
                "kind": "BPO",
                "service_line_id": line_id,
                "status": "active" if n % 10 else "completed",
                "start_date": first,
                "end_date": shift(first, months + 12) if n % 10 else shift(first, months - 1),
                "pricing_model": "per_fte",
                "currency": "USD",
                "monthly_fee": Decimal(100_000 + 1_000 * (n % 50)),
                "at_risk_pct": Decimal("12"),
                "earn_back_months": 3,
                "notes": "",
                "version": 1,
            }
            for n, title in enumerate(titles)
            if title not in existing
        ]
        if new_rows:
            db.session.execute(insert(Engagement), new_rows)
        ids = dict(
            db.session.execute(
                select(Engagement.title, Engagement.id).where(
                    Engagement.title.like("Bench BPO engagement %")
                )
            ).all()
        )
        fresh = [ids[row["title"]] for row in new_rows]
        specs = level_specs(levels)
        level_rows = [
            {
                "engagement_id": engagement_id,
                "name": spec[0],
                "unit": spec[1],
                "direction": spec[2],
                "target": Decimal(spec[3]),
                "minimum": Decimal(spec[4]) if spec[4] else None,
                "classification": spec[5],
                "allocation_pct": Decimal(spec[6]) if spec[6] else None,
                "position": index,
                "version": 1,
            }
            for engagement_id in fresh
            for index, spec in enumerate(specs)
        ]
        if level_rows:
            db.session.execute(insert(ServiceLevel), level_rows)
        level_ids = db.session.execute(
            select(ServiceLevel.id, ServiceLevel.engagement_id, ServiceLevel.position).where(
                ServiceLevel.engagement_id.in_(fresh) if fresh else False
            )
        ).all()
        results = 0
        batch = []
        table = Measurement.__table__
        for level_id, engagement_id, position in level_ids:
            spec = specs[position]
            for step in range(months):
                if gap_rate and rng.random() < gap_rate:  # nobody reported that month
                    continue
                batch.append(
                    {
                        "service_level_id": level_id,
                        "engagement_id": engagement_id,
                        "period": shift(first, step),
                        "actual": result_value(rng, spec),
                        "volume": rng.randint(20_000, 60_000),
                        "note": "",
                        "source": "import",
                        "version": 1,
                    }
                )
                if len(batch) >= CHUNK:
                    db.session.execute(insert(table), batch)
                    results += len(batch)
                    batch = []
        if batch:
            db.session.execute(insert(table), batch)
            results += len(batch)
        db.session.commit()
        total = db.session.execute(select(func.count()).select_from(Measurement)).scalar_one()
    return {
        "engagements created": len(new_rows),
        "service levels created": len(level_rows),
        "results created": results,
        "results in database": total,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", help="SQLite file or database URL")
    parser.add_argument("--engagements", type=int, default=1000)
    parser.add_argument("--levels", type=int, default=10)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument(
        "--gap-rate", type=float, default=0.0, help="share of months left unreported (0..1)"
    )
    args = parser.parse_args()
    summary = generate(args.target, args.engagements, args.levels, args.months, args.gap_rate)
    print(", ".join(f"{key}: {value}" for key, value in summary.items()))


if __name__ == "__main__":
    main()
