"""What the credits ledger page and its CSV show besides the ledger: provisional months, the
disputes of each credit, and the forms of both sides (the provider disputes, the client
resolves). A fixed number of queries whatever the number of months and disputes."""

from dataclasses import dataclass, field
from datetime import date

from flask_login import current_user

from vendor_tracker.engagements.bpo import disputes, reports, services
from vendor_tracker.engagements.bpo.credits import EarnBack, Ledger
from vendor_tracker.engagements.bpo.forms import CreditDisputeForm, ResolveDisputeForm
from vendor_tracker.engagements.bpo.models import CreditDispute
from vendor_tracker.engagements.bpo.reporting_rules import DisputeState


@dataclass
class LedgerView:
    """The ledger with what the page marks on it."""

    ledger: Ledger
    provisional: set[date]
    disputes: list[CreditDispute]
    by_credit: dict[tuple[int, date], list[CreditDispute]] = field(default_factory=dict)
    dispute_forms: dict[tuple[int, date], CreditDisputeForm] = field(default_factory=dict)
    resolve_forms: dict[int, ResolveDisputeForm] = field(default_factory=dict)

    @property
    def open_disputes(self) -> list[CreditDispute]:
        return [d for d in self.disputes if d.state == DisputeState.OPEN]

    def waiver(self, level_id: int, month: date) -> CreditDispute | None:
        """The dispute that waived a credit, if one did."""
        found = self.by_credit.get((level_id, month), [])
        return next((d for d in found if d.state == DisputeState.WAIVED), None)

    def waiver_notes(self) -> dict[tuple[int, date], str]:
        return {key: w.note for key in self.by_credit if (w := self.waiver(*key)) is not None}


def _disputable(states: list[DisputeState], earn_back: EarnBack) -> bool:
    return earn_back is not EarnBack.EARNED and not (
        {DisputeState.OPEN, DisputeState.WAIVED} & set(states)
    )


def ledger_view(engagement, today: date, forms: bool = True) -> LedgerView:
    """The engagement's whole ledger to today with its provisional months and disputes."""
    report = services.compliance_report(engagement, engagement.start_date, today, today)
    found = disputes.disputes_of(engagement.id)
    view = LedgerView(
        report.ledger, reports.provisional_months([engagement.id])[engagement.id], found
    )
    for dispute in found:
        view.by_credit.setdefault((dispute.service_level_id, dispute.period), []).append(dispute)
    if not forms:
        return view
    if current_user.is_provider or current_user.can("manager"):
        for credit in report.ledger.credits():
            key = (credit.level_id, credit.month)
            states = [DisputeState(d.state) for d in view.by_credit.get(key, [])]
            if _disputable(states, credit.state):
                # One <form> per credit, all with the same field names (the route reads one).
                form = CreditDisputeForm(formdata=None)
                form.service_level_id.data = str(credit.level_id)
                view.dispute_forms[key] = form
    if current_user.can("manager") and not current_user.is_provider:
        view.resolve_forms = {
            d.id: ResolveDisputeForm(prefix=f"resolve-{d.id}", formdata=None)
            for d in view.open_disputes
        }
    return view
