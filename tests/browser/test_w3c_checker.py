"""Every page the journeys looked at passes the W3C Nu HTML checker, and every page template
is among them. Runs after the last journey (see pytest_collection_modifyitems)."""

import re

import pytest

from ..support.processes import PROJECT_ROOT
from .conftest import SCREENSHOTS
from .w3c import Journeys, check

pytestmark = pytest.mark.browser

TEMPLATES = PROJECT_ROOT / "templates"
# Not pages: emails are checked as emails, macros and "_" partials are parts of pages, and
# the local mail catcher of `make run` is never served in production.
NOT_PAGES = ("email/", "macros/", "devmail/")
EXTENDS = re.compile(r"""{%-?\s*extends\s+["']([^"']+)["']""")


def page_templates() -> set[str]:
    names = {
        path.relative_to(TEMPLATES).as_posix(): path.read_text()
        for path in TEMPLATES.rglob("*.html")
        if not path.name.startswith("_")
    }
    # A layout other pages extend is checked inside every page that extends it.
    layouts = {layout for text in names.values() for layout in EXTENDS.findall(text)}
    return {name for name in names if not name.startswith(NOT_PAGES)} - layouts


def test_every_page_passes_the_w3c_checker(checked_pages):
    if not checked_pages.pages:
        pytest.skip("no journey looked at a page in this run")
    errors, warnings = check(checked_pages.pages, SCREENSHOTS.parent / "w3c")
    notes = SCREENSHOTS / "w3c-warnings.txt"
    notes.parent.mkdir(parents=True, exist_ok=True)
    notes.write_text("".join(f"{warning}\n" for warning in warnings))
    assert errors == [], "The W3C checker found:\n" + "\n".join(errors)


def test_every_page_template_is_looked_at(checked_pages, request):
    if not Journeys.of(request.config).all_ran():
        pytest.skip("only a run in which every journey passes shows which pages none visits")
    looked_at = {name for page in checked_pages.pages for name in page.templates}
    never = sorted(page_templates() - looked_at)
    assert never == [], "No journey looks at a page drawn by: " + ", ".join(never)
