"""What a refused enquiry must look like: the form again, nothing lost, the problem pointed out."""

from .pages import parse, shown_values, words

# Fields shown as a group of options; the error summary links to the first option.
OPTION_GROUPS = {"problem", "duration", "triggers", "pain_score", "red_flags"}
TICK_BOXES = {"wants_appointment", "consent_contact", "consent_followup"}


def anchor_for(field: str) -> str:
    return f"{field}-0" if field in OPTION_GROUPS else field


def assert_shown_as_typed(html: str, typed: dict, skip: frozenset = frozenset()) -> None:
    """Every answer is on the page again as the person gave it (less surrounding spaces)."""
    shown = shown_values(html)
    for name, value in typed.items():
        if name in skip:
            continue
        if isinstance(value, list):
            assert sorted(shown.get(name, [])) == sorted(value), name
        elif name in OPTION_GROUPS | TICK_BOXES:
            assert shown.get(name) == [value], name
        else:
            assert shown.get(name) == value.strip(), name


def assert_refused(response, field: str, typed: dict, says: str) -> None:
    """A 400 showing the form with the answers kept and this field's error linked from the top.

    An unknown option cannot be shown ticked, so that field's own value is not compared.
    """
    assert response.status_code == 400
    page = parse(response.text)
    links = page.find(id="error-summary").find_all("a", href=f"#{anchor_for(field)}")
    assert says in words(" ".join(link.text for link in links))
    assert says in words(page.find(id=f"{field}-error").text)
    skip = frozenset({field}) if field in OPTION_GROUPS else frozenset()
    assert_shown_as_typed(response.text, typed, skip)


def assert_turned_back(response, typed: dict, says: str) -> None:
    """A 400 for a problem with the form rather than an answer: the summary links to the form."""
    assert response.status_code == 400
    summary = parse(response.text).find(id="error-summary")
    links = summary.find_all("a", href="#enquiry-form")
    assert says in words(" ".join(link.text for link in links))
    assert parse(response.text).find("form", id="enquiry-form")
    assert_shown_as_typed(response.text, typed)
