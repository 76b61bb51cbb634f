"""Build a large KPO data set: engagements x deliverables x 1-4 review rounds, in bulk.

    .venv/bin/python benchmarks/generate_kpo.py                      # benchmarks/data/bpo.sqlite3
    .venv/bin/python benchmarks/generate_kpo.py --target postgresql+psycopg://.../vt_bench
    .venv/bin/python benchmarks/generate_kpo.py --engagements 1000 --deliverables 20

Writes into the same benchmark database as the BPO generator. Idempotent: engagements already
there (by title) are kept with their deliverables. Quality scores come from the review rules.
"""

import argparse
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from benchmarks.common import open_benchmark  # noqa: E402

DEFAULT_FILE = "bpo.sqlite3"  # the BPO generator's database: one benchmark database for both
TITLE = "Bench KPO engagement {:05d}"
TYPES = ["report", "financial_model", "research_brief", "contract_review", "dataset", "other"]
CHUNK = 20_000


def _rubric() -> list[tuple[str, int, str]]:
    from vendor_tracker.core.reference import load_json

    return [(c["name"], c["weight"], c["description"]) for c in load_json("default_rubric.json")]


def _plan_rounds(rng: random.Random, due: date, today: date) -> list[tuple]:
    """(submitted, reviewed | None, decision | None, scores | None, hours) per round."""
    outcome = rng.random()
    if outcome < 0.06 and due > today - timedelta(days=20):
        return []  # not submitted yet (some of these are overdue)
    rounds = rng.choice((1, 1, 1, 2, 2, 3, 4))
    day = due - timedelta(days=rng.randint(-5, 10))
    planned = []
    for n in range(1, rounds + 1):
        last = n == rounds
        if day > today:
            break
        review_day = day + timedelta(days=rng.randint(0, 6))
        if review_day > today or (last and outcome < 0.12):
            planned.append((day, None, None, None, rng.randint(4, 80)))  # still in review
            break
        if not last:
            decision = "changes_requested"
        elif outcome < 0.16:
            decision = "rejected"
        elif outcome < 0.20:
            decision = "changes_requested"
        else:
            decision = "accepted"
        base = 2 + n if decision != "rejected" else 2
        scores = tuple(min(5, max(1, base + rng.randint(-1, 1))) for _ in range(5))
        planned.append((day, review_day, decision, scores, rng.randint(4, 80) // n))
        day = review_day + timedelta(days=rng.randint(1, 9))
    return planned


def generate(target: str | None, engagements: int, deliverables: int, seed: int = 7) -> dict:
    """Create what is missing; return counts and seconds."""
    from vendor_tracker.auth.models import User
    from vendor_tracker.engagements.kpo import models as kpo
    from vendor_tracker.engagements.kpo.review import CriterionScore, quality_score
    from vendor_tracker.engagements.models import Engagement
    from vendor_tracker.extensions import db
    from vendor_tracker.vendors.models import ServiceLine

    app, vendor_ids = open_benchmark(
        target, vendors=max(1, engagements // 5), default_file=DEFAULT_FILE
    )
    rng = random.Random(seed)
    started = time.perf_counter()
    rubric = _rubric()
    today = date.today()
    counts = dict.fromkeys(("engagements", "deliverables", "submissions", "reviews"), 0)
    with app.app_context():
        lines = (
            db.session.execute(
                select(ServiceLine.id).where(ServiceLine.model == "KPO").order_by(ServiceLine.id)
            )
            .scalars()
            .all()
        )
        reviewer_ids = db.session.execute(select(User.id).order_by(User.id)).scalars().all()
        titles = [TITLE.format(n) for n in range(1, engagements + 1)]
        existing = set(
            db.session.execute(
                select(Engagement.title).where(Engagement.title.like("Bench KPO engagement %"))
            ).scalars()
        )
        new_rows = [
            {
                "vendor_id": vendor_ids[n % len(vendor_ids)],
                "title": title,
                "kind": "KPO",
                "service_line_id": lines[n % len(lines)],
                "status": "active",
                "start_date": today - timedelta(days=540),
                "end_date": today + timedelta(days=180),
                "pricing_model": "fixed_fee",
                "currency": "USD",
                "total_contract_value": Decimal(250_000 + 1_000 * (n % 90)),
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
                    Engagement.title.like("Bench KPO engagement %")
                )
            ).all()
        )
        fresh = [ids[row["title"]] for row in new_rows]
        counts["engagements"] = len(fresh)

        # Explicit ids let children reference parents without reading them back.
        next_id = {
            model: (db.session.execute(select(func.max(model.id))).scalar() or 0) + 1
            for model in (kpo.Deliverable, kpo.Submission, kpo.Review)
        }
        batches: dict = {t: [] for t in ("crit", "del", "sub", "rev", "score", "tp", "item")}

        def flush(force: bool = False) -> None:
            order = (
                ("crit", kpo.RubricCriterion),
                ("del", kpo.Deliverable),
                ("sub", kpo.Submission),
                ("rev", kpo.Review),
                ("score", kpo.ReviewScore),
                ("tp", kpo.Touchpoint),
                ("item", kpo.ActionItem),
            )
            if not force and sum(len(b) for b in batches.values()) < CHUNK:
                return
            for key, model in order:  # parents before children
                if batches[key]:
                    db.session.execute(insert(model.__table__), batches[key])
                    batches[key] = []

        for engagement_id in fresh:
            for position, (name, weight, description) in enumerate(rubric):
                batches["crit"].append(
                    {
                        "engagement_id": engagement_id,
                        "position": position,
                        "name": name,
                        "weight": weight,
                        "description": description,
                    }
                )
            for n in range(deliverables):
                d_id = next_id[kpo.Deliverable]
                next_id[kpo.Deliverable] += 1
                due = today - timedelta(days=500) + timedelta(days=n * 27 + rng.randint(0, 20))
                reviewer = reviewer_ids[n % len(reviewer_ids)]
                batches["del"].append(
                    {
                        "id": d_id,
                        "engagement_id": engagement_id,
                        "title": f"Deliverable {n + 1:02d}: {TYPES[n % len(TYPES)]}",
                        "description": "",
                        "type": TYPES[n % len(TYPES)],
                        "due_on": due,
                        "lead_reviewer_id": reviewer,
                        "version": 1,
                    }
                )
                counts["deliverables"] += 1
                for version, (sub_on, rev_on, decision, scores, hours) in enumerate(
                    _plan_rounds(rng, due, today), start=1
                ):
                    s_id = next_id[kpo.Submission]
                    next_id[kpo.Submission] += 1
                    batches["sub"].append(
                        {
                            "id": s_id,
                            "deliverable_id": d_id,
                            "version": version,
                            "submitted_on": sub_on,
                            "summary": "",
                            "reference": f"DOC-{s_id}",
                            "effort_hours": Decimal(hours),
                        }
                    )
                    counts["submissions"] += 1
                    if decision is None:
                        continue
                    r_id = next_id[kpo.Review]
                    next_id[kpo.Review] += 1
                    scored = [
                        CriterionScore(c[0], c[1], s) for c, s in zip(rubric, scores, strict=True)
                    ]
                    batches["rev"].append(
                        {
                            "id": r_id,
                            "submission_id": s_id,
                            "deliverable_id": d_id,
                            "reviewer_id": reviewer,
                            "reviewed_on": rev_on,
                            "decision": decision,
                            "feedback": "" if decision == "accepted" else "Revise.",
                            "quality_score": Decimal(str(quality_score(scored))),
                        }
                    )
                    batches["score"].extend(
                        {
                            "review_id": r_id,
                            "criterion_name": s.name,
                            "weight": s.weight,
                            "score": s.score,
                        }
                        for s in scored
                    )
                    counts["reviews"] += 1
            flush()
        flush(force=True)
        db.session.commit()
        # Touchpoints need their own ids for action items: insert them, then read them back.
        tp_rows = [
            {
                "engagement_id": engagement_id,
                "held_on": today - timedelta(days=30 * k + 3),
                "type": ("kick_off", "working_session", "steering_meeting", "review_call")[k],
                "attendees": "Client lead; provider team",
                "notes": "",
            }
            for engagement_id in fresh
            for k in range(4)
        ]
        for start in range(0, len(tp_rows), CHUNK):
            db.session.execute(insert(kpo.Touchpoint.__table__), tp_rows[start : start + CHUNK])
        touchpoints = db.session.execute(
            select(kpo.Touchpoint.id, kpo.Touchpoint.engagement_id, kpo.Touchpoint.held_on).where(
                kpo.Touchpoint.engagement_id.in_(fresh) if fresh else False
            )
        ).all()
        items = [
            {
                "touchpoint_id": tp_id,
                "engagement_id": engagement_id,
                "text": f"Follow-up {k + 1}",
                "owner": "Provider PM",
                "due_on": held_on + timedelta(days=14),
                "done": k == 0,
                "done_on": held_on + timedelta(days=10) if k == 0 else None,
            }
            for tp_id, engagement_id, held_on in touchpoints
            for k in range(2)
        ]
        for start in range(0, len(items), CHUNK):
            db.session.execute(insert(kpo.ActionItem.__table__), items[start : start + CHUNK])
        db.session.commit()
        total = db.session.execute(
            select(func.count()).select_from(Engagement).where(Engagement.kind == "KPO")
        ).scalar_one()
    return {
        **{f"{k} created": v for k, v in counts.items()},
        "KPO engagements in database": total,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", help="SQLite file or database URL")
    parser.add_argument("--engagements", type=int, default=1000)
    parser.add_argument("--deliverables", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    result = generate(args.target, args.engagements, args.deliverables, args.seed)
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
