"""/api/v1/vendors: list (with the page's filters), create, read, update (PATCH), delete."""

from datetime import date

from marshmallow import Schema, fields, validate

from vendor_tracker.api.common import (
    Blueprint,
    ErrorSchema,
    PageArgsSchema,
    check_id,
    error_docs,
    page_of,
    paginate,
    require_version,
    sort_order,
)
from vendor_tracker.api.fields import ID, Number, UtcDateTime, enum_out, plain_text, text
from vendor_tracker.auth.decorators import for_providers, manager_required
from vendor_tracker.extensions import db
from vendor_tracker.vendors import services
from vendor_tracker.vendors.rules import (
    ATTRITION_MAX,
    ATTRITION_MIN,
    Model,
    Shore,
    VendorStatus,
    certificate_state,
    parse_languages,
)

blp = Blueprint("api_vendors", "Vendors: the provider registry")

# A web address or nothing; the same shape the vendor form accepts.
WEBSITE_PATTERN = r"^(https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/[^\s]*)?)?$"


class ServiceLineRefSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    model = fields.String(required=True, validate=validate.OneOf([m.value for m in Model]))


class CenterSchema(Schema):
    id = fields.Integer(required=True)
    country = fields.String(required=True)
    city = fields.String(required=True)
    shore = fields.String(required=True, validate=validate.OneOf([s.value for s in Shore]))
    headcount = fields.Integer(required=True, allow_none=True)


class ContactSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)
    phone = fields.String(required=True)
    role = fields.String(required=True)


class CertificationSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    issued_on = fields.Date(required=True, allow_none=True)
    expires_on = fields.Date(required=True, allow_none=True)
    state = fields.Function(
        lambda c: certificate_state(c.expires_on, date.today()).value,
        required=True,
        metadata={
            "type": "string",
            "enum": ["valid", "expiring", "expired", "no_expiry"],
            "description": "expiring: within 60 days.",
        },
    )


