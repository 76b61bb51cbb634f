"""The API's shared field types: one definition each, used by every API module."""

import pathlib
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from marshmallow import Schema, ValidationError

from vendor_tracker.api.common import APIError, check_id, problems_to_fields
from vendor_tracker.api.fields import MAX_ID, Number, UtcDateTime, text


class Sample(Schema):
    amount = Number()
    name = text(5, min_length=1)
    at = UtcDateTime()


def test_number_is_a_json_number_both_ways():
    assert Sample().load({"amount": 12.5}) == {"amount": Decimal("12.5")}
    with pytest.raises(ValidationError) as refused:
        Sample().load({"amount": "12.5"})
    assert "amount" in refused.value.messages
    with pytest.raises(ValidationError):
        Sample().load({"amount": True})
    assert Sample().dump({"amount": Decimal("3.10")}) == {"amount": 3.1}


def test_text_limits_length_and_refuses_nul():
    assert Sample().load({"name": "abcde"}) == {"name": "abcde"}
    for bad in ("", "abcdef", "a\x00b"):
        with pytest.raises(ValidationError):
            Sample().load({"name": bad})


def test_naive_timestamps_are_written_as_utc():
    naive = datetime(2026, 10, 1, 14, 5)
    assert Sample().dump({"at": naive})["at"] == "2026-10-01T14:05:00+00:00"
    aware = datetime(2026, 10, 1, 14, 5, tzinfo=UTC)
    assert Sample().dump({"at": aware})["at"] == "2026-10-01T14:05:00+00:00"


def test_ids_outside_the_integer_range_are_not_found():
    assert check_id(MAX_ID, "Vendor") == MAX_ID
    for bad in (0, MAX_ID + 1):
        with pytest.raises(APIError) as refused:
            check_id(bad, "Vendor")
        assert refused.value.code == 404


def test_problems_become_lists_of_reasons():
    assert problems_to_fields({"name": "Taken."}) == {"name": ["Taken."]}


def test_no_api_module_defines_its_own_copy():
    api = pathlib.Path(__file__).resolve().parents[2] / "vendor_tracker" / "api"
    shared = re.compile(
        r"^(def (plain_text|text|check_id|refuse|documented)\(|MAX_ID =|ID ="
        r"|class (Number|UtcDateTime|PlainText)\()",
        re.M,
    )
    owners = sorted(
        path.name for path in api.glob("*.py") if shared.search(path.read_text(encoding="utf-8"))
    )
    assert owners == ["common.py", "fields.py"]


def test_enum_out_answers_the_value_and_documents_every_value():
    from enum import StrEnum
    from types import SimpleNamespace

    from vendor_tracker.api.fields import enum_out

    class Shade(StrEnum):
        LIGHT = "light"
        DARK = "dark"

    field = enum_out("shade", Shade, nullable=True)
    assert field.metadata == {"type": "string", "enum": ["light", "dark", None], "nullable": True}
    assert field.serialize("shade", SimpleNamespace(shade=Shade.DARK)) == "dark"
    assert field.serialize("shade", SimpleNamespace(shade=None)) is None
    assert enum_out("shade", ["light"]).metadata == {"type": "string", "enum": ["light"]}


def test_sort_order_reads_a_leading_minus_as_descending():
    from vendor_tracker.api.common import sort_order

    assert sort_order("-start") == {"sort": "start", "descending": True}
    assert sort_order("name") == {"sort": "name", "descending": False}
