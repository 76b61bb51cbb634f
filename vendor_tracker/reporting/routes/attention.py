"""The needs-attention inbox page."""

from datetime import date

from flask import render_template, request

from vendor_tracker.core.paging import page_number, paginate_list, per_page
from vendor_tracker.reporting import attention
from vendor_tracker.reporting.routes.blueprint import bp


@bp.route("/attention", endpoint="attention")
def attention_inbox():
    """The inbox; the dashboard links here as reporting.attention."""
    today = date.today()
    items = attention.attention_items(today)
    counts = attention.counts_by_kind(items)
    kind = request.args.get("kind")
    if kind not in counts:
        kind = None
    shown = [i for i in items if i.kind == kind] if kind else items
    return render_template(
        "reporting/attention.html",
        page=paginate_list(shown, page_number(), per_page()),
        counts=counts,
        kind=kind,
        total=len(items),
        label=attention.kind_label,
        today=today,
    )
