"""Pages of the reporting package."""

from flask import Blueprint

bp = Blueprint("reporting", __name__)
