"""List pages: the ?page=/?sort= arguments, and paging of lists computed in Python (scorecards,
inbox) shaped like db.paginate."""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app, request


@dataclass
class ListPage:
    """One page of an in-memory list, with the attributes the `pagination` macro reads."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.total else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(self, left_edge=2, left_current=2, right_current=5, right_edge=2):
        """Page numbers with None for gaps, as Flask-SQLAlchemy's Pagination gives them."""
        last = 0
        for number in range(1, self.pages + 1):
            if (
                number <= left_edge
                or self.page - left_current - 1 < number < self.page + right_current
                or number > self.pages - right_edge
            ):
                if last + 1 != number:
                    yield None
                yield number
                last = number


def paginate_list(items: Sequence, page: int, per_page: int) -> ListPage:
    """Cut one page out of a list; a page past the end shows the last page."""
    total = len(items)
    pages = max(1, math.ceil(total / per_page)) if total else 1
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    return ListPage(list(items[start : start + per_page]), page, per_page, total)


def page_number() -> int:
    """The ?page= argument, 1 when missing or not a sensible number."""
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdecimal() and 0 < len(raw) < 7 and int(raw) > 0 else 1


def per_page() -> int:
    """Rows per page on list pages (the ITEMS_PER_PAGE setting)."""
    return current_app.config["ITEMS_PER_PAGE"]


def sort_args(allowed: Sequence[str], default: str, default_dir: str = "asc") -> tuple[str, str]:
    """The ?sort= and ?dir= arguments, limited to known keys."""
    sort = request.args.get("sort", default)
    direction = request.args.get("dir", default_dir)
    return (sort if sort in allowed else default), (
        direction if direction in ("asc", "desc") else default_dir
    )


def sort_rows(rows: list, key: Callable[[Any], Any], descending: bool) -> list:
    """Sort with rows whose key is None always last, whatever the direction."""
    present = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]
    return sorted(present, key=key, reverse=descending) + missing
