"""POST /api/v1/auth/tokens: trade an e-mail and password for a bearer token."""

from flask import current_app
from marshmallow import Schema, fields, validate

from vendor_tracker.api.common import Blueprint, fail
from vendor_tracker.auth.routes import _login_account_key_json
from vendor_tracker.auth.rules import PASSWORD_MAX_LENGTH
from vendor_tracker.auth.services import authenticate, issue_token
from vendor_tracker.extensions import db, limiter

blp = Blueprint("api_auth", "Bearer tokens for the API")


class TokenRequestSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=255))
    password = fields.String(
        required=True, validate=validate.Length(min=1, max=PASSWORD_MAX_LENGTH)
    )


class TokenSchema(Schema):
    token = fields.String(required=True)
    expires_at = fields.DateTime(required=True)


def _failed(response) -> bool:
    return response.status_code != 201


@blp.route("/auth/tokens", methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], deduct_when=_failed)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_login_account_key_json,
    deduct_when=_failed,
)
@blp.arguments(TokenRequestSchema)
@blp.response(201, TokenSchema)
@blp.doc(security=[])
def create_token(data):
    """Sign in with e-mail and password; send the token as `Authorization: Bearer <token>`."""
    user = authenticate(data["email"], data["password"])
    if user is None:
        db.session.commit()
        fail(401, "E-mail or password is not right, or the account is disabled.")
    token, expires_at = issue_token(user, current_app.config["API_TOKEN_HOURS"])
    db.session.commit()
    return {"token": token, "expires_at": expires_at}
