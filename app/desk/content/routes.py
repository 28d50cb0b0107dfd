"""Editing the article parts and the programme, with a preview of the email they make."""

from types import SimpleNamespace

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from app.content import service
from app.extensions import db
from app.models import SeriesPart

from . import bp
from .forms import PartForm, ProgrammeForm

PROGRAMME_FIELDS = (
    "title", "introduction", "evenness", "dose", "progression", "equipment", "gym_alternatives",
)
PART_FIELDS = ("title", "summary", "article_url", "placeholder", "triggers", "problems")


@bp.get("/")
def index():
    return render_template(
        "desk/content/index.html", parts=service.all_parts(), programme=service.current_programme()
    )


def _preview(parts, programme) -> str:
    """The welcome email as a patient would see it, for the sandboxed preview frame."""
    return render_template(
        "email/programme_welcome.html",
        enquiry=SimpleNamespace(name="Sample Patient"),
        parts=parts,
        programme=programme,
        unsubscribe_url="#",
        clinic_name=current_app.config["CLINIC_NAME"],
        clinic_phone=current_app.config["CLINIC_PHONE"],
    )


@bp.route("/programme", methods=["GET", "POST"])
def programme():
    current = service.current_programme()
    if current is None:
        flash("Load the default content first: flask content load.", "error")
        return redirect(url_for(".index"), code=303)
    form = ProgrammeForm(obj=current)
    if not form.is_submitted():
        form.steps.data = "\n".join(current.steps)
    preview = None
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in PROGRAMME_FIELDS}
        values["steps"] = form.step_list
        if form.save.data:
            service.save_edit(current, values, current_user.email)
            flash("Saved. The next programme email uses the new text.", "success")
            return redirect(url_for(".index"), code=303)
        preview = _preview([], SimpleNamespace(**values))
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template("desk/content/programme.html", form=form, preview=preview), status


@bp.route("/parts/<int:part_id>", methods=["GET", "POST"])
def part(part_id: int):
    current = db.get_or_404(SeriesPart, part_id)
    form = PartForm(obj=current)
    preview = None
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in PART_FIELDS}
        values["article_url"] = values["article_url"] or ""
        values["triggers"] = values["triggers"] or []
        values["problems"] = values["problems"] or []
        if form.save.data:
            service.save_edit(current, values, current_user.email)
            flash(f"Saved {current.title}.", "success")
            return redirect(url_for(".index"), code=303)
        shown = SimpleNamespace(series=current.series, **values)
        preview = _preview([shown], service.current_programme())
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template(
        "desk/content/part.html", form=form, part=current, preview=preview
    ), status
