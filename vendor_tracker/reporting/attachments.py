"""Files on QBRs: the deck and the minutes of a quarterly business review.

Registered with `files.owners` when the reporting pages load. QBRs are the client's records:
providers' users neither see nor add their files.
"""

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from vendor_tracker.extensions import db
from vendor_tracker.files.owners import Owner, register_owner
from vendor_tracker.reporting.models import Qbr

KIND = "qbr"


@register_owner(KIND, table="qbrs", deleted_with=("vendors",))
def describe_qbr(qbr_id: int) -> Owner | None:
    """A QBR as a record files attach to (None when there is no such QBR)."""
    qbr = db.session.execute(
        select(Qbr).where(Qbr.id == qbr_id).options(joinedload(Qbr.vendor))
    ).scalar_one_or_none()
    if qbr is None:
        return None
    return Owner(
        kind=KIND,
        id=qbr.id,
        vendor_id=qbr.vendor_id,
        title=f"{qbr} with {qbr.vendor.name}",
        url=url_for("reporting.qbr_detail", qbr_id=qbr.id, _anchor="files"),
    )
