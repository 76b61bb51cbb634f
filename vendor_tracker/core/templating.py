"""Jinja filters and globals: money with currency, percentages, months, countries."""

from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlencode

import pycountry
from flask import Flask, request, url_for

NO_DATA = "no data"


def money(amount: Decimal | float | int | None, currency: str | None = None) -> str:
    """'USD 12,345.00'; missing amounts read 'no data'."""
    if amount is None:
        return NO_DATA
    text = f"{Decimal(amount):,.2f}"
    return f"{currency} {text}" if currency else text


def percent(value: float | Decimal | None, digits: int = 1) -> str:
    """'92.4 %'; None reads 'no data', never 0 % or 100 %."""
    if value is None:
        return NO_DATA
    return f"{float(value):.{digits}f} %"


def month_label(value: date | str | None) -> str:
    """'Oct 2026' for a date or a 'YYYY-MM' string."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = date(int(value[:4]), int(value[5:7]), 1)
    return value.strftime("%b %Y")


def nice_date(value: date | datetime | None) -> str:
    """'21 Nov 2026' (UTC times get ' 14:05 UTC')."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d %b %Y %H:%M UTC")
    return value.strftime("%d %b %Y")


def country_name(code: str | None) -> str:
    """ISO 3166 alpha-2 code to its English name."""
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code.upper())
    return country.name if country else code


def humanize(value: object) -> str:
    """'on_watch' -> 'On watch' for enum values shown to people."""
    raw = getattr(value, "value", value)
    return str(raw).replace("_", " ").capitalize() if raw is not None else ""


def url_with(**changes) -> str:
    """The current URL with some query arguments replaced (None removes one)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [str(value)]
    query = urlencode(args, doseq=True)
    return request.path + ("?" + query if query else "")


def options_of(members, label: str = "label") -> list[tuple[str, str]]:
    """(value, text) pairs of enum members for a filter select; `label` names the text."""
    return [(member.value, getattr(member, label)) for member in members]


def export_url(dataset: str, fmt: str) -> str:
    """A file export of `dataset` (csv or xlsx) with the current page's filters, not its page."""
    args = {
        key: values
        for key, values in request.args.to_dict(flat=False).items()
        if key not in {"dataset", "fmt", "page", "per_page"}
    }
    return url_for("reporting.export_file", dataset=dataset, fmt=fmt, **args)


def register_template_helpers(app: Flask) -> None:
    """Make the helpers above available in every template."""
    app.add_template_filter(money)
    app.add_template_filter(percent)
    app.add_template_filter(month_label)
    app.add_template_filter(nice_date)
    app.add_template_filter(country_name)
    app.add_template_filter(humanize)
    app.add_template_global(url_with)
    app.add_template_global(export_url)
    app.add_template_global(options_of)
    app.add_template_global(date.today, "today")

    @app.context_processor
    def _endpoints():
        # Navigation shows only the sections whose pages exist.
        return {"url_endpoints": app.view_functions.keys()}
