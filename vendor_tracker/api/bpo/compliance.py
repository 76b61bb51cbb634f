"""API endpoint for compliance: statuses, attainment and the credits ledger over a window."""

from datetime import date

from flask.views import MethodView

from vendor_tracker.api.bpo.blueprint import blp
from vendor_tracker.api.bpo.schemas import (
    MAX_WINDOW_MONTHS,
    ComplianceSchema,
    ServiceLevelSchema,
    WindowQuerySchema,
)
from vendor_tracker.api.common import fail
from vendor_tracker.auth.decorators import for_providers
from vendor_tracker.engagements.bpo import reports, services
from vendor_tracker.engagements.bpo.sla import first_of_month, shift_month


def _window(args) -> tuple[date, date]:
    today = date.today()
    last = args.get("to") or first_of_month(today)
    first = args.get("from_") or shift_month(last, -11)
    if first > last:
        fail(422, "`from` must not be after `to`.", {"from": ["Must not be after `to`."]})
    if (last.year - first.year) * 12 + last.month - first.month >= MAX_WINDOW_MONTHS:
        fail(422, "Ask for at most 120 months.", {"from": ["At most 120 months per request."]})
    return first, last


def _attainment(a) -> dict:
    return {
        "met": a.met,
        "reported": a.reported,
        "expected": a.expected,
        "rate": a.rate,
        "coverage": a.coverage,
    }


@blp.route("/engagements/<int:engagement_id>/compliance")
class Compliance(MethodView):
    @for_providers
    @blp.arguments(WindowQuerySchema, location="query")
    @blp.response(200, ComplianceSchema)
    def get(self, args, engagement_id):
        """Status and actual per level and month, attainment with coverage, credits per month."""
        engagement = services.bpo_engagement_or_404(engagement_id)
        first, last = _window(args)
        today = date.today()
        levels = services.service_levels_of(engagement_id)
        report = services.compliance_report(engagement, first, last, today, levels)
        by_id = {lv.id: lv for lv in levels}
        provisional = reports.provisional_months([engagement_id])[engagement_id]
        level_rows = []
        for lr in report.levels:
            row = ServiceLevelSchema().dump(by_id[lr.level.id])
            row["attainment"] = _attainment(lr.attainment)
            row["months"] = [
                {
                    "period": m,
                    "status": c.status.value,
                    "actual": c.actual,
                    "volume": c.volume,
                    "provisional": m in provisional,
                }
                for m in report.months
                if (c := lr.cell(m)) is not None
            ]
            level_rows.append(row)
        terms = services.credit_terms(engagement)
        ledger = report.ledger
        return {
            "engagement_id": engagement_id,
            "from_": first,
            "to": last,
            "levels": level_rows,
            "attainment": {
                "critical": _attainment(report.critical),
                "key": _attainment(report.key),
                "overall": _attainment(report.overall),
            },
            "credits": {
                "currency": engagement.currency,
                "monthly_fee": engagement.monthly_fee,
                "at_risk_pct": engagement.at_risk_pct,
                "at_risk_per_month": terms.at_risk_amount,
                "earn_back_months": terms.earn_back_months,
                "months": [
                    {
                        "period": line.month,
                        "breaches": [
                            {
                                "service_level_id": c.level_id,
                                "name": c.level_name,
                                "allocation_pct": c.allocation_pct,
                                "amount": c.amount,
                                "earn_back": c.state.value,
                                "waived": c.waived,
                            }
                            for c in line.credits
                        ],
                        "gross": line.gross,
                        "earned_back": line.earned_back,
                        "pending": line.pending,
                        "cap_applied": line.cap_applied,
                        "cap_reduction": line.cap_reduction,
                        "payable": line.payable,
                        "waived": line.waived,
                        "provisional": line.month in provisional,
                    }
                    for line in ledger.months
                ],
                "totals": ledger,
            },
        }
