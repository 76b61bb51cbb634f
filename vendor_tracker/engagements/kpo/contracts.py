"""What the KPO package hands other packages: typed summaries (standard library only)."""

from dataclasses import dataclass


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
