"""The shared form helpers: select choices in WTForms 3.3's shape, text clean-up, numbers."""

import pathlib
import warnings
from enum import StrEnum

import pytest
from wtforms import Form, SelectField
from wtforms.fields.choices import SelectChoice

from vendor_tracker.core.enums import choices, label_of
from vendor_tracker.core.forms import clean_text, select_choices


class Colour(StrEnum):
    DARK_RED = "dark_red"
    BLUE = "blue"


class Labelled(StrEnum):
    A = "a"

    @property
    def label(self) -> str:
        return "Letter A"


def test_enum_choices_are_select_choices_with_labels():
    found = choices(Colour)
    assert all(isinstance(c, SelectChoice) for c in found)
    assert [(c.value, c.label) for c in found] == [("dark_red", "Dark red"), ("blue", "Blue")]
    assert [c.label for c in choices(Labelled)] == ["Letter A"]
    assert label_of(Colour.BLUE) == "Blue"


def test_select_choices_takes_pairs_and_choices_and_sets_the_group():
    found = select_choices([("", "None yet"), *choices(Colour)])
    assert [c.value for c in found] == ["", "dark_red", "blue"]
    grouped = select_choices([(1, "One")], optgroup="BPO")
    assert grouped == [SelectChoice(1, "One", optgroup="BPO")]
    assert select_choices([]) == []


def test_a_select_built_from_them_renders_without_deprecation_warnings():
    class ColourForm(Form):
        colour = SelectField(choices=choices(Colour))

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        html = ColourForm().colour()
    assert '<option value="dark_red">Dark red</option>' in html


def test_clean_text_trims_and_refuses_control_characters():
    assert clean_text("  a\tb\r\nc ") == "a\tb\r\nc"
    assert clean_text(" \x0b ") == ""  # white space only: empty, as Optional reads it
    assert clean_text(None) is None
    with pytest.raises(ValueError, match="Remove control characters"):
        clean_text("  a\x00b ")


def test_no_package_keeps_its_own_select_choice_wrapper():
    root = pathlib.Path(__file__).resolve().parents[2] / "vendor_tracker"
    users = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "SelectChoice" in path.read_text(encoding="utf-8")
    )
    assert users == ["core/enums.py", "core/forms.py"]


def test_apply_field_errors_puts_reasons_by_their_fields_and_flashes_the_rest():
    from flask import Flask, get_flashed_messages
    from wtforms import StringField

    from vendor_tracker.core.forms import apply_field_errors

    class LineForm(Form):
        service_lines = StringField()
        name = StringField()

    app = Flask(__name__)
    app.secret_key = "unit"  # noqa: S105 - a throwaway app for flash()
    with app.test_request_context():
        form = LineForm()
        form.validate()
        apply_field_errors(
            form,
            {"service_line_ids": "Pick one.", "name": "Taken.", "_request": "Closed."},
            {"service_line_ids": "service_lines"},
        )
        assert list(form.service_lines.errors) == ["Pick one."]
        assert list(form.name.errors) == ["Taken."]
        assert get_flashed_messages(with_categories=True) == [("danger", "Closed.")]
