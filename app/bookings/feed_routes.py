"""The diary's calendar subscription: the one bookings address that needs no sign-in and no
form, since calendar apps can do neither. The secret in the path is the only key."""

from flask import Response, current_app

from app.extensions import limiter

from . import bp, service


def _feed_limit() -> str:
    return current_app.config["CALENDAR_FEED_RATE_LIMIT"]


@bp.get("/calendar/<secret>.ics")
@limiter.limit(_feed_limit)
def diary_feed(secret: str):
    # A bare 404, not the site's page: it says nothing to whoever is guessing.
    if service.feed_for_secret(secret) is None:
        return Response(status=404)
    return Response(
        service.diary_calendar(), mimetype="text/calendar",
        headers={"Content-Disposition": 'inline; filename="diary.ics"'},
    )
