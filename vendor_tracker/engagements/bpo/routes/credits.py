"""The credits ledger page and its CSV download."""

from datetime import date

from flask import (
    render_template,
)

from vendor_tracker.auth.decorators import (
    for_providers,
)
from vendor_tracker.core.exports import csv_response
from vendor_tracker.engagements.bpo import services
from vendor_tracker.engagements.bpo.exports import ledger_csv
from vendor_tracker.engagements.bpo.ledger_page import ledger_view
from vendor_tracker.engagements.bpo.routes.blueprint import bp


@bp.route("/engagements/<int:engagement_id>/credits")
@for_providers
def credits(engagement_id: int):
    engagement = services.bpo_engagement_or_404(engagement_id)
    view = ledger_view(engagement, date.today())
    return render_template(
        "bpo/credits.html",
        engagement=engagement,
        ledger=view.ledger,
        view=view,
        terms=services.credit_terms(engagement),
        engagement_url=services.engagement_url(engagement_id),
    )


@bp.route("/engagements/<int:engagement_id>/credits.csv")
@for_providers
def credits_csv(engagement_id: int):
    engagement = services.bpo_engagement_or_404(engagement_id)
    view = ledger_view(engagement, date.today(), forms=False)
    body = ledger_csv(view.ledger, engagement.currency, view.provisional, view.waiver_notes())
    return csv_response(body, f"credits-engagement-{engagement_id}.csv")
