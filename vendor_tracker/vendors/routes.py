"""Pages of the vendors package."""

from flask import Blueprint

bp = Blueprint("vendors", __name__)
