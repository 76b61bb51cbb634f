"""Reading an evaluator's score sheet from a posted form, and filling the form back in."""

from vendor_tracker.selection.models import ScoreSheet, SourcingRequest


def cell_name(prefix: str, candidate_id: int, criterion_id: int) -> str:
    """The form field name of one cell: s_<candidate>_<criterion> or c_<candidate>_<criterion>."""
    return f"{prefix}_{candidate_id}_{criterion_id}"


def _as_score(raw: str | None):
    text = (raw or "").strip()
    if not text:
        return None
    return int(text) if text.isdecimal() and len(text) < 4 else text


def parse_sheet(form, record: SourcingRequest):
    """(cells for the rule, raw values to show again) for every candidate x criterion."""
    cells, values = {}, {}
    for candidate in record.candidates:
        for criterion in record.criteria:
            key = (candidate.id, criterion.id)
            raw = form.get(cell_name("s", *key))
            comment = (form.get(cell_name("c", *key)) or "").strip()
            values[key] = (raw or "", comment)
            score = _as_score(raw)
            if score is not None or comment:
                cells[key] = (score, comment)
    return cells, values


def sheet_values(sheet: ScoreSheet | None) -> dict[tuple[int, int], tuple[str, str]]:
    """The evaluator's submitted scores as form values, so a sheet can be revised."""
    if sheet is None:
        return {}
    return {(s.candidate_id, s.criterion_id): (str(s.value), s.comment) for s in sheet.scores}
