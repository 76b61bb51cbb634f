"""Scorecards of one vendor or of every vendor, for a quarter or the trailing twelve months."""

from datetime import date

from marshmallow import Schema, fields, validate

from vendor_tracker.api.common import (
    ErrorSchema,
    PageArgsSchema,
    check_id,
    fail,
    page_of,
)
from vendor_tracker.api.reporting.blueprint import blp, documented
from vendor_tracker.extensions import db
from vendor_tracker.reporting import score_reads, services
from vendor_tracker.reporting.scorecard import (
    Band,
    Component,
    Trend,
    parse_period,
    previous_quarter,
    trend,
)
from vendor_tracker.vendors.models import Vendor

PERIOD = validate.Regexp(
    # Quarters from the year 2000 on, as `reporting.periods.parse_period` accepts them.
    r"^([2-9]\d{3}-[Qq][1-4]|[Tt][Tt][Mm])$",
    error="Use a quarter such as 2026-Q3 (from 2000 on), or ttm.",
)


def _period(text_value: str | None, today: date):
    try:
        return parse_period(text_value, today)
    except ValueError as problem:
        fail(422, "The period is not valid.", {"period": [str(problem)]})


class PeriodSchema(Schema):
    key = fields.String(required=True, metadata={"description": "2026-Q3 or ttm"})
    label = fields.String(required=True)
    first_day = fields.Date(required=True)
    last_day = fields.Date(required=True)


class ComponentSchema(Schema):
    key = fields.String(required=True, validate=validate.OneOf([c.value for c in Component]))
    label = fields.String(required=True)
    value = fields.Float(
        required=True, allow_none=True, metadata={"description": "0..100; null: no data"}
    )
    sample = fields.Integer(required=True)
    sample_unit = fields.String(required=True)
    minimum_sample = fields.Integer(
        required=True, metadata={"description": "The sample the component rates from."}
    )
    rated = fields.Boolean(
        required=True,
        metadata={
            "description": "True when the value rests on at least the minimum sample and counts "
            "in the score; a value on a smaller sample is shown but not rated."
        },
    )
    weight_used = fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": "Share of the overall score in %, null when not counted."},
    )


class ScorecardSchema(Schema):
    vendor_id = fields.Integer(required=True)
    vendor_name = fields.String(required=True)
    period = fields.Nested(PeriodSchema, required=True)
    score = fields.Float(
        required=True, allow_none=True, metadata={"description": "0..100; null: not rated"}
    )
    band = fields.String(required=True, validate=validate.OneOf([b.value for b in Band]))
    previous_band = fields.String(
        required=True, allow_none=True, validate=validate.OneOf([b.value for b in Band])
    )
    trend = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf([t.value for t in Trend]),
        metadata={"description": "Against the previous quarter; null for ttm."},
    )
    components = fields.List(fields.Nested(ComponentSchema), required=True)


class ScorecardArgsSchema(Schema):
    period = fields.String(
        validate=PERIOD,
        metadata={"description": "2026-Q3 or ttm; the current quarter (to date) by default."},
    )


class ScorecardListArgsSchema(PageArgsSchema, ScorecardArgsSchema):
    pass


def _scorecard_dict(vendor_id: int, name: str, period, card, previous_band) -> dict:
    return {
        "vendor_id": vendor_id,
        "vendor_name": name,
        "period": period,
        "score": card.score,
        "band": card.band.value,
        "previous_band": previous_band.value if previous_band else None,
        "trend": trend(card.band, previous_band).value if previous_band else None,
        "components": [
            {
                "key": c.component.value,
                "label": c.component.label,
                "value": c.value if c.has_data else None,
                "sample": c.sample,
                "sample_unit": c.component.unit,
                "minimum_sample": c.minimum,
                "rated": c.rated,
                "weight_used": card.weights_used.get(c.component),
            }
            for c in card.components
        ],
    }


def _scorecards(vendor_ids: list[int], period, today: date) -> list[dict]:
    settings = services.scorecard_settings()
    cards = services.vendor_scorecards(vendor_ids, period, today, settings)
    before = {}
    if period.key != "ttm":
        before = services.vendor_scorecards(vendor_ids, previous_quarter(period), today, settings)
    names = services.vendor_names(vendor_ids)
    return [
        _scorecard_dict(v, names[v], period, cards[v].card, before[v].card.band if before else None)
        for v in vendor_ids
    ]


@blp.route("/vendors/<int:vendor_id>/scorecard", methods=["GET"])
@documented(401, 404)
@blp.arguments(ScorecardArgsSchema, location="query")
@blp.response(200, ScorecardSchema)
@blp.alt_response(422, schema=ErrorSchema, description="The period is not valid.")
def vendor_scorecard(args, vendor_id: int):
    """One vendor's scorecard for a quarter (`2026-Q3`) or the trailing 12 months (`ttm`)."""
    today = date.today()
    if db.session.get(Vendor, check_id(vendor_id, "Vendor")) is None:
        fail(404, "Vendor not found.")
    period = _period(args.get("period"), today)
    return _scorecards([vendor_id], period, today)[0]


@blp.route("/scorecards", methods=["GET"])
@documented(401)
@blp.arguments(ScorecardListArgsSchema, location="query")
@blp.response(200, page_of(ScorecardSchema, "ScorecardPage"))
@blp.alt_response(422, schema=ErrorSchema, description="The period is not valid.")
def all_scorecards(args):
    """Every vendor's scorecard (offboarded ones aside) for one period, by vendor name."""
    today = date.today()
    period = _period(args.get("period"), today)
    settings = services.scorecard_settings()
    previous = None if period.key == "ttm" else previous_quarter(period)
    page, _rated = score_reads.ranked_page(
        period, previous, today, settings, score_reads.LISTED, False, args["page"], args["per_page"]
    )
    return {
        "items": [
            _scorecard_dict(r.vendor_id, r.name, period, r.card, r.previous_band)
            for r in page.items
        ],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
    }
