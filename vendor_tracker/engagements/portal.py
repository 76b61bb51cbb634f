"""The provider portal's home page: the provider's vendor, its engagements, what is due.

Drawn through `core.hooks.portal_home_page` for a provider's user at `/`; client staff keep the
dashboard. Packages add blocks to it with `core.hooks.portal_home_block` (e.g. KPO deliverables
due, BPO months awaiting verification), each for the provider's vendor only.
"""

from datetime import date

from vendor_tracker.auth.scope import vendor_scope
from vendor_tracker.core.hooks import Section, portal_home_blocks, portal_home_page
from vendor_tracker.engagements import services
from vendor_tracker.vendors.services import load_vendor


@portal_home_page
def portal_home() -> Section:
    """The provider's vendor, its engagements (newest first) and the blocks packages add."""
    vendor = load_vendor(vendor_scope() or 0)
    today = date.today()
    engagements = services.engagements_for_vendor(vendor.id)
    return Section(
        "engagements/portal_home.html",
        {
            "vendor": vendor,
            "engagements": engagements,
            "blocks": portal_home_blocks(vendor.id, today),
            "today": today,
        },
    )
