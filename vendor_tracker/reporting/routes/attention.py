"""The needs-attention inbox page: every kind counted, the first few of each shown, and one
kind paged through with ?kind=."""

from datetime import date

from flask import render_template, request

from vendor_tracker.core.paging import ListPage, page_number, per_page
from vendor_tracker.reporting import attention
from vendor_tracker.reporting.routes.blueprint import bp

FIRST_PER_KIND = 10


@bp.route("/attention", endpoint="attention")
def attention_inbox():
    """The inbox; the dashboard links here as reporting.attention."""
    today = date.today()
    inbox = attention.Inbox(today)
    counts = inbox.counts()
    kind = request.args.get("kind")
    page, firsts = None, {}
    if kind in counts:
        size, total = per_page(), counts[kind]
        number = min(page_number(), max(1, -(-total // size)))
        page = ListPage(inbox.items(kind, size, (number - 1) * size), number, size, total)
    else:
        kind = None
        firsts = {k: inbox.items(k, FIRST_PER_KIND) for k in counts}
    return render_template(
        "reporting/attention.html",
        page=page,
        firsts=firsts,
        first_per_kind=FIRST_PER_KIND,
        counts=counts,
        kind=kind,
        total=sum(counts.values()),
        label=attention.kind_label,
        today=today,
    )
