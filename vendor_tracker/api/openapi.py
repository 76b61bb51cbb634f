"""What the OpenAPI document says about every operation, in one place: the error answers each
can give, the pattern of month path parameters, and links from what a create answers to the
operations on what it created (for clients, and for the stateful fuzz that follows them).

An apispec plugin, so operations registered by any blueprint (now or later) get the same.
An operation's own `documented(...)` descriptions are kept; only missing codes are added.
"""

from apispec import BasePlugin
from flask import Flask

from vendor_tracker.auth.decorators import provider_may_open

PREFIX = "/api/v1"
ERROR_REF = {"$ref": "#/components/schemas/Error"}
# A month in a path, as `sla.parse_period` reads it: YYYY-MM from 1900.
MONTH_PATH_PATTERN = r"^(19\d\d|[2-9]\d{3})-(0[1-9]|1[0-2])$"
MONTH_PARAMETERS = {"period", "month"}
WRITES = {"post", "put", "patch", "delete"}

ERROR_DESCRIPTIONS = {
    401: "Sign in first (Bearer token): missing, unknown or expired token.",
    403: "Your role may not do this (viewers only read; providers reach their own portal).",
    404: "Not found: no such record, or one outside your vendor.",
    409: "Conflict with the record's state: a stale version, a closed record, a lost race.",
    413: "The request body is too large.",
    422: "Not valid: `error.fields` names each field and why.",
}


def error_codes(method: str, path: str, operation: dict, view) -> list[int]:
    """The error statuses an operation can answer, by what it takes and who may call it."""
    signed_in = operation.get("security") != []
    has_body = "requestBody" in operation
    has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
    codes = []
    if signed_in:
        codes.append(401)
        handler = getattr(getattr(view, "view_class", None), method, view)  # a MethodView's
        restricted = getattr(handler, "required_role", None) is not None
        if restricted or not provider_may_open(view, method):
            codes.append(403)
    if "{" in path:
        codes.append(404)
    if signed_in and method in WRITES:
        codes.append(409)
    if has_body:
        codes.append(413)
    if has_body or has_query:
        codes.append(422)
    return codes


def _ref(path: str, method: str) -> str:
    escaped = path.replace("~", "~0").replace("/", "~1")
    return f"#/paths/{escaped}/{method}"


def _link(path: str, method: str, description: str, body: dict | None = None, **params) -> dict:
    link = {
        "operationRef": _ref(PREFIX + path, method),
        "description": description,
        "parameters": params,
    }
    if body:
        link["requestBody"] = body
    return link


CREATED_ID = "$response.body#/id"
FIRST = "/items/0"  # the first record of a page
VERSION = {"version": "$response.body#/version"}
ENGAGEMENT = "$request.path.engagement_id"
KPO_ONLY = "Review statistics of a KPO engagement; a BPO engagement answers 404."


def _record_links(
    path: str, param: str, name: str, patch: bool = True, delete: bool = True, at: str = ""
) -> dict:
    """Read, change and delete links to the record the answer holds (`at`: where in it)."""
    record = {param: f"$response.body#{at}/id"}
    version = {"version": f"$response.body#{at}/version"}
    what = "the first listed" if at else "the"
    links = {f"Get{name}": _link(path, "get", f"Read {what} {name.lower()}.", **record)}
    if patch:
        links[f"Update{name}"] = _link(
            path, "patch", f"Change {what} {name.lower()}.", version, **record
        )
    if delete:
        links[f"Delete{name}"] = _link(path, "delete", f"Delete {what} {name.lower()}.", **record)
    return links


def _engagement_links() -> dict:
    engagement = "/engagements/{engagement_id}"
    links = _record_links(engagement, "engagement_id", "Engagement")
    eid = {"engagement_id": CREATED_ID}
    links |= {
        "GetReviewStats": _link(engagement + "/review-stats", "get", KPO_ONLY, **eid),
        "ListDeliverables": _link(
            engagement + "/deliverables", "get", "Its deliverables (KPO).", **eid
        ),
        "CreateDeliverable": _link(
            engagement + "/deliverables", "post", "Plan a deliverable (KPO).", **eid
        ),
        "ListServiceLevels": _link(
            engagement + "/service-levels", "get", "Its service levels (BPO).", **eid
        ),
        "CreateServiceLevel": _link(
            engagement + "/service-levels", "post", "Add a service level (BPO).", **eid
        ),
    }
    return links


def _level_links() -> dict:
    path = "/engagements/{engagement_id}/service-levels/{level_id}"
    return {
        f"{verb}ServiceLevel": _link(
            path,
            method,
            f"{verb} the service level.",
            VERSION if method == "patch" else None,
            engagement_id=ENGAGEMENT,
            level_id=CREATED_ID,
        )
        for verb, method in (("Get", "get"), ("Update", "patch"), ("Delete", "delete"))
    }


