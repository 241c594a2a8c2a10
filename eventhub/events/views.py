"""Public pages: home, event, series."""

from flask import Blueprint

bp = Blueprint("events", __name__)