class VendorSummarySchema(Schema):
    """A vendor as the list shows it."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    website = fields.String(required=True)
    hq_country = fields.String(required=True, metadata={"description": "ISO 3166 alpha-2"})
    status = enum_out("status", VendorStatus)
    models = fields.Function(
        lambda v: [m.value for m in services.vendor_models(v)],
        required=True,
        metadata={"type": "array", "items": {"type": "string", "enum": ["BPO", "KPO"]}},
    )
    service_lines = fields.List(fields.Nested(ServiceLineRefSchema), required=True)
    attrition_pct = Number(
        required=True, allow_none=True, metadata={"description": "Annual attrition, %"}
    )
    languages = fields.Function(
        lambda v: parse_languages(v.languages),
        required=True,
        metadata={"type": "array", "items": {"type": "string"}},
    )
    version = fields.Integer(required=True)


class VendorSchema(VendorSummarySchema):
    """A vendor with everything its page shows."""

    description = fields.String(required=True)
    centers = fields.List(fields.Nested(CenterSchema), required=True)
    contacts = fields.List(fields.Nested(ContactSchema), required=True)
    certifications = fields.List(fields.Nested(CertificationSchema), required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


class VendorWriteSchema(Schema):
    """Fields a client may set; PATCH sends any subset plus `version`."""

    name = fields.String(
        validate=[validate.Length(min=1, max=120), validate.Regexp(r"^\s*\S"), plain_text]
    )
    website = fields.String(
        validate=[validate.Length(max=255), validate.Regexp(WEBSITE_PATTERN), plain_text]
    )
    hq_country = fields.String(validate=validate.OneOf(sorted(services.country_codes())))
    description = text(5000)
    status = fields.String(validate=validate.OneOf([s.value for s in VendorStatus]))
    service_line_ids = fields.List(
        fields.Integer(strict=True, validate=ID), validate=validate.Length(max=50)
    )
    attrition_pct = Number(
        allow_none=True, places=2, validate=validate.Range(ATTRITION_MIN, ATTRITION_MAX)
    )
    languages = fields.List(text(18, 1), validate=validate.Length(max=12))


class VendorCreateSchema(VendorWriteSchema):
    name = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=120), validate.Regexp(r"^\s*\S"), plain_text],
    )
    hq_country = fields.String(
        required=True, validate=validate.OneOf(sorted(services.country_codes()))
    )


class VendorPatchSchema(VendorWriteSchema):
    version = fields.Integer(required=True, strict=True, validate=ID)


SORTS = [f"{sign}{key}" for key in services.VENDOR_SORTS for sign in ("", "-")]


class VendorListArgsSchema(PageArgsSchema):
    q = text(120, metadata={"description": "Part of the name, any case."})
    model = fields.String(validate=validate.OneOf([m.value for m in Model]))
    service_line_id = fields.Integer(validate=ID)
    status = fields.String(validate=validate.OneOf([s.value for s in VendorStatus]))
    country = fields.String(validate=validate.OneOf(sorted(services.country_codes())))
    sort = fields.String(load_default="name", validate=validate.OneOf(SORTS))


def to_service_data(payload: dict) -> dict:
    """API field values in the form the service takes."""
    data = dict(payload)
    if "languages" in data:
        data["languages"] = ", ".join(s.replace(",", " ") for s in data["languages"])
    return data


documented = error_docs(blp, not_found="No such vendor.")


@blp.route("/vendors", methods=["GET"])
@for_providers
@documented(401)
@blp.arguments(VendorListArgsSchema, location="query")
@blp.response(200, page_of(VendorSummarySchema, "VendorPage"))
def list_vendors(args):
    """Vendors, filtered like the vendor page and sorted by `sort` (`-` for descending)."""
    filters = services.VendorFilters(
        q=(args.get("q") or "").strip(),
        model=args.get("model"),
        service_line_id=args.get("service_line_id"),
        status=args.get("status"),
        country=args.get("country"),
        **sort_order(args["sort"]),
    )
    return paginate(services.vendor_query(filters), args["page"], args["per_page"])


@blp.route("/vendors", methods=["POST"])
@documented(401, 403)
@manager_required
@blp.arguments(VendorCreateSchema)
@blp.response(201, VendorSchema)
@blp.alt_response(409, schema=ErrorSchema, description="Another vendor has this name.")
def create_vendor(payload):
    """Add a vendor (manager role). Names are unique whatever their case."""
    vendor = services.save_vendor(None, to_service_data(payload))
    db.session.commit()
    return services.load_vendor(vendor.id)


@blp.route("/vendors/<int:vendor_id>", methods=["GET"])
@for_providers
@documented(401, 404)
@blp.response(200, VendorSchema)
def get_vendor(vendor_id: int):
    """One vendor with its service lines, centers, contacts and certificates."""
    return services.load_vendor(check_id(vendor_id, "Vendor"))


@blp.route("/vendors/<int:vendor_id>", methods=["PATCH"])
@documented(401, 403, 404)
@manager_required
@blp.arguments(VendorPatchSchema)
@blp.response(200, VendorSchema)
@blp.alt_response(409, schema=ErrorSchema, description="Stale version or a taken name.")
def update_vendor(payload, vendor_id: int):
    """Change some fields (manager role); send the `version` you read, a stale one gets 409."""
    vendor = services.load_vendor(check_id(vendor_id, "Vendor"))
    require_version(vendor, payload)
    services.save_vendor(vendor, to_service_data(payload))
    db.session.commit()
    return services.load_vendor(vendor_id)


@blp.route("/vendors/<int:vendor_id>", methods=["DELETE"])
@documented(401, 403, 404)
@manager_required
@blp.response(204)
@blp.alt_response(409, schema=ErrorSchema, description="The vendor has engagements.")
def delete_vendor(vendor_id: int):
    """Delete a vendor without engagements (manager role); otherwise 409: offboard it."""
    vendor = services.load_vendor(check_id(vendor_id, "Vendor"))
    services.delete_vendor(vendor)
    db.session.commit()
    return ""
