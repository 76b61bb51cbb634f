"""Extension points: packages that build on the registry add to its pages without editing them.

A provider is a plain function registered at import time (from the package's routes module).
Each provider issues a fixed number of queries however many rows a page shows.

Sections are the client's by default: a provider's user (the portal) sees only the sections
registered with `for_providers=True`, so a new section never leaks into the portal unseen.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_login import current_user


@dataclass(frozen=True)
class Section:
    """A block rendered into a host page: a template and the context it needs."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


# kind ("BPO" | "KPO") -> providers(engagement) -> Section | None, shown on the engagement page.
ENGAGEMENT_SECTIONS: dict[str, list[Callable[[Any], Section | None]]] = {"BPO": [], "KPO": []}
# providers(vendor) -> Section | None, shown on the vendor page.
VENDOR_SECTIONS: list[Callable[[Any], Section | None]] = []
# providers(vendor_ids) -> (column header, {vendor_id: html-safe text}), extra vendor-list columns.
VENDOR_LIST_COLUMNS: list[Callable[[list[int]], tuple[str, dict[int, Any]]]] = []
# name -> provider(vendor_ids) -> {vendor_id: count}: figures the vendor list shows per vendor
# that packages above the registry own (how many engagements each vendor has).
VENDOR_COUNTERS: dict[str, Callable[[list[int]], dict[int, int]]] = {}
# provider() -> Section: the home page (core's `dashboard` route), drawn by a package above core.
HOME_PAGE: list[Callable[[], Section]] = []
# provider() -> Section: the home page a provider's user sees instead (the portal's home).
PORTAL_HOME_PAGE: list[Callable[[], Section]] = []
# providers(vendor_id, today) -> Section | None: blocks of the portal's home page (what is due,
# what awaits the provider), each showing only that vendor's records.
PORTAL_HOME_BLOCKS: list[Callable[[int, Any], Section | None]] = []
# provider(vendor_ids or None for all) -> {vendor_id: name}: vendor names for packages below
# vendors (user administration shows which company a provider's user acts for).
VENDOR_NAMES: list[Callable[[list[int] | None], dict[int, str]]] = []
# name ("bpo" | "kpo" | "vendor-scores") -> keeper of a rollup table (figures per engagement
# and month, or per vendor and period, that the reports read, kept current by the write path).
# A keeper has `rebuild(progress) -> int` (recompute every row from the pure rules, return how
# many rows it wrote; it calls `progress(items, label)` once, which yields the items back while
# it shows how far it is) and `check() -> list[str]` (every difference between the stored rows
# and a fresh computation, naming the row, field, stored and fresh value; [] when they agree).
ROLLUP_KEEPERS: dict[str, Any] = {}
# session.info key: ids of the engagements whose monthly rollups this transaction recomputed,
# noted by the rollup keepers (`note_rollups_changed`) for the figures built on top of them (the
# stored vendor scorecards).
ROLLUPS_CHANGED = "rollups_changed_engagements"


def note_rollups_changed(session, engagement_ids) -> None:
    """Record, in the session's transaction, that these engagements' rollups were recomputed."""
    session.info.setdefault(ROLLUPS_CHANGED, set()).update(engagement_ids)


def _open_to_providers(provider, for_providers: bool):
    if for_providers:
        provider.portal_section = True
    return provider


def portal_view() -> bool:
    """True when the signed-in user is a provider's (pages then show only the portal's parts)."""
    return bool(getattr(current_user, "is_provider", False))


def engagement_section(kind: str, *, for_providers: bool = False):
    """Decorator: register a section provider for engagements of `kind`; `for_providers` shows
    it to providers' users too (it must then show only what their vendor may see)."""

    def register(provider):
        if provider not in ENGAGEMENT_SECTIONS[kind]:
            ENGAGEMENT_SECTIONS[kind].append(provider)
        return _open_to_providers(provider, for_providers)

    return register


def vendor_section(provider=None, *, for_providers: bool = False):
    """Decorator (bare or with `for_providers=True`): register a section for the vendor page."""

    def register(function):
        if function not in VENDOR_SECTIONS:
            VENDOR_SECTIONS.append(function)
        return _open_to_providers(function, for_providers)

    return register(provider) if provider is not None else register


def vendor_list_column(provider):
    """Decorator: register an extra column for the vendor list."""
    if provider not in VENDOR_LIST_COLUMNS:
        VENDOR_LIST_COLUMNS.append(provider)
    return provider


def vendor_counter(name: str):
    """Decorator: register the provider of the per-vendor count called `name`."""

    def register(provider):
        VENDOR_COUNTERS[name] = provider
        return provider

    return register


def home_page(provider):
    """Decorator: register the provider of the home page (one at a time: the last one wins)."""
    HOME_PAGE[:] = [provider]
    return provider


def portal_home_page(provider):
    """Decorator: register the provider of the portal's home page (the last one wins)."""
    PORTAL_HOME_PAGE[:] = [provider]
    return provider


def portal_home_block(provider):
    """Decorator: register a block for the portal's home page."""
    if provider not in PORTAL_HOME_BLOCKS:
        PORTAL_HOME_BLOCKS.append(provider)
    return provider


def portal_home_blocks(vendor_id: int, today) -> list[Section]:
    """The blocks the registered providers offer for the provider's home page, in order."""
    found = [s for p in PORTAL_HOME_BLOCKS if (s := p(vendor_id, today))]
    return sorted(found, key=lambda s: s.order)


def vendor_names_provider(provider):
    """Decorator: register the provider of vendor names (the last one wins)."""
    VENDOR_NAMES[:] = [provider]
    return provider


def rollup_keeper(name: str):
    """Decorator: register the keeper of the rollup table called `name` (the last one wins)."""

    def register(keeper):
        ROLLUP_KEEPERS[name] = keeper
        return keeper

    return register


def _shown(providers: list) -> list:
    portal = portal_view()
    return [p for p in providers if not portal or getattr(p, "portal_section", False)]


def sections_for_engagement(engagement) -> list[Section]:
    """Collect the sections the registered providers offer for this engagement (to a provider's
    user only those open to providers)."""
    kind = getattr(engagement.kind, "value", engagement.kind)
    found = [s for p in _shown(ENGAGEMENT_SECTIONS.get(kind, [])) if (s := p(engagement))]
    return sorted(found, key=lambda s: s.order)


def sections_for_vendor(vendor) -> list[Section]:
    """Collect the sections the registered providers offer for this vendor (to a provider's
    user only those open to providers)."""
    return sorted((s for p in _shown(VENDOR_SECTIONS) if (s := p(vendor))), key=lambda s: s.order)


def vendor_list_columns(vendor_ids: list[int]) -> list[tuple[str, dict[int, Any]]]:
    """Extra columns for a page of the vendor list."""
    return [provider(vendor_ids) for provider in VENDOR_LIST_COLUMNS]


def vendor_counts(name: str, vendor_ids: list[int]) -> dict[int, int]:
    """The per-vendor count `name` for these vendors ({} when no package provides it)."""
    provider = VENDOR_COUNTERS.get(name)
    return provider(vendor_ids) if provider and vendor_ids else {}


def home_page_section() -> Section | None:
    """The home page's template and context (the portal's for a provider's user), or None when
    no package draws it."""
    pages = PORTAL_HOME_PAGE if portal_view() else HOME_PAGE
    return pages[0]() if pages else None


def vendor_names(vendor_ids: list[int] | None = None) -> dict[int, str]:
    """{vendor_id: name} for these vendors (all with None), {} when no package provides them."""
    return VENDOR_NAMES[0](vendor_ids) if VENDOR_NAMES else {}
