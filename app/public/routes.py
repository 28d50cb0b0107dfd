from flask import render_template

from . import bp


@bp.get("/")
def home():
    return render_template("public/home.html")


@bp.get("/privacy")
def privacy():
    return render_template("public/privacy.html")
