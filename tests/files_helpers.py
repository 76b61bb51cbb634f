"""Shared set-up of the files tests: two vendors, each with a KPO version in review, and a
provider's user for each."""

from datetime import date
from io import BytesIO

from tests.factories import make_vendor
from tests.factories_kpo import add_round, make_deliverable, make_kpo_engagement, make_provider_user
from vendor_tracker.extensions import db

HELLO = b"hello world\n"  # 12 bytes
# sha256sum of the 12 bytes above, as the coreutils tool prints it.
HELLO_SHA256 = "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447"
PROVIDER_A = "kpo.provider.a@example.com"
PROVIDER_B = "kpo.provider.b@example.com"


def two_vendors(app) -> dict:
    """Vendor A and vendor B, a deliverable each with version 1 in review; ids by name."""
    with app.app_context():
        ids = {}
        for tag, email in (("a", PROVIDER_A), ("b", PROVIDER_B)):
            vendor = make_vendor(name=f"Vendor {tag.upper()}")
            engagement = make_kpo_engagement(vendor=vendor)
            deliverable = make_deliverable(engagement, title=f"Report {tag.upper()}")
            submission = add_round(deliverable, date(2026, 3, 1))
            make_provider_user(vendor.id, email=email)
            ids |= {
                f"vendor_{tag}": vendor.id,
                f"deliverable_{tag}": deliverable.id,
                f"submission_{tag}": submission.id,
            }
        db.session.commit()
        return ids


def file_part(content: bytes = HELLO, name: str = "notes.txt", content_type="text/plain"):
    """A multipart `file` part for the test client."""
    return {"file": (BytesIO(content), name, content_type)}
