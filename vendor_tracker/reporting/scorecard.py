"""Pure scorecard rules: components and their minimum samples, weighted overall score, standing
bands, trend (the periods are in `periods`)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from vendor_tracker.engagements.bpo.contracts import BpoVendorSummary
from vendor_tracker.engagements.kpo.contracts import KpoVendorSummary
from vendor_tracker.reporting.periods import (  # noqa: F401 - the periods' long-standing home
    Period,
    current_quarter,
    parse_period,
    previous_quarter,
    quarter_of,
    quarter_period,
    recent_quarters,
    trailing_twelve_months,
)


class Component(StrEnum):
    """The four measures a vendor is scored on (each 0..100)."""

    BPO_ATTAINMENT = "bpo_attainment"
    KPO_QUALITY = "kpo_quality"
    KPO_ON_TIME = "kpo_on_time"
    KPO_FIRST_PASS = "kpo_first_pass"  # noqa: S105 - not a password

    @property
    def label(self) -> str:
        return {
            "bpo_attainment": "BPO service-level attainment",
            "kpo_quality": "KPO quality of accepted deliverables",
            "kpo_on_time": "KPO on-time first versions",
            "kpo_first_pass": "KPO first-pass acceptance",
        }[self.value]

    @property
    def unit(self) -> str:
        """What one sample of this component is."""
        return {
            "bpo_attainment": "service level-months reported",
            "kpo_quality": "deliverables accepted",
            "kpo_on_time": "deliverables due",
            "kpo_first_pass": "deliverables accepted",
        }[self.value]

    @property
    def model(self) -> str:
        """The kind of engagement the component measures: "BPO" or "KPO"."""
        return "BPO" if self is Component.BPO_ATTAINMENT else "KPO"

    def counted(self, sample: int) -> str:
        """'1 deliverable', '2 service-level-months': a sample in the words of its minimum."""
        one, many = (
            ("service-level-month", "service-level-months")
            if self is Component.BPO_ATTAINMENT
            else ("deliverable", "deliverables")
        )
        return f"{sample} {one if sample == 1 else many}"


class Band(StrEnum):
    """A vendor's standing."""

    EXCELLENT = "excellent"
    GOOD = "good"
    WATCH = "watch"
    POOR = "poor"
    NOT_RATED = "not_rated"

    @property
    def label(self) -> str:
        return "Not rated" if self is Band.NOT_RATED else self.value.capitalize()

    @property
    def rank(self) -> int | None:
        """Higher is better; None for not rated (it has no place on the scale)."""
        return {"excellent": 3, "good": 2, "watch": 1, "poor": 0}.get(self.value)


