"""The needs-attention inbox item: what every package contributes to the inbox (standard library
only, so any package may build one without importing reporting)."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class InboxItem:
    """One thing someone must act on: its kind, what and where, and the day it is due (or None)."""

    kind: str  # a key of `reporting.attention.KIND_LABELS`, e.g. "bpo_breach"
    title: str
    detail: str
    url: str  # the page to act on
    due: date | None
