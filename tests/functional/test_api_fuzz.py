"""The whole API fuzzed from its own OpenAPI document (schemathesis, every default check).

The operations come from /api/v1/openapi.json, so endpoints added later are fuzzed without any
change here. Requests go in-process (WSGI) with an admin's bearer token, against a private copy
of the seeded demo database; the number of examples per operation keeps the run short.
"""

import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.conftest import PASSWORD, make_app
from vendor_tracker.extensions import db

EXAMPLES_PER_OPERATION = 12


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


@pytest.fixture(scope="module")
def admin_headers(fuzz_app):
    answer = fuzz_app.test_client().post(
        "/api/v1/auth/tokens", json={"email": "admin@example.com", "password": PASSWORD}
    )
    assert answer.status_code == 201
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}


@pytest.fixture(scope="module")
def api_schema(fuzz_app, admin_headers):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app, headers=admin_headers)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
def test_api_conforms_to_its_openapi_document(case, admin_headers):
    case.call_and_validate(headers=admin_headers)


def test_the_document_names_the_bearer_scheme(fuzz_app, admin_headers):
    document = fuzz_app.test_client().get("/api/v1/openapi.json", headers=admin_headers).get_json()
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert document["security"] == [{"bearerAuth": []}]
    assert document["paths"]["/api/v1/auth/tokens"]["post"]["security"] == []
