"""Idempotent loading of the demo data (`flask seed`): invented colleagues, providers,
engagements, and each domain's demo records (`demo.bpo`, `demo.kpo`, `demo.selection`,
`demo.reporting`, each a `seed_demo(today)` attaching data to `demo_engagement(...)`).

Only the `seed` command imports this package; the app at run time never does. Reference data the
app needs (taxonomy, KPI library, templates) is read through `core.reference` instead.
"""

import secrets
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from vendor_tracker.auth.services import create_user, user_by_email
from vendor_tracker.core.reference import load_json
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import (
    Certification,
    Contact,
    DeliveryCenter,
    ServiceLine,
    Vendor,
)
from vendor_tracker.vendors.taxonomy import seed_service_lines


def database_is_empty() -> bool:
    """True when no vendor exists yet."""
    return db.session.execute(select(func.count()).select_from(Vendor)).scalar_one() == 0


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def seed_users(rows: list[dict]) -> int:
    """Demo colleagues (owners, reviewers); their passwords are random until an admin sets one."""
    created = 0
    for row in rows:
        if not user_by_email(row["email"]):
            create_user(row["email"], secrets.token_urlsafe(16), row["role"], row["name"])
            created += 1
    db.session.flush()
    return created


# Demo provider users: the first contact of these demo vendors, signing in to the portal.
DEMO_PROVIDER_VENDORS = ("Concentrix", "Evalueserve")
# Where the seed keeps the demo providers' passwords ("e-mail password" lines), for `make run`.
DEMO_PROVIDER_LOGINS = "demo_provider_logins"


def demo_provider_logins_path() -> Path:
    """The instance file holding the demo provider users' passwords (read by `demo-admin`)."""
    return Path(current_app.instance_path) / DEMO_PROVIDER_LOGINS


def seed_provider_users() -> int:
    """A provider user for each of `DEMO_PROVIDER_VENDORS`, from its first contact, with a random
    password kept in the instance folder (printed by `make run` while it still opens the account,
    as the demo admin's)."""
    created = []
    for name in DEMO_PROVIDER_VENDORS:
        vendor = db.session.execute(
            select(Vendor).where(Vendor.name_key == name.lower())
        ).scalar_one_or_none()
        contact = vendor.contacts[0] if vendor is not None and vendor.contacts else None
        if contact is None or not contact.email or user_by_email(contact.email):
            continue
        password = secrets.token_urlsafe(12)
        create_user(contact.email, password, "provider", contact.name, vendor_id=vendor.id)
        created.append(f"{contact.email.lower()} {password}")
    if created:
        path = demo_provider_logins_path()
        kept = path.read_text().splitlines() if path.exists() else []
        path.write_text("\n".join([*kept, *created]) + "\n")
        path.chmod(0o600)
    db.session.flush()
    return len(created)


def _seed_vendor(row: dict, lines: dict[str, ServiceLine], today: date) -> tuple[Vendor, bool]:
    key = row["name"].lower()
    vendor = db.session.execute(select(Vendor).where(Vendor.name_key == key)).scalar_one_or_none()
    if vendor is not None:
        return vendor, False
    vendor = Vendor(
        name=row["name"],
        name_key=key,
        website=row["website"],
        hq_country=row["hq_country"],
        description=row["description"],
        status=row["status"],
        attrition_pct=Decimal(row["attrition_pct"]),
        languages=row["languages"],
        service_lines=[lines[code] for code in row["service_lines"]],
    )
    vendor.centers = [DeliveryCenter(**center) for center in row["centers"]]
    vendor.contacts = [Contact(**contact) for contact in row["contacts"]]
    vendor.certifications = [
        Certification(
            name=cert["name"],
            issued_on=today + timedelta(days=cert["issued_offset_days"]),
            expires_on=today + timedelta(days=cert["expires_offset_days"]),
        )
        for cert in row["certifications"]
    ]
    db.session.add(vendor)
    return vendor, True


def _seed_engagement(vendor: Vendor, row: dict, lines: dict, today: date) -> bool:
    exists = db.session.execute(
        select(Engagement.id).where(
            Engagement.vendor_id == vendor.id, Engagement.title == row["title"]
        )
    ).first()
    if exists:
        return False
    start = add_months(today, -row["start_months_ago"])
    end = add_months(start, row["duration_months"]) - timedelta(days=1)
    owner = user_by_email(row["owner"])
    money = {
        key: Decimal(row[key]) if row.get(key) else None
        for key in ("monthly_fee", "total_contract_value", "baseline_monthly_cost", "at_risk_pct")
    }
    db.session.add(
        Engagement(
            vendor=vendor,
            title=row["title"],
            kind=row["kind"],
            service_line=lines[row["service_line"]],
            status=row["status"],
            start_date=start,
            end_date=end,
            owner=owner,
            pricing_model=row["pricing_model"],
            currency=row["currency"],
            delivery_shore=row.get("delivery_shore"),
            earn_back_months=row.get("earn_back_months"),
            notes="Demo engagement with invented figures.",
            **money,
        )
    )
    return True


def seed_demo(today: date, lines: dict[str, ServiceLine]) -> dict[str, int]:
    """The demo colleagues, providers and engagements, then each domain's demo records."""
    # Imported here: each domain module imports `demo_engagement` from this package.
    from vendor_tracker.demo import bpo, files, kpo, reporting, selection

    data = load_json("demo_vendors.json")
    summary = {"users": seed_users(data["users"])}
    vendors = engagements = 0
    for row in data["vendors"]:
        vendor, created = _seed_vendor(row, lines, today)
        vendors += created
        db.session.flush()
        for engagement in row["engagements"]:
            engagements += _seed_engagement(vendor, engagement, lines, today)
    db.session.flush()
    summary.update({"vendors": vendors, "engagements": engagements})
    summary["provider users"] = seed_provider_users()
    for domain in (bpo, kpo, selection, reporting, files):
        summary.update(domain.seed_demo(today) or {})
        db.session.flush()
    return summary


def seed_all(today: date | None = None) -> dict[str, int]:
    """The taxonomy, then the demo data; running it again adds nothing that is already there."""
    today = today or date.today()
    lines = seed_service_lines()
    return {"service lines": len(lines), **seed_demo(today, lines)}


def demo_engagement(vendor_name: str, title: str) -> Engagement | None:
    """Find one of the demo engagements (domain seeders attach their data to these)."""
    return db.session.execute(
        select(Engagement)
        .join(Vendor)
        .where(Vendor.name_key == vendor_name.lower(), Engagement.title == title)
    ).scalar_one_or_none()
