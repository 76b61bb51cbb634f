"""The dashboard: the home page that core's `dashboard` route shows (URL /, endpoint
core.dashboard), drawn here because its counts read vendors and engagements."""

from vendor_tracker.core.hooks import Section, home_page
from vendor_tracker.reporting.dashboard import dashboard_counts


@home_page
def dashboard() -> Section:
    """The registry's counts: vendors, engagements, certificates expiring."""
    return Section("reporting/dashboard.html", {"counts": dashboard_counts()})
