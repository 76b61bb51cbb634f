"""What the KPO package hands other packages: typed summaries (standard library only)."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class KpoPeriodSums:
    """The counts a period summary is worked out from. Unlike its rates and means, they add up
    over vendors: `rollup_rules.summary_of` turns their sum into the summary of them all."""

    accepted: int = 0
    first_pass: int = 0  # of those accepted
    rounds: int = 0  # rounds to acceptance, summed over those accepted
    due: int = 0
    decided: int = 0  # of those due, whose punctuality is known
    on_time: int = 0  # of those decided, first version by the due date
    quality_count: int = 0  # accepted with a final quality
    quality_hundredths: int = 0  # their qualities in exact parts (`rollup_rules.exact_parts`)
    quality_residue: int = 0


@dataclass(frozen=True, slots=True)
class KpoVendorSummary:
    """A vendor's KPO figures for a period (`review.period_summary`); None means no data."""

    accepted: int  # deliverables whose accepting review is dated in the period
    first_pass_rate: float | None  # % of those accepted on their first version
    mean_rounds_to_acceptance: float | None
    mean_quality: float | None  # mean final quality (0..100) of those accepted
    due: int  # deliverables due in the period
    on_time_first_rate: float | None  # % of those due whose first version came by the due date
    overdue: int  # deliverables overdue today, whatever the period
    # What the figures were worked out from, when read from the rollups (None from the rules
    # over single deliverables); not compared: the figures are the summary.
    sums: KpoPeriodSums | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class DueDeliverable:
    """An open deliverable of a provider's engagement that is due soon or overdue
    (`due.provider_due_deliverables`), for the provider's pages."""

    deliverable_id: int
    title: str
    engagement_id: int
    engagement_title: str
    due_on: date
    status: str  # a `review.DeliverableStatus` value: not_submitted, in_review, changes_requested
    overdue: bool  # the due date has passed
    days_left: int  # days from today to the due date; negative when overdue
    provider_to_act: bool  # the next step is the provider's (a first or a revised version)
    next_version: int  # the number the provider's next version gets


@dataclass(frozen=True)
class ReviewStats:
    """Aggregates over many deliverables (an engagement or a vendor); None means no data."""

    deliverables: int
    by_status: dict[str, int]
    overdue: int
    accepted: int
    first_pass_rate: float | None
    mean_rounds_to_acceptance: float | None
    on_time_first_rate: float | None
    mean_review_days: float | None
    mean_rework_days: float | None
    mean_final_quality: float | None
    rounds_distribution: dict[int, int]
