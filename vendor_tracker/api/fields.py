"""Field types and validators every API schema shares."""

from datetime import UTC

from marshmallow import ValidationError, fields, validate

from vendor_tracker.core.text import CONTROL_CHARACTERS, TEXT_PATTERN, text_problem

MAX_ID = 2**31 - 1  # the database's integer range
ID = validate.Range(min=1, max=MAX_ID)


class PlainText(validate.Regexp):
    """The one text rule of `core.text` (no control characters but tab and line breaks), in the
    document as the pattern it is; the rule itself decides."""

    def __init__(self):
        super().__init__(TEXT_PATTERN, error=CONTROL_CHARACTERS)

    def __call__(self, value: str) -> str:
        if text_problem(value):
            raise ValidationError(self.error)
        return value


PLAIN_TEXT = PlainText()


def plain_text(value: str) -> None:
    """The same rule for a field whose own pattern says something else (a name that is not
    blank): a document holds one pattern per field."""
    if problem := text_problem(value):
        raise ValidationError(problem)


def text(max_length: int, min_length: int = 0, length_error: str | None = None, **kwargs):
    """A string field with a length limit and the one text rule (no control characters)."""
    length = validate.Length(min=min_length, max=max_length, error=length_error)
    return fields.String(validate=[length, PLAIN_TEXT], **kwargs)


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
