"""The desk's privacy pages: a person's data shown, downloaded as JSON, or erased."""

import json

from flask import Response, flash, redirect, render_template, url_for

from app.audit import recent_entries, record
from app.privacy import service
from app.privacy.export import describe

from . import bp
from .forms import EraseForm, PersonForm

RECENT_ENTRIES = 50


@bp.get("/")
def index():
    return _index(PersonForm(formdata=None))


def _index(form: PersonForm, status: int = 200):
    entries = recent_entries(RECENT_ENTRIES)
    return render_template("desk/privacy/index.html", form=form, entries=entries), status


@bp.post("/person")
def person():
    form = PersonForm()
    if not form.validate_on_submit():
        return _index(form, 400)
    found = service.find_person(form.email.data)
    data = describe(found)
    record("view", "person", None, detail=service.summary(found))
    erase_form = EraseForm(formdata=None, email=found.email)
    return render_template("desk/privacy/person.html", data=data, found=found.found,
                           email=found.email, erase_form=erase_form,
                           export_form=PersonForm(formdata=None, email=found.email))


@bp.post("/export.json")
def export_json():
    form = PersonForm()
    if not form.validate_on_submit():
        return _index(form, 400)
    data = service.export_person(form.email.data)
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="personal-data.json"'},
    )


@bp.post("/erase")
def erase():
    form = EraseForm()
    if not form.validate_on_submit():
        flash(" ".join(form.confirm.errors) or "Nothing was erased.", "error")
        return redirect(url_for(".index"), code=303)
    counts = service.erase_person(form.email.data)
    flash(
        f"Erased: {counts['enquiries']} enquiries, {counts['appointments']} appointments and "
        f"{counts['emails']} emails. Emails still waiting to go were cancelled.",
        "success",
    )
    return redirect(url_for(".index"), code=303)

