"""The kpo blueprint and what its page modules share: engagement links and the scoped loader."""

from flask import Blueprint, abort, url_for
from werkzeug.routing import BuildError

from vendor_tracker.auth.scope import in_scope
from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo import services
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db

bp = Blueprint("kpo", __name__, url_prefix="/kpo")


def engagement_url(engagement_id: int) -> str:
    """The engagement page (owned by the engagements package)."""
    try:
        return url_for("engagements.detail", engagement_id=engagement_id)
    except BuildError:
        return f"/engagements/{engagement_id}"


@bp.app_context_processor
def _helpers():
    return {"kpo_engagement_url": engagement_url, "kpo_rules": rules}


def kpo_engagement_or_404(engagement_id: int) -> Engagement:
    """The KPO engagement with that id, or 404."""
    engagement = db.session.get(Engagement, engagement_id)
    # Another vendor's engagement is not found for a provider's user, as a missing one.
    if not services.is_kpo(engagement) or not in_scope(engagement.vendor_id):
        abort(404, description="No KPO engagement with that id.")
    return engagement
