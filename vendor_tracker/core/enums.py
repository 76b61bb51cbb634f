"""Portable enum columns and the choice lists forms build from them."""

from enum import StrEnum

from sqlalchemy import Enum as SAEnum
from wtforms.fields.choices import SelectChoice

from vendor_tracker.core.forms import select_choices


def enum_column(enum_cls: type[StrEnum], length: int = 30) -> SAEnum:
    """A VARCHAR-backed enum storing the member values, identical on SQLite and PostgreSQL."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def label_of(member: StrEnum) -> str:
    """The member's `label` when defined, else its value in sentence case."""
    return getattr(member, "label", member.value.replace("_", " ").capitalize())


def choices(enum_cls: type[StrEnum]) -> list[SelectChoice]:
    """Select options for every member of an enum, labels from `label_of`."""
    return select_choices((m.value, label_of(m)) for m in enum_cls)
