"""Extension points: packages that build on the registry add to its pages without editing them.

A provider is a plain function registered at import time (from the package's routes module).
Each provider issues a fixed number of queries however many rows a page shows.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


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


def engagement_section(kind: str):
    """Decorator: register a section provider for engagements of `kind`."""

    def register(provider):
        if provider not in ENGAGEMENT_SECTIONS[kind]:
            ENGAGEMENT_SECTIONS[kind].append(provider)
        return provider

    return register


def vendor_section(provider):
    """Decorator: register a section provider for the vendor page."""
    if provider not in VENDOR_SECTIONS:
        VENDOR_SECTIONS.append(provider)
    return provider


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


def sections_for_engagement(engagement) -> list[Section]:
    """Collect the sections every registered provider offers for this engagement."""
    kind = getattr(engagement.kind, "value", engagement.kind)
    found = [s for p in ENGAGEMENT_SECTIONS.get(kind, []) if (s := p(engagement))]
    return sorted(found, key=lambda s: s.order)


def sections_for_vendor(vendor) -> list[Section]:
    """Collect the sections every registered provider offers for this vendor."""
    return sorted((s for p in VENDOR_SECTIONS if (s := p(vendor))), key=lambda s: s.order)


def vendor_list_columns(vendor_ids: list[int]) -> list[tuple[str, dict[int, Any]]]:
    """Extra columns for a page of the vendor list."""
    return [provider(vendor_ids) for provider in VENDOR_LIST_COLUMNS]


def vendor_counts(name: str, vendor_ids: list[int]) -> dict[int, int]:
    """The per-vendor count `name` for these vendors ({} when no package provides it)."""
    provider = VENDOR_COUNTERS.get(name)
    return provider(vendor_ids) if provider and vendor_ids else {}


def home_page_section() -> Section | None:
    """The home page's template and context, or None when no package draws it."""
    return HOME_PAGE[0]() if HOME_PAGE else None
