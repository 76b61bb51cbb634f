"""The blueprint every reporting page registers on."""

from flask import Blueprint

bp = Blueprint("reporting", __name__, url_prefix="/reports")
