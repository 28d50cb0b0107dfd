"""The diary's calendar subscription on the desk: issue a private address, issue a new one
(the old stops working at once), or stop it. Shown on the diary settings page; each change
is on the audit log."""

from flask import abort, flash, redirect, url_for

from app.audit import record
from app.bookings import service

from . import bp
from .forms import ActionForm


def _back(message: str, category: str = "success"):
    flash(message, category)
    return redirect(url_for(".settings", _anchor="calendar"), code=303)


@bp.post("/settings/diary/calendar")
def issue_calendar():
    if not ActionForm().validate_on_submit():
        abort(400)
    replaced = service.current_feed() is not None
    feed = service.issue_feed()
    record("change", "calendar_feed", feed.id, "reissued" if replaced else "issued")
    if replaced:
        return _back("A new calendar address is ready below; the old one has stopped working. "
                     "Subscribe to the new one on your phone.")
    return _back("Your calendar address is ready below. Subscribe to it on your phone.")


@bp.post("/settings/diary/calendar/stop")
def stop_calendar():
    if not ActionForm().validate_on_submit():
        abort(400)
    revoked = service.revoke_feed()
    if revoked is None:
        # Most likely a second press after the first stopped it.
        return _back("There is no calendar address to stop.", "info")
    record("change", "calendar_feed", revoked, "revoked")
    return _back("The calendar address has stopped working. Remove the subscription from "
                 "your phone's calendar too: it keeps what it last read.")
