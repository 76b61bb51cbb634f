"""Files on versions: a version (submission) is a record files attach to.

Registered with `files.owners` when the kpo pages load. The provider delivering the deliverable
sees and adds files of its versions; once a version is reviewed, its files are what was
reviewed: they stay as they are (a new version supersedes them).
"""

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from vendor_tracker.engagements.kpo.models import Deliverable, Submission
from vendor_tracker.extensions import db
from vendor_tracker.files.owners import Owner, register_owner

KIND = "submission"


@register_owner(
    KIND, table="kpo_submissions", deleted_with=("kpo_deliverables", "engagements", "vendors")
)
def describe_submission(submission_id: int) -> Owner | None:
    """A version as a record files attach to (None when there is no such version)."""
    submission = db.session.execute(
        select(Submission)
        .where(Submission.id == submission_id)
        .options(
            selectinload(Submission.review),
            joinedload(Submission.deliverable).joinedload(Deliverable.engagement),
        )
    ).scalar_one_or_none()
    if submission is None:
        return None
    deliverable = submission.deliverable
    review = submission.review
    locked = None
    if review is not None:
        locked = (
            f"Version {submission.version} was reviewed on {review.reviewed_on:%d %b %Y}: "
            "its files are the ones reviewed and cannot change."
        )
    return Owner(
        kind=KIND,
        id=submission.id,
        vendor_id=deliverable.engagement.vendor_id,
        title=f"version {submission.version} of {deliverable.title}",
        url=url_for(
            "kpo.deliverable",
            kpo_deliverable_id=deliverable.id,
            _anchor=f"version-{submission.version}",
        ),
        providers_see=True,
        providers_upload=True,
        locked_because=locked,
    )
