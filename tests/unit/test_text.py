"""The one rule for text input (control characters) and what every export can write."""

import re
import sys
import unicodedata

import pytest

from vendor_tracker.core.text import CONTROL_CHARACTERS, TEXT_PATTERN, text_problem, writable

ALLOWED_CONTROLS = {"\t", "\n"}


def refused_alone(ch: str) -> bool:
    """The rule in words: control characters but tab and LF, surrogates, U+FFFE and U+FFFF."""
    if ch in ALLOWED_CONTROLS:
        return False
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff"


def test_every_character_alone_follows_the_rule():
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        assert (text_problem(ch) is not None) == refused_alone(ch), hex(code)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "Plain",
        "Tab\tseparated",
        "Two\nlines",
        "Windows\r\nlines",
        "\r\n",
        "Ünïcödé ✓ 東京",
        "😀",
    ],
)
def test_text_with_tabs_and_line_breaks_is_accepted(value):
    assert text_problem(value) is None


@pytest.mark.parametrize(
    "value",
    ["a\x00b", "bell\x07", "\x1b[31mred", "lone\rCR", "end\r", "\r\r\n", "del\x7f", "c1\x85"],
)
def test_control_characters_are_refused_in_the_same_words(value):
    assert text_problem(value) == CONTROL_CHARACTERS


def test_the_documented_pattern_is_the_rule():
    # The OpenAPI document publishes TEXT_PATTERN; read with search (as JSON Schema does) it
    # must accept and refuse exactly what text_problem does.
    pattern = re.compile(TEXT_PATTERN)
    for value in ["ok", "a\r\nb", "a\tb\n", "a\rb", "a\x01", "\x0b", "x\ud800"]:
        assert (pattern.search(value) is not None) == (text_problem(value) is None), repr(value)


def test_writable_drops_only_what_a_file_cannot_hold():
    assert writable("a\x00b\x0bc\x1fd\x7fe\x9ff\ud800g\ufffeh\uffff") == "abcdefgh"
    assert writable("tab\tlf\ncr\rcrlf\r\n ✓") == "tab\tlf\ncr\rcrlf\r\n ✓"
