"""The whole API fuzzed from its own OpenAPI document (schemathesis, every default check).

The operations come from /api/v1/openapi.json, so endpoints added later are fuzzed without any
change here. Requests go in-process (WSGI) with a bearer token, against a private copy of the
seeded demo database; the number of examples per operation keeps the run short. The run is made
twice: as an admin, and as a provider's user (every operation not open to providers answers 403,
the others never a server error).
"""

import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from tests.conftest import PASSWORD, make_app
from vendor_tracker.extensions import db

EXAMPLES_PER_OPERATION = 12
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
    case.call_and_validate()


def test_the_document_names_the_bearer_scheme(fuzz_app, admin_headers):
    document = fuzz_app.test_client().get("/api/v1/openapi.json", headers=admin_headers).get_json()
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert document["security"] == [{"bearerAuth": []}]
    assert document["paths"]["/api/v1/auth/tokens"]["post"]["security"] == []
