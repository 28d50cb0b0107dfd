"""Bookings: free slots at /book, requests, and each patient's link to manage their booking."""

from flask import Blueprint

bp = Blueprint("bookings", __name__)

from . import feed_routes, routes  # noqa: E402,F401  (routes attach themselves to bp)
