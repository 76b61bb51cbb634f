"""Numbers in query strings and forms written with digits Python's int() refuses ("²" is a digit
to str.isdigit) are treated as no number: a page, never a server error."""

import pytest

from tests.conftest import logged_in_client

SUPERSCRIPT_TWO = "%C2%B2"
URLS = [
    f"/vendors?page={SUPERSCRIPT_TWO}",
    f"/vendors?service_line={SUPERSCRIPT_TWO}",
    f"/engagements?vendor={SUPERSCRIPT_TWO}&page={SUPERSCRIPT_TWO}",
    f"/bpo/portfolio?page={SUPERSCRIPT_TWO}&vendor={SUPERSCRIPT_TWO}",
    f"/reports/risks?vendor={SUPERSCRIPT_TWO}",
    f"/reports/qbrs?vendor={SUPERSCRIPT_TWO}&year={SUPERSCRIPT_TWO}",
    f"/reports/exports/vendors.csv?vendor={SUPERSCRIPT_TWO}",
]


@pytest.mark.parametrize("url", URLS)
def test_odd_digits_in_query_arguments_are_not_a_server_error(app, url):
    client = logged_in_client(app, "manager")
    assert client.get(url).status_code < 500


def test_a_month_written_with_odd_digits_is_not_a_month():
    from vendor_tracker.engagements.bpo.sla import parse_period

    assert parse_period("20²6-03") is None
    assert parse_period("٢٠٢٦-03") is None  # the API documents YYYY-MM in ASCII digits
    assert parse_period("2026-03").month == 3
