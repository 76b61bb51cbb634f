"""Demo service levels and 12-18 months of results for the three demo BPO engagements.

Invented figures with a story: warnings, breaches, a credit earned back, one pending, one final,
and a month nobody reported; for Concentrix, last month submitted by the provider and awaiting
verification, a disputed month and an open credit dispute. Running it again adds nothing that
already exists.
"""

import random
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from vendor_tracker.demo import demo_engagement
from vendor_tracker.engagements.bpo.models import Measurement, ServiceLevel
from vendor_tracker.engagements.bpo.sla import (
    Classification,
    Direction,
    Source,
    first_of_month,
    shift_month,
)
from vendor_tracker.extensions import db

# (name, library code, unit, direction, target, minimum, classification, allocation %,
#  good range (low, high), volume per month or None)
LEVELS = {
    ("Concentrix", "Customer support - North America voice"): [
        (
            "Service level (calls answered within 20 s)",
            "service_level",
            "%",
            "higher",
            "80",
            "75",
            "critical",
            "100",
            (80.5, 86.0),
            118_000,
        ),
        (
            "Customer satisfaction (4-5 ratings)",
            "customer_satisfaction",
            "%",
            "higher",
            "85",
            "80",
            "critical",
            "90",
            (85.5, 89.5),
            9_400,
        ),
        (
            "First contact resolution",
            "first_contact_resolution",
            "%",
            "higher",
            "75",
            "70",
            "critical",
            "60",
            (75.5, 79.0),
            118_000,
        ),
        (
            "Average handle time",
            "average_handle_time",
            "s",
            "lower",
            "360",
            "420",
            "key",
            None,
            (322, 355),
            118_000,
        ),
    ],
    ("Teleperformance", "Technical support - tiers 1 and 2"): [
        (
            "Service level (calls answered within 30 s)",
            "service_level",
            "%",
            "higher",
            "80",
            "75",
            "critical",
            "100",
            (80.2, 84.0),
            46_000,
        ),
        (
            "First contact resolution",
            "first_contact_resolution",
            "%",
            "higher",
            "70",
            "65",
            "critical",
            "75",
            (70.5, 74.0),
            46_000,
        ),
        (
            "Customer satisfaction (4-5 ratings)",
            "customer_satisfaction",
            "%",
            "higher",
            "82",
            "78",
            "critical",
            "75",
            (82.5, 87.0),
            5_100,
        ),
        (
            "Average speed of answer",
            "average_speed_of_answer",
            "s",
            "lower",
            "30",
            "45",
            "key",
            None,
            (19, 29),
            46_000,
        ),
        (
            "Abandonment rate",
            "abandonment_rate",
            "%",
            "lower",
            "5",
            "8",
            "key",
            None,
            (2.6, 4.8),
            46_000,
        ),
    ],
    ("Wipro BPO", "Accounts payable and payroll operations"): [
        (
            "Invoice processing accuracy",
            "transaction_accuracy",
            "%",
            "higher",
            "99.5",
            "98.5",
            "critical",
            "120",
            (99.52, 99.9),
            21_500,
        ),
        (
            "Invoice turnaround time",
            "turnaround_time",
            "hours",
            "lower",
            "24",
            "48",
            "critical",
            "80",
            (14, 23),
            21_500,
        ),
        (
            "Payroll accuracy",
            "transaction_accuracy",
            "%",
            "higher",
            "99.9",
            None,
            "critical",
            "50",
            (99.91, 99.99),
            3_200,
        ),
        (
            "Backlog at month end",
            "backlog",
            "items",
            "lower",
            "200",
            "500",
            "key",
            None,
            (60, 190),
            None,
        ),
    ],
}

# Scripted months (months before the current one) -> value, or None for "not reported".
EVENTS = {
    "Concentrix": {
        0: {9: "72.4", 4: "77.1"},  # breach earned back (8, 7, 6 met); later a warning
        1: {2: "78.0"},  # breach last-but-one month: pending earn-back
        2: {12: "71.5"},  # warning
        3: {5: "432"},  # key level breach: reported, no credit
    },
    "Teleperformance": {
        0: {6: "73.9", 5: "77.5"},  # breach, then a warning: the credit is final
        1: {3: "63.2"},  # breach earned back by 2 met months
        2: {4: None},  # nobody reported CSAT that month: a gap
        4: {7: "6.4"},  # warning on a key level
    },
    "Wipro BPO": {
        0: {8: "98.1"},  # breach earned back
        1: {2: "51"},  # breach, pending
        3: {10: "260", 3: None},  # a warning and a gap
    },
}


def _value(rng: random.Random, low: float, high: float, unit: str) -> Decimal:
    places = 0 if unit in ("items", "s") else 2 if unit == "%" and high > 99 else 1
    return Decimal(str(round(rng.uniform(low, high), places)))


def seed_demo(today: date) -> dict:
    """Attach service levels and monthly results to the demo BPO engagements (idempotent)."""
    levels_added = results_added = 0
    current = first_of_month(today)
    for (vendor, title), specs in LEVELS.items():
        engagement = demo_engagement(vendor, title)
        if engagement is None:
            continue
        existing = {
            lv.name: lv
            for lv in db.session.execute(
                select(ServiceLevel).where(ServiceLevel.engagement_id == engagement.id)
            ).scalars()
        }
        for position, spec in enumerate(specs, start=1):
            name, code, unit, direction, target, minimum, kind, allocation = spec[:8]
            if name in existing:
                continue
            level = ServiceLevel(
                engagement_id=engagement.id,
                name=name,
                metric_code=code,
                unit=unit,
                direction=Direction(direction),
                target=Decimal(target),
                minimum=Decimal(minimum) if minimum else None,
                classification=Classification(kind),
                allocation_pct=Decimal(allocation) if allocation else None,
                position=position,
            )
            db.session.add(level)
            existing[name] = level
            levels_added += 1
        db.session.flush()
        stored = set(
            db.session.execute(
                select(Measurement.service_level_id, Measurement.period).where(
                    Measurement.engagement_id == engagement.id
                )
            ).all()
        )
        start = first_of_month(engagement.start_date)
        for index, spec in enumerate(specs):
            level = existing[spec[0]]
            (low, high), volume = spec[8], spec[9]
            rng = random.Random(f"{vendor}/{spec[0]}")  # noqa: S311 - demo figures
            scripted = EVENTS.get(vendor, {}).get(index, {})
            for back in range(18, 0, -1):
                month = shift_month(current, -back)
                value = _value(rng, low, high, spec[2])
                month_volume = int(volume * rng.uniform(0.92, 1.08)) if volume else None
                if month < start or (level.id, month) in stored:
                    continue
                if back in scripted:
                    if scripted[back] is None:
                        continue
                    value = Decimal(scripted[back])
                db.session.add(
                    Measurement(
                        engagement_id=engagement.id,
                        service_level_id=level.id,
                        period=month,
                        actual=value,
                        volume=month_volume,
                        note="Missed after a storm outage." if back in scripted else "",
                        source=Source.IMPORT,
                    )
                )
                results_added += 1
    db.session.flush()
    from vendor_tracker.demo.bpo_reports import seed_reports

    reports_added, disputes_added = seed_reports(today, next(iter(LEVELS)))
    return {
        "BPO service levels": levels_added,
        "BPO monthly results": results_added,
        "BPO month reports": reports_added,
        "BPO credit disputes": disputes_added,
    }
