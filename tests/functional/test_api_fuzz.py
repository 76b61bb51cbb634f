"""The whole API fuzzed from its own OpenAPI document (schemathesis, every check it has).

The operations come from /api/v1/openapi.json, so endpoints added later are fuzzed without any
change here. Requests go in-process (WSGI) with a bearer token, against a private copy of the
seeded demo database; the number of examples per operation keeps the run short. The run is made
twice: as an admin, and as a provider's user (every operation not open to providers answers 403,
the others never a server error).
"""

import re
import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from tests.conftest import PASSWORD, make_app
from vendor_tracker.extensions import db

EXAMPLES_PER_OPERATION = 8
load_all_checks()
# Every check: server errors, status codes, content types, headers and bodies as documented,
# schema-valid data accepted, invalid data refused, methods and auth as documented, and more.
ALL_CHECKS = CHECKS.get_all()
# A request can match the document and still break a rule the document cannot express (an id
# that names no row, an end date before the start, a stale version); the API answers those 422
# (or 409) naming the field, which the "schema-valid data is accepted" check must allow.
POSITIVE_DATA_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]


def fuzz_config(token: str) -> dict:
    """Schemathesis settings: the admin's bearer token for the documented scheme, and the
    statuses a schema-valid request may get."""
    return {
        "auth": {"openapi": {"bearerAuth": {"bearer": token}}, "auto-signup": False},
        "checks": {"positive_data_acceptance": {"expected-statuses": POSITIVE_DATA_STATUSES}},
    }


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory, demo_database):
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copyfile(demo_database, folder / "test.sqlite3")
    # Generous sign-in limits: the fuzzer posts to the token endpoint many times on purpose.
    app = make_app(
        folder,
        LOGIN_LIMIT_PER_ACCOUNT="100000 per minute",
        LOGIN_LIMIT_PER_ADDRESS="100000 per minute",
    )
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _token(app, email: str) -> str:
    answer = app.test_client().post(
        "/api/v1/auth/tokens", json={"email": email, "password": PASSWORD}
    )
    assert answer.status_code == 201
    return answer.get_json()["token"]


@pytest.fixture(scope="module")
def admin_token(fuzz_app):
    return _token(fuzz_app, "admin@example.com")


@pytest.fixture(scope="module")
def admin_headers(admin_token):
    return {"Authorization": f"Bearer {admin_token}"}


@pytest.fixture(scope="module", params=["admin@example.com", "provider@example.com"])
def api_schema(request, fuzz_app):
    """The document, fuzzed with the bearer token of an admin, then of Concentrix's provider."""
    token = _token(fuzz_app, request.param)
    config = SchemathesisConfig.from_dict(fuzz_config(token))
    return schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json",
        fuzz_app,
        config=config,
        headers={"Authorization": f"Bearer {token}"},
    )


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
def test_api_conforms_to_its_openapi_document(case):
    case.call_and_validate(checks=ALL_CHECKS)


def test_the_document_names_the_bearer_scheme(fuzz_app, admin_headers):
    document = fuzz_app.test_client().get("/api/v1/openapi.json", headers=admin_headers).get_json()
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert document["security"] == [{"bearerAuth": []}]
    assert document["paths"]["/api/v1/auth/tokens"]["post"]["security"] == []


def test_the_document_says_what_the_rules_accept(fuzz_app, admin_headers):
    """Limits the fuzzer met as 422s: the document now says them."""
    document = fuzz_app.test_client().get("/api/v1/openapi.json", headers=admin_headers).get_json()
    schemas, paths = document["components"]["schemas"], document["paths"]
    weight = schemas["CriterionIn"]["properties"]["weight"]
    assert weight["exclusiveMinimum"] is True and weight["minimum"] > 0
    assert schemas["Rubric"]["properties"]["criteria"]["minItems"] == 1
    answers = schemas["Answers"]["properties"]["answers"]
    assert answers["additionalProperties"] is False and "checklist" in answers["required"]
    months = schemas["MeasurementIn"]["properties"]["period"]["pattern"]
    assert re.match(months, "2026-03") and not re.match(months, "0000-01")
    quarter = paths["/api/v1/scorecards"]["get"]["parameters"][0]["schema"]["pattern"]
    assert re.match(quarter, "2026-Q1") and not re.match(quarter, "0000-Q1")
    body = paths["/api/v1/engagements/{engagement_id}/measurements"]["post"]["requestBody"]
    one, many = body["content"]["application/json"]["schema"]["oneOf"]
    assert one["$ref"].endswith("/MeasurementIn") and many["minItems"] == 1
