"""Form helpers every package shares: select choices, text clean-up, number checks."""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import flash
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation


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
    """Trim spaces and drop NUL characters, which no database column should hold."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


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
