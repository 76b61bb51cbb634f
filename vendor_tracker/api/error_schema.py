"""The shape of every API error, documented in the OpenAPI document."""

from marshmallow import Schema, fields


class ErrorBodySchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)


class ErrorSchema(Schema):
    """{"error": {"code", "message", "fields"}}"""

    error = fields.Nested(ErrorBodySchema, required=True)
