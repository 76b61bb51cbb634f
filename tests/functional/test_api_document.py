"""The OpenAPI document says exactly what the API answers: every error an operation can give,
typed objects of a fixed shape, month patterns, and links from creates to what they created."""

import re

import pytest

from tests.conftest import ApiActions

# Components still being written (optional or untyped fields); each leaves this list when done.
NOT_CHECKED_YET = {"File"}


@pytest.fixture
def api(demo_app):
    return ApiActions(demo_app.test_client())


@pytest.fixture
def document(api):
    answer = api.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    return answer.get_json()


def _engagement_of_kind(api, kind: str) -> int:
    return api.get(f"/api/v1/engagements?kind={kind}").get_json()["items"][0]["id"]


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield path, method, operation, item.get("parameters", [])


def _error_ref(answer: dict, document: dict) -> str:
    if "$ref" in answer:  # a shared response
        answer = document["components"]["responses"][answer["$ref"].rsplit("/", 1)[-1]]
    return answer["content"]["application/json"]["schema"]["$ref"]


def test_every_operation_documents_its_errors_in_the_one_error_shape(document):
    count = 0
    for path, method, operation, parameters in _operations(document):
        responses = operation["responses"]
        expected = set()
        if operation.get("security") != []:
            expected |= {"401"}
        if any(p["in"] == "path" for p in parameters + operation.get("parameters", [])):
            expected |= {"404"}
        if "requestBody" in operation:
            expected |= {"413", "422"}
        if method in {"post", "put", "patch", "delete"} and path != "/api/v1/auth/tokens":
            expected |= {"403", "409"}
        missing = expected - set(responses)
        assert not missing, f"{method.upper()} {path} does not document {sorted(missing)}"
        for code in expected:
            assert _error_ref(responses[code], document) == "#/components/schemas/Error"
        count += 1
    assert count >= 68  # every operation was walked


def test_the_token_endpoint_is_the_one_open_operation(document):
    tokens = document["paths"]["/api/v1/auth/tokens"]["post"]["responses"]
    assert "401" not in tokens and {"201", "422"} <= set(tokens)


def _response_components(document) -> set[str]:
    schemas, found = document["components"]["schemas"], set()

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[-1]
                if name not in found:
                    found.add(name)
                    walk(schemas[name])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for _path, _method, operation, _params in _operations(document):
        for code, answer in operation["responses"].items():
            if code.startswith("2"):
                walk(answer)
    return found


def test_every_answer_is_a_typed_object_of_a_fixed_shape(document):
    schemas = document["components"]["schemas"]
    answered = _response_components(document)
    # The typed objects that were loose maps before, among others.
    assert {"AdvisorOut", "VendorRow", "TrackRecord", "Standing", "Ranking", "Allowed"} <= answered
    for name in answered - NOT_CHECKED_YET:
        schema = schemas[name]
        assert schema["additionalProperties"] is False, name
        properties = schema["properties"]
        assert set(schema.get("required", [])) == set(properties), name
        for key, prop in properties.items():
            # Every property says what it is: a type, a reference, or a choice of them.
            assert prop.keys() & {"type", "$ref", "allOf", "anyOf", "oneOf"}, f"{name}.{key}"
            if prop.get("type") == "object":
                assert "additionalProperties" in prop or "properties" in prop, f"{name}.{key}"
                assert prop.get("additionalProperties") != {}, f"{name}.{key}"


def test_maps_say_what_their_values_are(document):
    schemas = document["components"]["schemas"]
    results = schemas["ResultsOut"]["properties"]
    assert results["weights_pct"]["additionalProperties"] == {"type": "number"}
    assert results["evidence"]["additionalProperties"]["$ref"].endswith("/TrackRecord")
    assert results["standings"]["additionalProperties"]["$ref"].endswith("/Standing")
    stats = schemas["ReviewStats"]["properties"]
    assert stats["by_status"]["$ref"].endswith("/StatusCounts")
    counts = schemas["StatusCounts"]
    assert set(counts["required"]) == {
        "not_submitted",
        "in_review",
        "changes_requested",
        "accepted",
        "rejected",
    }
    assert schemas["MonthReport"]["properties"]["reasons"]["additionalProperties"] == {
        "type": "string"
    }
    weights = schemas["Weights"]["properties"]["weights"]["additionalProperties"]
    assert weights["type"] == "number"


