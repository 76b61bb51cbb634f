"""Every main page passes axe-core's accessibility checks (WCAG 2 A and AA) in a real browser:
no violation of impact serious or critical, for each client role and each provider's user."""

import os

import pytest

from tests.e2e.pages import CLIENT_ROLES, PROVIDERS, main_pages
from tests.e2e.test_smoke import sign_in

pytestmark = pytest.mark.e2e

BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def axe():
    """axe-core as shipped by the axe-playwright-python package."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        reason = "axe-playwright-python is not installed (pip install -e '.[dev]')"
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(f"E2E_REQUIRED=1 but {reason}")
        pytest.skip(reason)
    return Axe()


def _email(user: str) -> str:
    return user if "@" in user else f"{user}@example.com"


def _blocking(name: str, path: str, violations: list[dict]) -> list[str]:
    """One line per serious or critical violation: page, rule, impact, targets and summary."""
    lines = []
    for violation in violations:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(
                f"{name} ({path}): {violation['id']} [{violation['impact']}] "
                f"{node['target']}: {summary or violation['help']}"
            )
    return lines


@pytest.mark.parametrize("user", [*CLIENT_ROLES, *PROVIDERS])
def test_main_pages_have_no_serious_or_critical_violation(page, axe, tmp_path, user):
    sign_in(page, _email(user))
    found = []
    for name, path in main_pages(tmp_path / "test.sqlite3", user):
        response = page.goto(path)
        assert response.status == 200, f"{user} cannot open {name} ({path}): {response.status}"
        found += _blocking(name, path, axe.run(page).response["violations"])
    print("\n".join(found))
    assert not found, f"{len(found)} serious or critical violations:\n" + "\n".join(found)


def test_the_first_tab_stop_skips_to_the_main_content(page):
    sign_in(page)
    page.goto("/vendors")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to main content"
    assert skip.is_visible()  # hidden until focused, then shown
    skip.press("Enter")
    assert page.url.endswith("#main")
    assert page.evaluate("document.activeElement.id") == "main"
