"""Filtering, sorting and paging the deliverables table.

Status is derived from the rounds, so it cannot be filtered in SQL; an engagement holds tens of
deliverables, which makes filtering the already-loaded rows cheaper than a second query.
"""

from dataclasses import dataclass
from datetime import date
from math import ceil

from vendor_tracker.engagements.kpo.review import DeliverableStatus, DeliverableType

PER_PAGE = 25
SORT_KEYS = ("due", "title", "status", "rounds", "activity", "quality")
STATUS_FILTERS = [s.value for s in DeliverableStatus] + ["overdue", "open"]


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    type: str | None = None
    q: str = ""
    sort: str = "due"
    direction: str = "asc"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "Filters":
        """Read the table's query arguments (prefixed `d_` so host pages keep their own)."""
        status = args.get("d_status") or None
        kind = args.get("d_type") or None
        sort = args.get("d_sort") or "due"
        direction = args.get("d_dir") or "asc"
        try:
            page = max(1, min(int(args.get("d_page", 1)), 100_000))
        except (TypeError, ValueError):
            page = 1
        return cls(
            status=status if status in STATUS_FILTERS else None,
            type=kind if kind in {t.value for t in DeliverableType} else None,
            q=(args.get("d_q") or "").strip()[:100],
            sort=sort if sort in SORT_KEYS else "due",
            direction=direction if direction in ("asc", "desc") else "asc",
            page=page,
        )

    @property
    def active(self) -> bool:
        return bool(self.status or self.type or self.q)


@dataclass(frozen=True)
class RowPage:
    items: list
    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _matches(row, filters: Filters) -> bool:
    f = row.figures
    if filters.status == "overdue" and not f.overdue:
        return False
    if filters.status == "open" and f.status in (
        DeliverableStatus.ACCEPTED,
        DeliverableStatus.REJECTED,
    ):
        return False
    if filters.status in {s.value for s in DeliverableStatus} and f.status != filters.status:
        return False
    if filters.type and row.type != filters.type:
        return False
    return not (filters.q and filters.q.lower() not in row.title.lower())


def _key(sort: str):
    # Missing values sort last in ascending order, whatever the column.
    far = date.max
    return {
        "due": lambda r: (r.due_on, r.id),
        "title": lambda r: (r.title.lower(), r.id),
        "status": lambda r: (list(DeliverableStatus).index(r.figures.status), r.due_on),
        "rounds": lambda r: (r.figures.rounds, r.due_on),
        "activity": lambda r: (r.figures.last_activity or far, r.id),
        "quality": lambda r: (
            r.figures.latest_quality is None,
            r.figures.latest_quality or 0.0,
            r.id,
        ),
    }[sort]


def filter_sort_page(rows: list, filters: Filters, per_page: int = PER_PAGE) -> RowPage:
    """The rows matching the filters, sorted, and the requested page of them."""
    kept = sorted(
        (r for r in rows if _matches(r, filters)),
        key=_key(filters.sort),
        reverse=filters.direction == "desc",
    )
    pages = max(1, ceil(len(kept) / per_page))
    page = min(filters.page, pages)
    start = (page - 1) * per_page
    return RowPage(items=kept[start : start + per_page], page=page, pages=pages, total=len(kept))
