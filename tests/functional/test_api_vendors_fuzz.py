"""Fuzz the vendor and engagement API from its own OpenAPI document (schemathesis)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests import factories
from tests.conftest import PASSWORD
from vendor_tracker.extensions import db


@pytest.fixture
def registry_schema(app):
    with app.app_context():
        vendor = factories.make_vendor("Fuzz target")
        factories.make_engagement(vendor=vendor)
        db.session.commit()
    client = app.test_client()
    token = client.post(
        "/api/v1/auth/tokens", json={"email": "manager@example.com", "password": PASSWORD}
    ).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, headers=headers)
    HEADERS.update(headers)
    return schema


HEADERS: dict[str, str] = {}
# The registry's own operations: vendors and engagements, not the BPO/KPO calls beneath them.
schema = schemathesis.pytest.from_fixture("registry_schema").include(
    path_regex=r"^/api/v1/(vendors|engagements)(/\{[a-z_]+\})?$"
)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_registry_api_answers_by_its_document(case):
    # Business rules that span fields (end >= start, a line of the engagement's kind, names
    # that must exist) answer 422 to schema-valid input, so positive acceptance is not asked.
    # TRACE and other undeclared methods get 405 from the core error handler, which does not
    # yet pass werkzeug's Allow header through (reported to the core's owner).
    from schemathesis.specs.openapi.checks import positive_data_acceptance, unsupported_method

    case.call_and_validate(
        headers=HEADERS, excluded_checks=[positive_data_acceptance, unsupported_method]
    )
