"""Files on certificates: the scan of a certificate a vendor holds.

Registered with `files.owners` when the vendor pages load. The vendor's provider users see
their company's page in the portal, certificates included, and may add the scans themselves.
"""

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from vendor_tracker.extensions import db
from vendor_tracker.files.owners import Owner, register_owner
from vendor_tracker.vendors.models import Certification

KIND = "certificate"


@register_owner(KIND, table="certifications", deleted_with=("vendors",))
def describe_certificate(certificate_id: int) -> Owner | None:
    """A certificate as a record files attach to (None when there is no such certificate)."""
    certificate = db.session.execute(
        select(Certification)
        .where(Certification.id == certificate_id)
        .options(joinedload(Certification.vendor))
    ).scalar_one_or_none()
    if certificate is None:
        return None
    return Owner(
        kind=KIND,
        id=certificate.id,
        vendor_id=certificate.vendor_id,
        title=f"certificate {certificate.name} of {certificate.vendor.name}",
        url=url_for("vendors.detail", vendor_id=certificate.vendor_id, _anchor="certifications"),
        providers_see=True,
        providers_upload=True,
    )
