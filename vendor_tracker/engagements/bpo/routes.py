"""Pages of the bpo package."""

from flask import Blueprint

bp = Blueprint("bpo", __name__)
