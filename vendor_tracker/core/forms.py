"""Form helpers every package shares: select choices, text clean-up, number checks, and the
page side of every write (`save_form`, `run_action`: one commit, a refusal shown to the user)."""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import flash
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from vendor_tracker.core.models import StaleVersionError, check_version
from vendor_tracker.core.refusals import Refusal
from vendor_tracker.core.text import text_problem
from vendor_tracker.extensions import db


def select_choices(items: Iterable[Any], optgroup: str | None = None) -> list[SelectChoice]:
    """Select options from (value, label) pairs or SelectChoice items (WTForms 3.3 deprecates
    plain tuples); `optgroup` puts the pairs under one <optgroup>."""
    found = []
    for item in items:
        if isinstance(item, SelectChoice):
            found.append(item)
        else:
            value, label = item
            found.append(SelectChoice(value, label, optgroup=optgroup))
    return found


def clean_text(value):
    """The filter of every text field: trims spaces, and refuses control characters (the one
    rule of `core.text`) next to the field, as WTForms shows a filter's ValueError. Input that
    is only white space (some control characters are) is empty, as `Optional` reads it."""
    if not isinstance(value, str):
        return value
    stripped = value.strip()
    if stripped and (problem := text_problem(value)):
        raise ValueError(problem)
    return stripped


def finite_number(_form, field) -> None:
    """Refuse NaN and infinity before range checks compare them."""
    if field.data is None:
        return
    try:
        finite = Decimal(field.data).is_finite()
    except (InvalidOperation, ValueError, TypeError):
        finite = False
    if not finite:
        field.errors[:] = []
        raise StopValidation("Give a number.")


def form_values(form, names) -> dict:
    """The data of the named fields, by name."""
    return {name: form[name].data for name in names}


def apply_field_errors(form, problems: dict[str, str], aliases: dict[str, str] | None = None):
    """Put a service's field problems next to their fields; others are flashed.

    `aliases` maps a service's field name to the form's when they differ.
    """
    aliases = aliases or {}
    for name, reason in problems.items():
        field = getattr(form, aliases.get(name, name), None)
        if field is not None:
            field.errors = [*field.errors, reason]
        else:
            flash(reason, "danger")


def save_form(form, save, *, record=None, aliases: dict[str, str] | None = None):
    """Run `save()` (one service write) for a validated form and commit the request's work.

    Returns what `save` returned, or None when nothing was saved: a `Refusal` is rolled back and
    its fields put next to the form's fields (`aliases` maps a service's field name to the
    form's; a field the form lacks is flashed), or its message flashed when it names no field;
    a stale `record` (checked against the form's hidden `version`) is flashed. The user's input
    stays in the form either way.
    """
    try:
        if record is not None:
            check_version(record, form.version.data)
        result = save()
    except StaleVersionError as stale:
        flash(str(stale), "danger")
        return None
    except Refusal as refused:
        db.session.rollback()
        if refused.fields:
            apply_field_errors(form, refused.fields, aliases)
        else:
            flash(refused.message, "danger")
        return None
    db.session.commit()
    return result


def flash_refusal(refused: Refusal) -> None:
    """Undo the request's writes and say why the rule refused them on the next page."""
    db.session.rollback()
    flash(refused.message, "danger")


def run_action(action) -> bool:
    """Run a page write that is not a form (a delete button, a status change) and commit.

    True when it was done; False when a `Refusal` stopped it: rolled back, its message flashed.
    """
    try:
        action()
    except Refusal as refused:
        flash_refusal(refused)
        return False
    db.session.commit()
    return True
