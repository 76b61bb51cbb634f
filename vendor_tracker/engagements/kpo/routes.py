"""Pages of the kpo package."""

from flask import Blueprint

bp = Blueprint("kpo", __name__)
