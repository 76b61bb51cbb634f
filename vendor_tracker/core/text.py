"""What text the application accepts, and what each stored text may hold in a file: one rule
for every form, the API and the imports. Standard library only.

Accepted: any character but the control characters (Unicode category Cc: C0, DEL and C1), with
three exceptions: tab, line feed, and a carriage return directly before a line feed (browsers
send a textarea's line breaks as CR LF). Also refused, as no database or spreadsheet can hold
them: lone UTF-16 surrogates and the non-characters U+FFFE and U+FFFF.
"""

import re

CONTROL_CHARACTERS = "Remove control characters (only tab and line breaks are allowed)."

_REFUSED = r"\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"  # CR (\x0d) among them
# The rule as a regular expression that ECMAScript (the OpenAPI document) and Python read alike.
TEXT_PATTERN = rf"^(?:[^{_REFUSED}]|\r\n)*$"
_ACCEPTED = re.compile(TEXT_PATTERN)
# What no file format (XML 1.0 in an .xlsx, and so every export) may hold; CR, tab, LF stay.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def text_problem(value: str) -> str | None:
    """Why this text is refused (a control character), or None when it is accepted."""
    return None if _ACCEPTED.fullmatch(value) else CONTROL_CHARACTERS


def writable(value: str) -> str:
    """The text without the characters a file cannot hold (for data stored before the rule)."""
    return _UNWRITABLE.sub("", value)
