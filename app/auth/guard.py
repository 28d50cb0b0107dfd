"""Keeping the desk's pages for signed-in staff."""

from urllib.parse import urlsplit

from flask_login import current_user

from app.extensions import login


def require_staff():
    """A before_request hook: every page of a blueprint that uses it needs a signed-in account.

    Put on the blueprint rather than on each view, so a page added later cannot be left open.
    """
    if not current_user.is_authenticated:
        return login.unauthorized()
    return None


def safe_next(target: str | None) -> str | None:
    """A path on this site to go to after signing in, or None for anything else."""
    if not target or len(target) > 2000 or not target.startswith("/"):
        return None
    # "//host" and "/\host" are read by browsers as another site.
    if target.startswith("//") or "\\" in target:
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
