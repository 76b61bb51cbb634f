"""Demo data of the reporting package: risks per model's challenges, one QBR, idempotent."""

from datetime import date

from sqlalchemy import func, select

from vendor_tracker.demo import seed_all
from vendor_tracker.demo.reporting import seed_demo
from vendor_tracker.extensions import db
from vendor_tracker.reporting.models import ExchangeRate, Qbr, Risk
from vendor_tracker.vendors.models import Vendor


def test_demo_risks_follow_each_model_and_seeding_twice_adds_nothing(ctx):
    today = date(2026, 11, 21)
    seed_all(today)
    rows = db.session.execute(select(Vendor.name, Risk.category).join(Risk.vendor)).all()
    categories = {}
    for vendor, category in rows:
        categories.setdefault(vendor, set()).add(category.value)
    bpo = {"data_security", "attrition", "quality_control"}
    kpo = {"attrition", "quality_control", "communication"}
    assert categories["Concentrix"] == bpo and categories["Wipro BPO"] == bpo
    assert categories["Genpact"] == kpo and categories["PwC"] == kpo
    assert db.session.execute(select(func.count()).select_from(Qbr)).scalar_one() == 1
    assert seed_demo(today) == {"risks": 0, "QBRs": 0, "exchange rates": 0}
    assert db.session.execute(select(func.count()).select_from(ExchangeRate)).scalar_one() == 36
    assert db.session.execute(select(func.count()).select_from(Risk)).scalar_one() == 18
