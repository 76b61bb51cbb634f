"""Packages that build on the registry add sections and columns through core.hooks."""

import pytest

from tests import factories
from vendor_tracker.core import hooks
from vendor_tracker.extensions import db


@pytest.fixture
def extra_providers(monkeypatch, app):
    seen = {}

    def column(ids):
        seen["ids"] = list(ids)
        return ("Test score", {ids[0]: "77.0 / 100"})

    monkeypatch.setattr(hooks, "VENDOR_LIST_COLUMNS", [column])
    monkeypatch.setattr(
        hooks,
        "VENDOR_SECTIONS",
        [lambda vendor: hooks.Section("vendors/_child_actions.html", {"x": 1}, order=5)],
    )
    return seen


def test_list_renders_extra_columns_with_blanks_for_missing_ids(app, client, auth, extra_providers):
    with app.app_context():
        first = factories.make_vendor("Aaa").id
        factories.make_vendor("Bbb")
        db.session.commit()
    auth.login("viewer")
    page = client.get("/vendors").get_data(as_text=True)
    assert "<th>Test score</th>" in page
    assert page.count("77.0 / 100") == 1
    assert extra_providers["ids"][0] == first and len(extra_providers["ids"]) == 2


def test_vendor_page_includes_registered_sections(app, client, auth, extra_providers):
    with app.app_context():
        vendor_id = factories.make_vendor("Ccc").id
        db.session.commit()
    auth.login("viewer")
    # The test section reuses a partial that needs `item`/`kind`; as a viewer it renders nothing,
    # so the page must still answer 200 with the section included.
    assert client.get(f"/vendors/{vendor_id}").status_code == 200


def test_engagement_page_includes_sections_of_its_kind(app, client, auth, monkeypatch, tmp_path):
    shown = []

    def provider(engagement):
        shown.append(engagement.id)
        return hooks.Section("vendors/_child_actions.html", {}, order=1)

    monkeypatch.setattr(hooks, "ENGAGEMENT_SECTIONS", {"BPO": [provider], "KPO": []})
    with app.app_context():
        bpo = factories.make_engagement(kind="BPO").id
        kpo = factories.make_engagement(kind="KPO").id
        db.session.commit()
    auth.login("viewer")
    assert client.get(f"/engagements/{bpo}").status_code == 200
    assert client.get(f"/engagements/{kpo}").status_code == 200
    assert shown == [bpo]
