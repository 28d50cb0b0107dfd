from pathlib import Path

from flask import current_app, render_template

from . import bp


@bp.get("/")
def home():
    return render_template("public/home.html")


@bp.get("/privacy")
def privacy():
    return render_template("public/privacy.html", notice=_clinic_notice(),
                           retention_months=current_app.config["RETENTION_MONTHS"])


def _clinic_notice() -> str | None:
    """The clinic's own wording, when PRIVACY_NOTICE_FILE names a file; None for ours."""
    path = current_app.config.get("PRIVACY_NOTICE_FILE")
    if not path:
        return None
    # Read on each request, so the clinic's edit shows without a restart.
    return Path(path).read_text(encoding="utf-8")
