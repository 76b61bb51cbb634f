"""Results, evidence and award of a sourcing request: loads rows, applies the scoring rules."""

from datetime import date, timedelta

from vendor_tracker.core.models import utcnow
from vendor_tracker.engagements.bpo import services as bpo_services
from vendor_tracker.engagements.bpo.contracts import BpoVendorSummary
from vendor_tracker.engagements.kpo import services as kpo_services
from vendor_tracker.engagements.kpo.contracts import KpoVendorSummary
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.engagements.rules import EngagementStatus
from vendor_tracker.extensions import db
from vendor_tracker.reporting import services as reporting_services
from vendor_tracker.reporting.scorecard import (
    Band,
    Standing,
    Trend,
    components_from_summaries,
    current_quarter,
)
from vendor_tracker.selection import scoring
from vendor_tracker.selection.models import SourcingRequest
from vendor_tracker.selection.rules import AwardCheck, RequestStatus, award_check
from vendor_tracker.selection.services import advisor_config, ensure_open

EVIDENCE_MONTHS = 12


def evaluate_request(request: SourcingRequest) -> scoring.Evaluation:
    """Rank the request's candidates from every submitted sheet (pure rule on loaded rows)."""
    criteria = [scoring.Criterion(c.id, c.name, c.weight) for c in request.criteria]
    evaluator_ids = [s.evaluator_id for s in request.sheets]
    scores = {
        (sheet.evaluator_id, score.candidate_id, score.criterion_id): score.value
        for sheet in request.sheets
        for score in sheet.scores
    }
    return scoring.evaluate([c.id for c in request.candidates], criteria, evaluator_ids, scores)


def comments_by_cell(request: SourcingRequest) -> dict[tuple[int, int, int], str]:
    """Every comment keyed (evaluator, candidate, criterion)."""
    return {
        (sheet.evaluator_id, s.candidate_id, s.criterion_id): s.comment
        for sheet in request.sheets
        for s in sheet.scores
        if s.comment
    }


def evidence_period(today: date) -> tuple[date, date]:
    """The last twelve complete months: first day of the first, last day of the last."""
    first_of_this_month = today.replace(day=1)
    index = today.year * 12 + today.month - 1 - EVIDENCE_MONTHS
    return date(index // 12, index % 12 + 1, 1), first_of_this_month - timedelta(days=1)


def track_records(vendor_ids: list[int], today: date) -> dict[int, dict]:
    """Per vendor its BPO and KPO history in this tracker over the evidence period, with the
    components whose sample is below the scorecard's minimum (shown, but too few to rate)."""
    first_day, last_day = evidence_period(today)
    last_month = last_day.replace(day=1)
    bpo: dict[int, BpoVendorSummary] = {}
    kpo: dict[int, KpoVendorSummary] = {}
    if vendor_ids:
        bpo = bpo_services.vendor_bpo_summary(vendor_ids, first_day, last_month, today)
        kpo = kpo_services.vendor_kpo_summary(vendor_ids, first_day, last_day, today)
    records = {}
    minimums = reporting_services.scorecard_settings().minimums if vendor_ids else None
    for vendor_id in vendor_ids:
        bpo_row = bpo.get(vendor_id)
        kpo_row = kpo.get(vendor_id)
        components = components_from_summaries(bpo_row, kpo_row, minimums)
        has_bpo = bool(bpo_row and bpo_row.reported)
        has_kpo = bool(kpo_row and (kpo_row.accepted or kpo_row.due))
        records[vendor_id] = {
            "bpo": bpo_row if has_bpo else None,
            "kpo": kpo_row if has_kpo else None,
            "has_history": has_bpo or has_kpo,
            "too_few": [c for c in components if c.too_few],
        }
    return records


def standings(vendor_ids: list[int], today: date) -> dict[int, Standing]:
    """Per vendor its standing this quarter from the reporting package (absent: not rated)."""
    found = reporting_services.current_standings(vendor_ids, today) if vendor_ids else {}
    period = current_quarter(today).key
    not_rated = Standing(None, Band.NOT_RATED, None, None, Trend.NEW, period)
    return {v: found.get(v) or not_rated for v in vendor_ids}


def results_view(request: SourcingRequest, today: date) -> dict:
    """Everything the results and decision-record pages show."""
    evaluation = evaluate_request(request)
    vendor_ids = [c.vendor_id for c in request.candidates]
    first_day, last_day = evidence_period(today)
    return {
        "evaluation": evaluation,
        "candidates": {c.id: c for c in request.candidates},
        "criteria": {c.id: c for c in request.criteria},
        "comments": comments_by_cell(request),
        "evidence": track_records(vendor_ids, today),
        "evidence_period": (first_day, last_day),
        "standings": standings(vendor_ids, today),
    }


def award_kpis(request: SourcingRequest) -> list[dict]:
    """The KPI library metrics an award may start with: those suiting the request's line."""
    line = request.service_line.code if request.service_line else None
    return bpo_services.kpi_library_for(line)


def suggested_kpi_codes(request: SourcingRequest) -> list[str]:
    """KPI library codes suggested for the request's service line group, less those that do not
    suit the service line itself (no inbound call-centre levels for outbound calling)."""
    suggestions = advisor_config()["suggested_kpis"]
    group = request.service_line.group if request.service_line else None
    suitable = {row["code"] for row in award_kpis(request)}
    return [c for c in suggestions.get(group) or suggestions["default"] if c in suitable]


def award(
    request: SourcingRequest,
    *,
    candidate_id: int,
    reason: str,
    kind: str | None,
    pricing_model: str,
    start_date: date,
    kpi_codes: list[str],
    user,
    today: date,
) -> tuple[Engagement | None, AwardCheck]:
    """Pick a candidate and create the planned engagement, or return why not."""
    ensure_open(request)
    candidate = next((c for c in request.candidates if c.id == candidate_id), None)
    if candidate is None:
        return None, AwardCheck({"candidate_id": "Pick a candidate from the shortlist."})
    if request.service_line is None:
        return None, AwardCheck({"_request": "Set the request's service line before awarding."})
    evaluation = evaluate_request(request)
    band = standings([candidate.vendor_id], today)[candidate.vendor_id].band
    check = award_check(
        request_status=request.status.value,
        is_top_ranked=candidate_id in evaluation.leaders,
        reason=reason,
        vendor_status=candidate.vendor.status.value,
        standing_band=band,
        user_is_admin=user.can("admin"),
        kind=kind,
        service_line_model=request.service_line.model.value,
    )
    if not check.ok:
        return None, check
    engagement = Engagement(
        vendor=candidate.vendor,
        title=request.title,
        kind=kind,
        service_line=request.service_line,
        status=EngagementStatus.PLANNED,
        start_date=start_date,
        owner_id=request.owner_id or user.id,
        pricing_model=pricing_model,
        currency=request.currency,
        notes=f"Awarded from sourcing request #{request.id}. {reason.strip()}".strip(),
    )
    db.session.add(engagement)
    db.session.flush()
    if kind == "BPO":
        bpo_services.add_suggested_service_levels(engagement, kpi_codes)
    else:
        kpo_services.ensure_rubric(engagement, None)
    request.status = RequestStatus.AWARDED
    request.award_vendor_id = candidate.vendor_id
    request.award_reason = reason.strip()
    request.awarded_at = utcnow()
    request.awarded_by_id = user.id
    request.engagement = engagement
    db.session.flush()
    return engagement, check
