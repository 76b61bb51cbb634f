"""The service-line taxonomy: reference data every installation loads (seed_data/)."""

from sqlalchemy import select

from vendor_tracker.core.reference import load_json
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import ServiceLine


def seed_service_lines() -> dict[str, ServiceLine]:
    """Create or update the service-line taxonomy; return it by code."""
    existing = {s.code: s for s in db.session.execute(select(ServiceLine)).scalars()}
    for row in load_json("service_lines.json"):
        line = existing.get(row["code"]) or ServiceLine(code=row["code"])
        line.name, line.model, line.group = row["name"], row["model"], row["group"]
        line.description = row.get("description", "")
        db.session.add(line)
        existing[row["code"]] = line
    db.session.flush()
    return existing
