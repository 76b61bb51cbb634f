"""Portable enum columns and the choice lists forms build from them."""

from enum import StrEnum

from sqlalchemy import Enum as SAEnum


def enum_column(enum_cls: type[StrEnum], length: int = 30) -> SAEnum:
    """A VARCHAR-backed enum storing the member values, identical on SQLite and PostgreSQL."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def choices(enum_cls: type[StrEnum]) -> list[tuple[str, str]]:
    """(value, label) pairs for a select field; labels come from `label` when defined."""
    return [
        (m.value, getattr(m, "label", m.value.replace("_", " ").capitalize())) for m in enum_cls
    ]