def _deliverable_links() -> dict:
    path = "/engagements/{engagement_id}/deliverables/{deliverable_id}"
    ids = {"engagement_id": ENGAGEMENT, "deliverable_id": CREATED_ID}
    return {
        "GetDeliverable": _link(
            "/deliverables/{deliverable_id}", "get", "The deliverable.", deliverable_id=CREATED_ID
        ),
        "UpdateDeliverable": _link(path, "patch", "Change its plan.", VERSION, **ids),
        "DeleteDeliverable": _link(path, "delete", "Delete it.", **ids),
        "SubmitVersion": _link(
            "/deliverables/{deliverable_id}/submissions",
            "post",
            "Submit its first version.",
            deliverable_id=CREATED_ID,
        ),
    }


def _request_links() -> dict:
    path = "/sourcing-requests/{rid}"
    links = _record_links(path, "rid", "Request", delete=False)
    for name, tail in (
        ("Advisor", "/advisor"),
        ("Candidates", "/candidates"),
        ("Criteria", "/criteria"),
        ("Scores", "/scores"),
        ("Results", "/results"),
    ):
        links[f"Get{name}"] = _link(
            path + tail, "get", f"The request's {name.lower()}.", rid=CREATED_ID
        )
    links["AddCandidate"] = _link(
        path + "/candidates", "post", "Shortlist a vendor.", rid=CREATED_ID
    )
    links["AddCriterion"] = _link(path + "/criteria", "post", "Add a criterion.", rid=CREATED_ID)
    return links


def operation_links() -> dict[tuple[str, str, int], dict]:
    """Links by (path, method, status) of the answer they start from."""
    engagement_links = _engagement_links()
    by_id = {"engagement_id": CREATED_ID}
    read_links = {
        key: engagement_links[key]
        for key in ("GetReviewStats", "ListDeliverables", "ListServiceLevels")
    }
    return {
        ("/vendors", "post", 201): _record_links("/vendors/{vendor_id}", "vendor_id", "Vendor"),
        ("/engagements", "post", 201): engagement_links,
        ("/engagements/{engagement_id}", "get", 200): read_links
        | {
            "GetCompliance": _link(
                "/engagements/{engagement_id}/compliance",
                "get",
                "Compliance and credits (BPO; a KPO engagement answers 404).",
                **by_id,
            )
        },
        ("/engagements/{engagement_id}/service-levels", "post", 201): _level_links(),
        ("/engagements/{engagement_id}/deliverables", "post", 201): _deliverable_links(),
        ("/deliverables/{deliverable_id}/submissions", "post", 201): {
            "ReviewVersion": _link(
                "/submissions/{submission_id}/review",
                "post",
                "Record the review of this version.",
                submission_id=CREATED_ID,
            )
        },
        ("/sourcing-requests", "post", 201): _request_links(),
        ("/sourcing-requests/{rid}/candidates", "post", 201): {
            "RemoveCandidate": _link(
                "/sourcing-requests/{rid}/candidates/{cid}",
                "delete",
                "Take the candidate off the shortlist.",
                rid="$request.path.rid",
                cid="$response.body#/candidate_id",
            )
        },
        ("/risks", "post", 201): _record_links("/risks/{risk_id}", "risk_id", "Risk"),
        # Lists link to their first record, so a client (or the fuzzer) starts from real rows.
        ("/vendors", "get", 200): _record_links(
            "/vendors/{vendor_id}", "vendor_id", "Vendor", at=FIRST
        ),
        ("/engagements", "get", 200): _record_links(
            "/engagements/{engagement_id}", "engagement_id", "Engagement", at=FIRST
        ),
        ("/sourcing-requests", "get", 200): _record_links(
            "/sourcing-requests/{rid}", "rid", "Request", delete=False, at=FIRST
        ),
        ("/risks", "get", 200): _record_links("/risks/{risk_id}", "risk_id", "Risk", at=FIRST),
    }


def _has(responses: dict, code: int) -> bool:
    return code in responses or str(code) in responses


class ApiDocumentPlugin(BasePlugin):
    """Completes every operation of the document (see the module's docstring)."""

    def __init__(self, app: Flask):
        self.app = app
        self.links = operation_links()

    def path_helper(self, parameters=None, **_kwargs):
        """Months in paths get their pattern, so a client (and the fuzzer) knows the form."""
        for parameter in parameters or []:
            if parameter.get("in") == "path" and parameter.get("name") in MONTH_PARAMETERS:
                parameter["schema"] = {
                    "type": "string",
                    "pattern": MONTH_PATH_PATTERN,
                    "example": "2026-03",
                }
                parameter["description"] = "A month, YYYY-MM (a month of another form: 404)."

    def operation_helper(self, path=None, operations=None, rule=None, **_kwargs):
        """Every operation documents its error answers; creates link to what they created."""
        view = self.app.view_functions.get(rule.endpoint) if rule is not None else None
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            for code in error_codes(method, path, operation, view):
                if not _has(responses, code):
                    responses[code] = {
                        "description": ERROR_DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": ERROR_REF}},
                    }
            short = path.removeprefix(PREFIX)
            for (link_path, link_method, status), links in self.links.items():
                if (link_path, link_method) == (short, method):
                    answer = responses.get(status) or responses.get(str(status))
                    if answer is not None:
                        answer.setdefault("links", {}).update(links)
