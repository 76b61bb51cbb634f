"""The provider's home page says what waits for whom: months to verify or correct, credit
disputes awaiting the client, deliverables due; nothing of another vendor."""

from tests.conftest import logged_in_client


def _home(demo_app, email) -> str:
    client = logged_in_client(demo_app, email)
    answer = client.get("/")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_a_bpo_providers_home_lists_its_months_and_disputes_in_progress(demo_app):
    html = _home(demo_app, "provider@example.com")
    assert "Monthly reports and credit disputes in progress" in html
    # The demo data: Concentrix's last month awaits verification, an earlier one is disputed,
    # and one credit dispute is open.
    assert "Submitted, awaiting verification" in html
    assert "Yours: correct and resubmit" in html
    assert "awaiting the client&#39;s decision" in html or "awaiting the client's decision" in html
    assert "Deliverables due" not in html  # a BPO-only vendor has no KPO block
    assert "Evalueserve" not in html


def test_a_kpo_providers_home_lists_what_is_due_and_whose_step_it_is(demo_app):
    html = _home(demo_app, "provider-b@example.com")
    assert "Deliverables due in the next two weeks or overdue" in html
    # Evalueserve's win/loss synthesis came back with changes requested: the provider's turn.
    assert "Yours: submit version 2" in html
    assert "Monthly reports" not in html  # a KPO-only vendor has no BPO block
    assert "Concentrix" not in html
