"""The BPO portfolio heat map."""

from datetime import date

from flask import (
    current_app,
    render_template,
    request,
)

from vendor_tracker.engagements.bpo.portfolio import portfolio as portfolio_data
from vendor_tracker.engagements.bpo.routes.blueprint import bp
from vendor_tracker.engagements.rules import EngagementStatus


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdecimal() and len(value) < 10 else None


@bp.route("/portfolio")
def portfolio():
    status = request.args.get("status") or None
    if status not in {s.value for s in EngagementStatus}:
        status = None
    sort = request.args.get("sort", "attainment")
    direction = "desc" if request.args.get("dir") == "desc" else "asc"
    data = portfolio_data(
        date.today(),
        vendor_id=_int_arg("vendor"),
        service_line_id=_int_arg("service_line"),
        status=status,
        sort=sort,
        direction=direction,
        page=_int_arg("page") or 1,
        per_page=current_app.config.get("ITEMS_PER_PAGE", 25),
    )
    return render_template(
        "bpo/portfolio.html",
        data=data,
        sort=sort,
        direction=direction,
        filters={
            "vendor": _int_arg("vendor"),
            "service_line": _int_arg("service_line"),
            "status": status,
        },
        year=date.today().year,
    )
