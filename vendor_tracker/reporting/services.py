"""Scorecards and standings: load the BPO and KPO summaries, apply the scorecard rules."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from vendor_tracker.core.models import check_version
from vendor_tracker.engagements.bpo.contracts import BpoVendorSummary
from vendor_tracker.engagements.kpo.contracts import KpoVendorSummary
from vendor_tracker.extensions import db
from vendor_tracker.reporting.models import ScorecardSettings
from vendor_tracker.reporting.scorecard import (
    DEFAULT_MINIMUMS,
    Band,
    ComponentScore,
    Period,
    Scorecard,
    Standing,
    build_scorecard,
    current_quarter,
    previous_quarter,
    recent_quarters,
    shown_components,
    standing,
    trend,
)
from vendor_tracker.vendors.models import Vendor


def scorecard_settings() -> ScorecardSettings:
    """The settings row (defaults until an admin saves one; not added to the session)."""
    row = db.session.execute(
        select(ScorecardSettings).order_by(ScorecardSettings.id).limit(1)
    ).scalar_one_or_none()
    if row is not None:
        return row
    return ScorecardSettings(
        weight_bpo_attainment=Decimal(50),
        weight_kpo_quality=Decimal(25),
        weight_kpo_on_time=Decimal(15),
        weight_kpo_first_pass=Decimal(10),
        band_excellent=Decimal(85),
        band_good=Decimal(70),
        band_watch=Decimal(50),
        concentration_limit_pct=Decimal(40),
        min_bpo_months=DEFAULT_MINIMUMS.bpo_months,
        min_kpo_deliverables=DEFAULT_MINIMUMS.kpo_deliverables,
        reporting_currency="USD",
        version=1,
    )


def editable_settings() -> ScorecardSettings:
    """The settings row to edit, created with the defaults when none exists yet."""
    row = db.session.execute(
        select(ScorecardSettings).order_by(ScorecardSettings.id).limit(1)
    ).scalar_one_or_none()
    if row is None:
        row = scorecard_settings()
        db.session.add(row)
        db.session.flush()
    return row


def load_summaries_many(
    vendor_ids: list[int], periods: list[Period], today: date, bpo_credits: bool = True
) -> list[tuple[dict[int, BpoVendorSummary], dict[int, KpoVendorSummary]]]:
    """({vendor: BPO summary}, {vendor: KPO summary}) per period, each package reading the
    periods' span once.

    `bpo_credits=False` leaves out the BPO credits (`credits_payable` is None) for callers that
    show attainment only: the credit ledgers are most of the BPO summary's time.
    """
    from vendor_tracker.engagements.bpo.services import vendor_bpo_summaries
    from vendor_tracker.engagements.kpo.services import vendor_kpo_summaries

    if not vendor_ids:
        return [({}, {}) for _ in periods]
    ids = list(vendor_ids)
    months = [(p.first_month, p.last_month) for p in periods]
    bpo = vendor_bpo_summaries(ids, months, today, credits=bpo_credits)
    kpo = vendor_kpo_summaries(ids, [(p.first_day, p.last_day) for p in periods], today)
    return list(zip(bpo, kpo, strict=True))


@dataclass(frozen=True)
class VendorScorecard:
    """A vendor's scorecard for a period, with the summaries it came from (None: no such work)
    and the kinds of engagement the vendor has ("BPO", "KPO")."""

    vendor_id: int
    period: Period
    card: Scorecard
    bpo: BpoVendorSummary | None
    kpo: KpoVendorSummary | None
    kinds: frozenset[str] = frozenset()

    @property
    def shown(self) -> tuple[ComponentScore, ...]:
        """The components of the kinds of engagement the vendor has."""
        return shown_components(self.card.components, self.kinds)


def engagement_kinds(vendor_ids: list[int]) -> dict[int, frozenset[str]]:
    """{vendor: the kinds of engagement it has, "BPO" and/or "KPO"} in one query."""
    from vendor_tracker.engagements.models import Engagement

    found: dict[int, set[str]] = {vid: set() for vid in vendor_ids}
    if vendor_ids:
        rows = db.session.execute(
            select(Engagement.vendor_id, Engagement.kind)
            .where(Engagement.vendor_id.in_(vendor_ids))
            .distinct()
        )
        for vendor_id, kind in rows:
            found[vendor_id].add(getattr(kind, "value", kind))
    return {vid: frozenset(kinds) for vid, kinds in found.items()}


def vendor_scorecards(
    vendor_ids: list[int], period: Period, today: date, settings: ScorecardSettings | None = None
) -> dict[int, VendorScorecard]:
    """Scorecards of many vendors for one period; a vendor without data is not rated."""
    return vendor_scorecards_many(vendor_ids, [period], today, settings)[0]


def vendor_scorecards_many(
    vendor_ids: list[int],
    periods: list[Period],
    today: date,
    settings: ScorecardSettings | None = None,
) -> list[dict[int, VendorScorecard]]:
    """`vendor_scorecards` for several periods, the data read once for all of them."""
    settings = settings or scorecard_settings()
    weights, bands, minimums = settings.weights, settings.bands, settings.minimums
    kinds = engagement_kinds(vendor_ids)
    return [
        {
            vid: VendorScorecard(
                vid,
                period,
                build_scorecard(bpo.get(vid), kpo.get(vid), weights, bands, minimums),
                bpo.get(vid),
                kpo.get(vid),
                kinds.get(vid, frozenset()),
            )
            for vid in vendor_ids
        }
        for period, (bpo, kpo) in zip(
            periods, load_summaries_many(vendor_ids, periods, today), strict=True
        )
    ]


def current_standings(vendor_ids: list[int], today: date) -> dict[int, Standing]:
    """Standing this calendar quarter (to date) against the previous quarter, per vendor."""
    if not vendor_ids:
        return {}
    settings = scorecard_settings()
    this_quarter = current_quarter(today)
    now, before = vendor_scorecards_many(
        vendor_ids, [this_quarter, previous_quarter(this_quarter)], today, settings
    )
    return {vid: standing(now[vid].card, before[vid].card, this_quarter) for vid in vendor_ids}


def vendor_standings(vendor_ids: list[int], today: date) -> dict[int, dict]:
    """`current_standings` as plain rows of values, for the vendor-list export that reads them."""
    return {
        vid: {
            "score": s.score,
            "band": s.band.value,
            "previous_band": s.previous_band.value if s.previous_band else None,
            "previous_score": s.previous_score,
            "trend": s.trend.value,
            "period": s.period,
        }
        for vid, s in current_standings(vendor_ids, today).items()
    }


def all_vendor_ids(include_offboarded: bool = False) -> list[int]:
    """Ids of the vendors reports cover (offboarded ones only on request), by name."""
    from vendor_tracker.vendors.rules import VendorStatus

    stmt = select(Vendor.id).order_by(Vendor.name)
    if not include_offboarded:
        stmt = stmt.where(Vendor.status != VendorStatus.OFFBOARDED)
    return list(db.session.execute(stmt).scalars())


def band_of(value: str | None) -> Band:
    """A Band from its stored value, not rated when unknown."""
    try:
        return Band(value)
    except ValueError:
        return Band.NOT_RATED


SETTINGS_FIELDS = (
    "weight_bpo_attainment",
    "weight_kpo_quality",
    "weight_kpo_on_time",
    "weight_kpo_first_pass",
    "band_excellent",
    "band_good",
    "band_watch",
    "concentration_limit_pct",
)
COUNT_FIELDS = ("min_bpo_months", "min_kpo_deliverables")


def save_settings(values: dict, submitted_version) -> ScorecardSettings:
    """Store validated settings; refuses a save based on an older version. Caller commits."""
    record = editable_settings()
    check_version(record, submitted_version)
    for name in SETTINGS_FIELDS:
        setattr(record, name, Decimal(values[name]))
    for name in COUNT_FIELDS:
        setattr(record, name, int(values[name]))
    if values.get("reporting_currency"):
        record.reporting_currency = values["reporting_currency"]
    db.session.flush()
    return record


def vendor_names(vendor_ids: list[int]) -> dict[int, str]:
    """{id: name} of the given vendors in one query."""
    if not vendor_ids:
        return {}
    rows = db.session.execute(select(Vendor.id, Vendor.name).where(Vendor.id.in_(vendor_ids)))
    return dict(rows.all())


def current_quarter_label(today: date | None = None) -> str:
    """'Q4 2026' for the running quarter."""
    period = current_quarter(today or date.today())
    return period.label.split(" (")[0]


def scorecard_history(
    vendor_id: int, today: date, settings: ScorecardSettings | None = None, quarters: int = 8
) -> list[VendorScorecard]:
    """A vendor's scorecards for the running quarter and the ones before it, newest first."""
    cards = vendor_scorecards_many([vendor_id], recent_quarters(today, quarters), today, settings)
    return [by_vendor[vendor_id] for by_vendor in cards]


