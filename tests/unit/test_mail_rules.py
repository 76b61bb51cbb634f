"""Retry timing, absolute links and mail settings of email delivery, worked out by hand."""

from datetime import timedelta

import pytest

from vendor_tracker.config import mail_settings
from vendor_tracker.notifications.delivery import DeliveryReport, gives_up, retry_delay
from vendor_tracker.notifications.mail import MailNotConfigured, absolute_link, base_url

BASE = "https://vendors.example.com"


def test_retry_waits_grow_then_repeat_the_last_one():
    waits = [retry_delay(n) for n in range(1, 8)]
    assert waits == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=8),
        timedelta(hours=8),
        timedelta(hours=8),
    ]
    assert retry_delay(0) == timedelta(minutes=1)  # never less than the first wait


def test_gives_up_on_the_last_allowed_attempt():
    assert [gives_up(n, 6) for n in (1, 5, 6, 7)] == [False, False, True, True]
    assert gives_up(1, 1) and gives_up(1, 0)  # at least one attempt is always made


def test_summary_names_only_what_happened():
    assert DeliveryReport(sent=3, retry=1).summary() == "3 sent, 1 will retry"
    assert DeliveryReport().summary() == "0 sent, 0 will retry"
    assert DeliveryReport(sent=1, failed=2, not_wanted=1).summary() == (
        "1 sent, 0 will retry, 2 failed for good, "
        "1 not sent (recipient inactive or email switched off)"
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/engagements/3/bpo", f"{BASE}/engagements/3/bpo"),
        (
            "/engagements/3/bpo?month=2026-10#levels",
            f"{BASE}/engagements/3/bpo?month=2026-10#levels",
        ),
        ("", f"{BASE}/notifications"),
        ("engagements/3", f"{BASE}/notifications"),  # not a path from the root
        ("//evil.example.net/x", f"{BASE}/notifications"),  # another host
        ("https://evil.example.net/x", f"{BASE}/notifications"),
        ("/\\evil.example.net", f"{BASE}/notifications"),
    ],
)
def test_absolute_link_keeps_links_inside_the_app(path, expected):
    assert absolute_link(BASE, path) == expected


def test_base_url_from_base_url_or_server_name():
    assert base_url({"BASE_URL": "https://vendors.example.com"}) == BASE
    assert base_url({"SERVER_NAME": "vt.example.org", "PREFERRED_URL_SCHEME": "http"}) == (
        "http://vt.example.org"
    )
    assert base_url({"SERVER_NAME": "vt.example.org"}) == "https://vt.example.org"
    with pytest.raises(MailNotConfigured, match="BASE_URL"):
        base_url({"BASE_URL": "", "SERVER_NAME": None})


def test_mail_settings_from_the_environment():
    assert mail_settings({}) == {
        "MAIL_SERVER": "",
        "MAIL_PORT": 587,
        "MAIL_USE_TLS": True,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_DEFAULT_SENDER": "",
        "BASE_URL": "",
        "NOTIFICATION_MAX_ATTEMPTS": 6,
    }
    ssl = mail_settings(
        {
            "MAIL_SERVER": " smtp.example.com ",
            "MAIL_USE_SSL": "true",
            "MAIL_USERNAME": "vt",
            "MAIL_PASSWORD": "pw",
            "BASE_URL": "https://vendors.example.com/",
            "NOTIFICATION_MAX_ATTEMPTS": "0",
        }
    )
    assert ssl["MAIL_SERVER"] == "smtp.example.com"
    assert (ssl["MAIL_PORT"], ssl["MAIL_USE_SSL"], ssl["MAIL_USE_TLS"]) == (465, True, False)
    assert ssl["BASE_URL"] == BASE  # no trailing slash: links are BASE + "/path"
    assert ssl["NOTIFICATION_MAX_ATTEMPTS"] == 1
    assert mail_settings({"MAIL_PORT": "2525", "MAIL_USE_TLS": "0"})["MAIL_PORT"] == 2525
