"""Field types and validators every API schema shares."""

from datetime import UTC

from marshmallow import ValidationError, fields, validate

MAX_ID = 2**31 - 1  # the database's integer range
ID = validate.Range(min=1, max=MAX_ID)


def no_nul(value: str) -> None:
    """Refuse NUL characters, which PostgreSQL text cannot hold."""
    if "\x00" in value:
        raise ValidationError("NUL characters are not allowed.")


def text(max_length: int, min_length: int = 0, **kwargs) -> fields.String:
    """A string field with a length limit and no NUL characters."""
    return fields.String(
        validate=[validate.Length(min=min_length, max=max_length), no_nul], **kwargs
    )


class Number(fields.Decimal):
    """A decimal that travels as a JSON number both ways (strings are refused on input)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else float(value)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class UtcDateTime(fields.DateTime):
    """A timestamp always written with its offset (SQLite hands back naive UTC values)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


def enum_out(attribute: str, values, nullable: bool = False) -> fields.Function:
    """An enum attribute answered as its value, documented with every possible value."""
    values = [getattr(v, "value", v) for v in values]

    def read(obj):
        value = getattr(obj, attribute)
        return None if value is None else value.value

    meta = {"type": "string", "enum": values + ([None] if nullable else [])}
    if nullable:
        meta["nullable"] = True
    return fields.Function(read, required=True, metadata=meta)
