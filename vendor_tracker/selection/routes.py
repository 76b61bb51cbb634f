"""Pages of the selection package."""

from flask import Blueprint

bp = Blueprint("selection", __name__)
