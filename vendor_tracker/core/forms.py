"""Form helpers every package shares: select choices, text clean-up, number checks."""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import flash
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from vendor_tracker.core.models import StaleVersionError, check_version
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


def save_form(form, save, refusal, *, record=None, aliases: dict[str, str] | None = None):
    """Run `save()` (one service write) for a validated form and commit the request's work.

    `refusal` is the service's exception class carrying `fields`. Returns what `save` returned, or
    None when nothing was saved: a refusal is rolled back and its problems put next to the fields;
    a stale `record` (checked against the form's hidden `version`) is flashed, and the user's input
    stays in the form either way.
    """
    try:
        if record is not None:
            check_version(record, form.version.data)
        result = save()
    except StaleVersionError as stale:
        flash(str(stale), "danger")
        return None
    except refusal as refused:
        db.session.rollback()
        apply_field_errors(form, refused.fields, aliases)
        return None
    db.session.commit()
    return result