def test_month_path_parameters_have_their_pattern(document):
    seen = 0
    for path, _method, _operation, parameters in _operations(document):
        for parameter in parameters:
            if parameter["name"] in {"period", "month"}:
                pattern = parameter["schema"]["pattern"]
                assert re.match(pattern, "2026-03") and re.match(pattern, "1900-12"), path
                for wrong in ("2026-3", "2026-13", "1899-12", "2026-03x", " 2026-03"):
                    assert not re.match(pattern, wrong), (path, wrong)
                seen += 1
    assert seen >= 3  # verify, dispute a month, dispute a credit


def test_creates_link_to_what_they_created(document):
    paths = document["paths"]
    vendor_links = paths["/api/v1/vendors"]["post"]["responses"]["201"]["links"]
    assert vendor_links["GetVendor"]["parameters"] == {"vendor_id": "$response.body#/id"}
    assert vendor_links["UpdateVendor"]["requestBody"] == {"version": "$response.body#/version"}
    assert (
        vendor_links["GetVendor"]["operationRef"] == "#/paths/~1api~1v1~1vendors~1{vendor_id}/get"
    )
    level_links = paths["/api/v1/engagements/{engagement_id}/service-levels"]["post"]
    level = level_links["responses"]["201"]["links"]["GetServiceLevel"]["parameters"]
    assert level == {
        "engagement_id": "$request.path.engagement_id",
        "level_id": "$response.body#/id",
    }
    # Every link names an operation that exists, with the parameters that operation takes.
    for _path, _method, operation, _params in _operations(document):
        for answer in operation["responses"].values():
            for name, link in answer.get("links", {}).items():
                target_path, target_method = _target(link["operationRef"])
                assert target_method in paths[target_path], name
                names = {p["name"] for p in paths[target_path].get("parameters", [])}
                assert set(link["parameters"]) == names, name


def _target(ref: str) -> tuple[str, str]:
    pointer, method = ref.removeprefix("#/paths/").rsplit("/", 1)
    return pointer.replace("~1", "/").replace("~0", "~"), method


def test_review_stats_are_linked_for_kpo_and_a_bpo_engagement_answers_404(api, document):
    engagement = document["paths"]["/api/v1/engagements/{engagement_id}"]["get"]
    link = engagement["responses"]["200"]["links"]["GetReviewStats"]
    assert "KPO" in link["description"] and "404" in link["description"]
    stats = document["paths"]["/api/v1/engagements/{engagement_id}/review-stats"]["get"]
    assert "BPO" in stats["responses"]["404"]["description"]
    bpo, kpo = _engagement_of_kind(api, "BPO"), _engagement_of_kind(api, "KPO")
    answer = api.get(f"/api/v1/engagements/{bpo}/review-stats")
    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"] == "not_found"
    answer = api.get(f"/api/v1/engagements/{kpo}/review-stats")
    assert answer.status_code == 200 and answer.get_json()["engagement_id"] == kpo


@pytest.mark.parametrize("period", ["2026-13", "26-03", "2026-3", "0999-01", "２０２６-03", "x"])
def test_a_month_of_another_form_is_a_404_naming_the_period(api, period):
    bpo = _engagement_of_kind(api, "BPO")
    answer = api.post(f"/api/v1/engagements/{bpo}/reports/{period}/verify", role="manager")
    assert answer.status_code == 404
    error = answer.get_json()["error"]
    assert error["code"] == "not_found" and error["fields"] == {
        "period": ["Write the month as YYYY-MM."]
    }
