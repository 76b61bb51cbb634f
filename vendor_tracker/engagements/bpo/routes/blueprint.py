"""The bpo blueprint and the template helpers its pages share."""

from decimal import ROUND_HALF_UP, Decimal

from flask import (
    Blueprint,
)

from vendor_tracker.engagements.bpo import services

bp = Blueprint("bpo", __name__, url_prefix="/bpo")


@bp.app_template_filter("bpo_number")
def bpo_number(value) -> str:
    """A measured value with at most two decimals and no trailing zeros; None reads 'no data'."""
    if value is None:
        return "no data"
    text = f"{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@bp.app_template_global("bpo_engagement_url")
def bpo_engagement_url(engagement_id: int) -> str:
    return services.engagement_url(engagement_id)


@bp.app_template_global("bpo_open_credit_disputes")
def bpo_open_credit_disputes(vendor_id: int) -> list:
    """A vendor's open credit disputes (engagement, level, month, category), for the QBR pack."""
    from vendor_tracker.engagements.bpo.disputes import open_disputes_for_vendor

    return open_disputes_for_vendor(vendor_id)