def vendor_page_summary(vendor_id: int, today: date) -> dict:
    """What the vendor page's scorecard section shows (a fixed number of queries)."""
    from vendor_tracker.reporting.models import Qbr, Risk
    from vendor_tracker.reporting.risk_services import LIVE

    settings = scorecard_settings()
    this_quarter = current_quarter(today)
    now, before = (
        cards[vendor_id]
        for cards in vendor_scorecards_many(
            [vendor_id], [this_quarter, previous_quarter(this_quarter)], today, settings
        )
    )
    risks = db.session.execute(
        select(Risk.likelihood, Risk.impact).where(
            Risk.vendor_id == vendor_id, Risk.status.in_(LIVE)
        )
    ).all()
    latest_qbr = db.session.execute(
        select(Qbr)
        .where(Qbr.vendor_id == vendor_id)
        .order_by(Qbr.year.desc(), Qbr.quarter.desc())
        .limit(1)
    ).scalar_one_or_none()
    return {
        "vendor_id": vendor_id,
        "period": this_quarter,
        "previous_period": before.period,
        "scorecard": now,
        "previous": before,
        "trend": trend(now.card.band, before.card.band).value,
        "open_risks": len(risks),
        "top_risk_score": max((lk * im for lk, im in risks), default=None),
        "latest_qbr": latest_qbr,
    }
