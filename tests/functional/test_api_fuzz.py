"""The whole API fuzzed from its own OpenAPI document (schemathesis, every check it has).

The operations come from /api/v1/openapi.json, so endpoints added later are fuzzed without any
change here. Requests go in-process (WSGI) with a bearer token, against a private copy of the
seeded demo database; the number of examples per operation keeps the run short. Four runs:

- as an admin and as a provider's user, every operation (the provider gets 403 from every
  operation not open to providers, never a server error);
- as a viewer, every write: each one answers 403 in the JSON error shape, whatever the body;
- statefully as an admin: schemathesis follows the document's links from what a create answers
  to the reads, updates and deletes of what it created (vendors, engagements, service levels,
  deliverables and their versions, sourcing requests and their shortlists, risks), so those
  operations meet real ids, and checks that a created record can be read and a deleted one is
  gone.
"""

import collections
import re
import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from tests.conftest import PASSWORD, make_app
from vendor_tracker.extensions import db

EXAMPLES_PER_OPERATION = 5
VIEWER_EXAMPLES_PER_WRITE = 2
STATEFUL_SCENARIOS = 40
STATEFUL_STEPS = 8
WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]
# The stateful walk: the linked records (lists, creates, and the reads, updates and deletes of
# one record) and what hangs from them: service levels, deliverables and their versions and
# reviews, review statistics, a request's shortlist and criteria.
ONE = r"(/\{[a-z_]+\})?"
STATEFUL_PATHS = "|".join(
    [
        rf"^/api/v1/(vendors|engagements|risks|sourcing-requests){ONE}$",
        rf"^/api/v1/engagements/\{{engagement_id\}}/(service-levels|deliverables){ONE}$",
        r"^/api/v1/engagements/\{engagement_id\}/review-stats$",
        r"^/api/v1/deliverables/\{deliverable_id\}(/submissions)?$",
        r"^/api/v1/submissions/\{submission_id\}/review$",
        rf"^/api/v1/sourcing-requests/\{{rid\}}/(candidates|criteria){ONE}$",
    ]
)
load_all_checks()
# Every check: server errors, status codes, content types, headers and bodies as documented,
# schema-valid data accepted, invalid data refused, methods and auth as documented, and more.
ALL_CHECKS = CHECKS.get_all()
# A request can match the document and still break a rule the document cannot express (an id
# that names no row, an end date before the start, a stale version); the API answers those 422
# (or 409) naming the field, which the "schema-valid data is accepted" check must allow.
POSITIVE_DATA_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]
FUZZ_SETTINGS = {
    "deadline": None,
    "suppress_health_check": list(HealthCheck),
    "print_blob": True,
}


def fuzz_config(token: str, **more) -> dict:
    """Schemathesis settings: the user's bearer token for the documented scheme, and the
    statuses a schema-valid request may get."""
    return {
        "auth": {"openapi": {"bearerAuth": {"bearer": token}}, "auto-signup": False},
        "checks": {"positive_data_acceptance": {"expected-statuses": POSITIVE_DATA_STATUSES}},
        **more,
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


def _schema(app, email: str, token: str | None = None, **more):
    token = token or _token(app, email)
    config = SchemathesisConfig.from_dict(fuzz_config(token, **more))
    return schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json",
        app,
        config=config,
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.fixture(scope="module")
def admin_headers(fuzz_app):
    return {"Authorization": f"Bearer {_token(fuzz_app, 'admin@example.com')}"}


# The coverage phase (every boundary the document defines) runs for the admin, who reaches
# every operation's rules; the roles that are refused most operations are fuzzed without it.
WITHOUT_COVERAGE = {"phases": {"coverage": {"enabled": False}}}


@pytest.fixture(scope="module", params=["admin@example.com", "provider@example.com"])
def api_schema(request, fuzz_app):
    """The document, fuzzed with the bearer token of an admin, then of Concentrix's provider."""
    more = {} if request.param.startswith("admin") else WITHOUT_COVERAGE
    return _schema(fuzz_app, request.param, **more)


@pytest.fixture(scope="module")
def viewer_schema(fuzz_app):
    """The document, with a viewer's token."""
    token = _token(fuzz_app, "viewer@example.com")
    VIEWER_AUTHORIZATION["value"] = f"Bearer {token}"
    # Schema-valid requests only: each names a real operation (an id the router cannot read
    # is a 404 before any view, as the admin's run shows).
    positive = {"generation": {"mode": "positive"}}
    return _schema(fuzz_app, "viewer@example.com", token, **WITHOUT_COVERAGE, **positive)


VIEWER_AUTHORIZATION: dict[str, str] = {}
schema = schemathesis.pytest.from_fixture("api_schema")
viewer_writes = (
    schemathesis.pytest.from_fixture("viewer_schema")
    .include(method=WRITE_METHODS)
    .exclude(path="/api/v1/auth/tokens")
)


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, **FUZZ_SETTINGS)
def test_api_conforms_to_its_openapi_document(case):
    case.call_and_validate(checks=ALL_CHECKS)


@viewer_writes.parametrize()
@settings(max_examples=VIEWER_EXAMPLES_PER_WRITE, **FUZZ_SETTINGS)
def test_a_viewer_may_write_nothing(case):
    """Whatever the body or the ids, a viewer's write is refused (403 in the JSON error shape)
    before anything is read. The checks also send other methods and spoilt tokens on purpose:
    those get 405 and 401, which the checks hold to the document."""
    response = case.call_and_validate(checks=ALL_CHECKS)
    request = response.request
    if request.method == case.method.upper() and (
        request.headers.get("Authorization") == VIEWER_AUTHORIZATION["value"]
    ):
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "forbidden"


def test_stateful_admin_walk_follows_the_documents_links(fuzz_app):
    """Scenarios of a few calls each along the document's links, every check on every call.

    Schema-valid data only (the stateless runs send the invalid), on the records the links
    connect, so the calls reach real rows rather than 404s.
    """
    api = _schema(fuzz_app, "admin@example.com", generation={"mode": "positive"})
    machine = (
        api.include(path_regex=STATEFUL_PATHS).exclude(path_regex=r"/files").as_state_machine()
    )
    assert len(machine.bundles) >= 10  # the document's links, and those schemathesis infers
    answers = collections.Counter()

    class AdminWalk(machine):
        def validate_response(self, response, case, additional_checks=None, **kwargs):
            answers[case.operation.path, response.status_code // 100] += 1
            case.validate_response(response, checks=ALL_CHECKS, transport_kwargs=kwargs)

    AdminWalk.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS, stateful_step_count=STATEFUL_STEPS, **FUZZ_SETTINGS
        )
    )
    # The walk got somewhere: records named by an id in the path were found and answered.
    reached = {path for (path, kind), _count in answers.items() if kind == 2 and "{" in path}
    assert reached, answers


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
