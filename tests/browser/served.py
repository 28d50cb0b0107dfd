"""The site as the journeys serve it: the clinic's own app, with one addition for the tests,
a header naming the templates Flask rendered for each response, so that the journeys can tell
which page templates they have looked at. The site never sends that header itself."""

from flask import Flask, g, template_rendered

from app import create_app

TEMPLATES_HEADER = "X-Rendered-Templates"


def site() -> Flask:
    app = create_app()
    template_rendered.connect(_note_template, app)
    app.after_request(_name_templates)
    return app


def _note_template(sender, template, context, **extra) -> None:
    g.setdefault("rendered_templates", []).append(template.name)


def _name_templates(response):
    rendered = g.get("rendered_templates")
    if rendered:
        response.headers[TEMPLATES_HEADER] = " ".join(rendered)
    return response