class Trend(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"
    NEW = "new"

    @property
    def arrow(self) -> str:
        return {"up": "▲", "down": "▼", "same": "▬", "new": "new"}[self.value]


DEFAULT_WEIGHTS: dict[Component, Decimal] = {
    Component.BPO_ATTAINMENT: Decimal(50),
    Component.KPO_QUALITY: Decimal(25),
    Component.KPO_ON_TIME: Decimal(15),
    Component.KPO_FIRST_PASS: Decimal(10),
}


@dataclass(frozen=True)
class Bands:
    """Lower bounds (inclusive) of the standing bands, on the 0..100 score."""

    excellent: Decimal = Decimal(85)
    good: Decimal = Decimal(70)
    watch: Decimal = Decimal(50)


DEFAULT_BANDS = Bands()


@dataclass(frozen=True)
class MinimumSamples:
    """The smallest sample a component rates on: service-level-months for the BPO component,
    deliverables for each KPO component (below it the value shows but does not count)."""

    bpo_months: int = 3
    kpo_deliverables: int = 2

    def of(self, component: Component) -> int:
        """The minimum sample of one component."""
        if component is Component.BPO_ATTAINMENT:
            return self.bpo_months
        return self.kpo_deliverables


DEFAULT_MINIMUMS = MinimumSamples()


@dataclass(frozen=True)
class ComponentScore:
    """One component's value (0..100, None without data), how many samples it rests on and the
    sample it needs to rate (`minimum`)."""

    component: Component
    value: float | None
    sample: int
    minimum: int = 1

    @property
    def has_data(self) -> bool:
        return self.value is not None and self.sample > 0

    @property
    def rated(self) -> bool:
        """A value on at least the minimum sample: it counts in the overall score."""
        return self.has_data and self.sample >= self.minimum

    @property
    def too_few(self) -> bool:
        """A value shown but not rated: its sample is below the minimum."""
        return self.has_data and self.sample < self.minimum

    @property
    def sample_note(self) -> str:
        """'2 deliverables: too few to rate' below the minimum, else ''."""
        return f"{self.component.counted(self.sample)}: too few to rate" if self.too_few else ""


@dataclass(frozen=True)
class Scorecard:
    """Components, the overall score (None when not rated) and the band."""

    components: tuple[ComponentScore, ...]
    score: float | None
    band: Band
    weights_used: dict[Component, float] = field(default_factory=dict)

    def component(self, key: Component | str) -> ComponentScore:
        """The component with this key."""
        return next(c for c in self.components if c.component == Component(key))


def shown_components(
    components: tuple[ComponentScore, ...], kinds: frozenset[str] | set[str]
) -> tuple[ComponentScore, ...]:
    """The components of the kinds of engagement a vendor has ("BPO", "KPO"): a BPO-only vendor
    shows no empty KPO rows. Scoring is unaffected (absent work has no data anyway)."""
    return tuple(c for c in components if c.component.model in kinds)


def _round1(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def components_from_summaries(
    bpo: BpoVendorSummary | None,
    kpo: KpoVendorSummary | None,
    minimums: MinimumSamples = DEFAULT_MINIMUMS,
) -> tuple[ComponentScore, ...]:
    """Turn the BPO and KPO summaries of one vendor into the four component scores."""
    reported = bpo.reported if bpo else 0
    accepted = kpo.accepted if kpo else 0
    due = kpo.due if kpo else 0
    values = (
        (Component.BPO_ATTAINMENT, bpo.attainment if reported else None, reported),
        (Component.KPO_QUALITY, kpo.mean_quality if accepted else None, accepted),
        (Component.KPO_ON_TIME, kpo.on_time_first_rate if due else None, due),
        (Component.KPO_FIRST_PASS, kpo.first_pass_rate if accepted else None, accepted),
    )
    return tuple(ComponentScore(c, v, n, minimums.of(c)) for c, v, n in values)


def overall_score(
    components: tuple[ComponentScore, ...] | list[ComponentScore],
    weights: dict[Component, Decimal] | None = None,
) -> tuple[float | None, dict[Component, float]]:
    """Weighted mean (0..100, one decimal) over the rated components (a value on at least the
    minimum sample), weights re-normalised.

    Returns the score (None when no weighted component is rated) and the weights actually used,
    as shares of 100.
    """
    weights = weights or DEFAULT_WEIGHTS
    present = [
        (c, Decimal(weights.get(c.component, 0)))
        for c in components
        if c.rated and Decimal(weights.get(c.component, 0)) > 0
    ]
    total_weight = sum((w for _c, w in present), Decimal(0))
    if not present or total_weight <= 0:
        return None, {}
    weighted = sum((Decimal(str(c.value)) * w for c, w in present), Decimal(0))
    used = {c.component: _round1(w * 100 / total_weight) for c, w in present}
    return _round1(weighted / total_weight), used


def band_for(score: float | None, bands: Bands = DEFAULT_BANDS) -> Band:
    """The standing band of a score; lower bounds are inclusive (exactly 85 is excellent)."""
    if score is None:
        return Band.NOT_RATED
    value = Decimal(str(score))
    if value >= bands.excellent:
        return Band.EXCELLENT
    if value >= bands.good:
        return Band.GOOD
    if value >= bands.watch:
        return Band.WATCH
    return Band.POOR


def build_scorecard(
    bpo: BpoVendorSummary | None,
    kpo: KpoVendorSummary | None,
    weights: dict[Component, Decimal] | None = None,
    bands: Bands = DEFAULT_BANDS,
    minimums: MinimumSamples = DEFAULT_MINIMUMS,
) -> Scorecard:
    """The whole scorecard of one vendor for one period from its BPO and KPO summaries; a
    vendor with no rated component is not rated."""
    components = components_from_summaries(bpo, kpo, minimums)
    score, used = overall_score(components, weights)
    return Scorecard(components, score, band_for(score, bands), used)


def trend(current: Band | str, previous: Band | str) -> Trend:
    """Standing this period against the previous one.

    "new" when the vendor was not rated before but is now; "up"/"down" when the band moved;
    "same" otherwise, including when there is no rating this period (nothing to compare).
    """
    current, previous = Band(current), Band(previous)
    if current is Band.NOT_RATED:
        return Trend.SAME
    if previous is Band.NOT_RATED:
        return Trend.NEW
    if current.rank > previous.rank:
        return Trend.UP
    if current.rank < previous.rank:
        return Trend.DOWN
    return Trend.SAME


def standing_fell(current: Band | str, previous: Band | str) -> bool:
    """True when both periods are rated and the band is lower now."""
    return trend(current, previous) is Trend.DOWN


@dataclass(frozen=True, slots=True)
class Standing:
    """A vendor's band and score in a quarter against the previous quarter's, and the trend."""

    score: float | None  # None: not rated
    band: Band
    previous_band: Band | None  # None only where no previous quarter was looked at
    previous_score: float | None
    trend: Trend
    period: str  # the quarter's key, "2026-Q4"


def standing(current: Scorecard, previous: Scorecard, period: Period) -> Standing:
    """The standing of `current` (the scorecard of `period`) against the previous period's."""
    return Standing(
        score=current.score,
        band=current.band,
        previous_band=previous.band,
        previous_score=previous.score,
        trend=trend(current.band, previous.band),
        period=period.key,
    )


def weights_problems(weights: dict[str, Decimal | int | float | None]) -> dict[str, str]:
    """Field errors for a set of weights: each 0..100, at least one above zero."""
    problems: dict[str, str] = {}
    for key, value in weights.items():
        if value is None:
            problems[key] = "Enter a weight from 0 to 100."
        elif Decimal(str(value)) < 0 or Decimal(str(value)) > 100:
            problems[key] = "A weight must be between 0 and 100."
    if not problems and sum(Decimal(str(v)) for v in weights.values()) <= 0:
        problems[next(iter(weights))] = "At least one weight must be above zero."
    return problems


def bands_problems(excellent, good, watch) -> dict[str, str]:
    """Field errors for band thresholds: 0 < watch < good < excellent <= 100."""
    problems: dict[str, str] = {}
    for name, value in (("excellent", excellent), ("good", good), ("watch", watch)):
        if value is None:
            problems[name] = "Enter a score from 0 to 100."
        elif not 0 < Decimal(str(value)) <= 100:
            problems[name] = "A threshold must be above 0 and at most 100."
    if problems:
        return problems
    if Decimal(str(good)) >= Decimal(str(excellent)):
        problems["good"] = "The 'good' threshold must be below the 'excellent' one."
    if Decimal(str(watch)) >= Decimal(str(good)):
        problems["watch"] = "The 'watch' threshold must be below the 'good' one."
    return problems
