"""The selection pages' blueprint, with what all of them share: template helpers and the one
way a refused write comes back to the request."""

from decimal import ROUND_HALF_UP, Decimal

from flask import Blueprint, current_app, redirect, request, url_for

from vendor_tracker.core.forms import flash_refusal
from vendor_tracker.core.refusals import Refusal

bp = Blueprint("selection", __name__, url_prefix="/selection")


@bp.app_template_global()
def selection_link(endpoint: str, record_id: int) -> str | None:
    """A link to another package's detail page, whatever its id argument is called."""
    for rule in (
        current_app.url_map.iter_rules(endpoint) if endpoint in current_app.view_functions else ()
    ):
        if len(rule.arguments) == 1:
            return url_for(endpoint, **{next(iter(rule.arguments)): record_id})
    return None


@bp.app_template_filter("one_decimal")
def one_decimal(value, signed: bool = False) -> str:
    """A score or point change to one decimal, rounded half up (76.25 -> 76.3); None: no data."""
    if value is None:
        return "no data"
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded:+}" if signed and rounded else f"{rounded}"


@bp.errorhandler(Refusal)
def _refused(refused: Refusal):
    """Every write on these pages is refused once the request is closed: roll back, say why
    (as `core.forms` shows every refusal) and go back to the request."""
    flash_refusal(refused)
    rid = request.view_args.get("rid") if request.view_args else None
    return redirect(url_for("selection.detail", rid=rid) if rid else url_for("selection.index"))
