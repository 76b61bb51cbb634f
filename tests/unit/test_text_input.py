"""The one text rule where input arrives: page forms (the `clean_text` filter), API fields
(`text`, `PLAIN_TEXT`, `plain_text`), the monthly results planner (form, import and API notes)
and the selection score sheet, all in the words of `core.text`."""

import importlib
import inspect
import pathlib
from datetime import date

import pytest
from marshmallow import Schema, ValidationError, fields
from werkzeug.datastructures import MultiDict
from wtforms import Form, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import Optional

from vendor_tracker.api.fields import PLAIN_TEXT, plain_text, text
from vendor_tracker.core.forms import clean_text
from vendor_tracker.core.text import CONTROL_CHARACTERS, TEXT_PATTERN
from vendor_tracker.engagements.bpo.results import IncomingRow, Intent, LevelSpec, plan_results
from vendor_tracker.engagements.bpo.sla import Window
from vendor_tracker.selection.scoring import sheet_problems

ROOT = pathlib.Path(__file__).resolve().parents[2] / "vendor_tracker"
# The monthly rows are parsed by the one results planner, which checks their note itself.
PLANNER_FORMS = {"ResultRowForm"}


class NoteForm(Form):
    note = TextAreaField("Note", [Optional()], [clean_text])


def test_a_form_shows_the_refusal_next_to_the_field():
    form = NoteForm(MultiDict({"note": "Escalated\x1b[0m"}))
    assert not form.validate()
    assert form.errors == {"note": [CONTROL_CHARACTERS]}


def test_a_form_keeps_tabs_and_the_line_breaks_browsers_send():
    form = NoteForm(MultiDict({"note": " First line\r\nsecond\tline\n"}))
    assert form.validate()
    assert form.note.data == "First line\r\nsecond\tline"


def test_a_form_reads_white_space_control_characters_alone_as_empty():
    form = NoteForm(MultiDict({"note": "\x0b\x1c"}))
    assert form.validate() and form.note.data == ""


def _text_fields():
    """(form class, field name, unbound field) of every text input of every forms module."""
    for path in sorted(ROOT.rglob("forms.py")):
        if path.parent == ROOT / "core":
            continue
        name = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
        module = importlib.import_module(name)
        for form in vars(module).values():
            if not (inspect.isclass(form) and issubclass(form, Form)):
                continue
            if form.__module__ != name or form.__name__ in PLANNER_FORMS:
                continue
            for attr in dir(form):
                unbound = getattr(form, attr)
                kind = getattr(unbound, "field_class", None)
                if (
                    inspect.isclass(kind)
                    and issubclass(kind, StringField)
                    and not issubclass(kind, PasswordField | HiddenField)
                ):
                    yield form.__name__, attr, unbound


def test_every_text_field_of_every_form_uses_the_one_filter():
    found = list(_text_fields())
    assert len(found) > 40
    missing = []
    for form, attr, unbound in found:
        filters = unbound.kwargs.get("filters") or (unbound.args[2:3] or [()])[0]
        if clean_text not in filters:
            missing.append(f"{form}.{attr}")
    assert missing == []


class Sample(Schema):
    name = text(40, 1)
    note = text(40, length_error="Too long.")
    comment = fields.String(validate=PLAIN_TEXT)
    title = fields.String(validate=plain_text)


@pytest.mark.parametrize("field", ["name", "note", "comment", "title"])
def test_an_api_field_names_itself_with_the_same_words(field):
    with pytest.raises(ValidationError) as refused:
        Sample().load({field: "bell\x07"})
    assert refused.value.messages == {field: [CONTROL_CHARACTERS]}
    assert Sample().load({field: "two\r\nlines\tand a tab"}) == {field: "two\r\nlines\tand a tab"}


def test_the_document_says_the_rule_as_its_pattern():
    assert PLAIN_TEXT.regex.pattern == TEXT_PATTERN
    with pytest.raises(ValidationError, match="Too long"):
        Sample().load({"note": "x" * 41})


def test_the_results_planner_refuses_a_control_character_in_a_note_for_every_writer():
    window = Window.of(date(2026, 1, 1), date(2026, 6, 30), date(2026, 4, 9))
    rows = [
        IncomingRow(2, "SL", "2026-03", "80", None, "Storm\x00"),
        IncomingRow(3, "SL", "2026-02", "81", None, "Storm\r\nday two"),
    ]
    plan = plan_results([LevelSpec(1, "SL", "%")], window, {}, rows, Intent.ADD)
    assert [(p.ref, p.field, p.reason) for p in plan.problems] == [(2, "note", CONTROL_CHARACTERS)]


def test_a_score_sheet_comment_is_held_to_the_same_rule():
    cells = {(1, 1): (4, "Strong\x1b"), (1, 2): (3, "Fine\r\nreally")}
    assert sheet_problems([1], [1, 2], cells) == {(1, 1): CONTROL_CHARACTERS}
