"""Small builders for domain rows; each returns an unsaved-but-added object (flush to get ids)."""

import itertools
from datetime import date
from decimal import Decimal

from vendor_tracker.auth.services import create_user
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import Certification, ServiceLine, Vendor
from vendor_tracker.vendors.taxonomy import seed_service_lines

_counter = itertools.count(1)


def seed_reference_data():
    """The service-line taxonomy every test database starts with."""
    return seed_service_lines()


def make_users(password):
    """admin@, manager@ and viewer@example.com, each with its role and `password`."""
    users = {}
    for role in ("admin", "manager", "viewer"):
        users[role] = create_user(f"{role}@example.com", password, role, role.capitalize())
    db.session.flush()
    return users


def make_provider(password, vendor, email="provider@example.com", name="Pat Provider"):
    """A provider user acting for `vendor` (default e-mail provider@example.com)."""
    user = create_user(email, password, "provider", name, vendor_id=vendor.id)
    db.session.flush()
    return user


def service_line(code="customer_support"):
    from sqlalchemy import select

    return db.session.execute(select(ServiceLine).where(ServiceLine.code == code)).scalar_one()


def make_vendor(name=None, status="approved", lines=("customer_support",), country="US", **kw):
    n = next(_counter)
    name = name or f"Vendor {n}"
    vendor = Vendor(
        name=name,
        name_key=name.lower(),
        hq_country=country,
        status=status,
        service_lines=[service_line(code) for code in lines],
        **kw,
    )
    db.session.add(vendor)
    db.session.flush()
    return vendor


def make_certification(vendor, name="ISO 27001", expires_on=None, issued_on=None):
    cert = Certification(vendor=vendor, name=name, expires_on=expires_on, issued_on=issued_on)
    db.session.add(cert)
    db.session.flush()
    return cert


def make_engagement(
    vendor=None,
    kind="BPO",
    line=None,
    title=None,
    start=date(2025, 1, 1),
    end=date(2026, 12, 31),
    status="active",
    **kw,
):
    vendor = vendor or make_vendor()
    line = line or ("customer_support" if kind == "BPO" else "market_research")
    defaults = {
        "pricing_model": "per_fte" if kind == "BPO" else "fixed_fee",
        "currency": "USD",
        "monthly_fee": Decimal("100000.00") if kind == "BPO" else None,
        "total_contract_value": None if kind == "BPO" else Decimal("240000.00"),
        "at_risk_pct": Decimal("10.00") if kind == "BPO" else None,
        "earn_back_months": 3 if kind == "BPO" else None,
    }
    defaults.update(kw)
    engagement = Engagement(
        vendor=vendor,
        title=title or f"Engagement {next(_counter)}",
        kind=kind,
        service_line=service_line(line),
        status=status,
        start_date=start,
        end_date=end,
        **defaults,
    )
    db.session.add(engagement)
    db.session.flush()
    return engagement
