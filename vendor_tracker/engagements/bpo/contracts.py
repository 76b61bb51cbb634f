"""What the BPO package hands other packages: typed summaries (standard library only)."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class BpoVendorSummary:
    """A vendor's BPO service level-months, attainment, breaches and credits over a period."""

    met: int  # level-months that met the target
    reported: int  # level-months with a result
    expected: int  # level-months that had ended (or have a result) in the engagements' windows
    breaches: int  # level-months in breach
    attainment: float | None  # `sla.Attainment.rate`: met / reported in %; None: nothing reported
    # {currency: payable} over the critical levels' credit ledgers; None when not worked out
    # (`vendor_summaries(..., credits=False)`), {} when nothing is payable.
    credits_payable: dict[str, Decimal] | None
