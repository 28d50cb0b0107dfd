"""What a screen reader needs from the form, checked in the HTML: every control named, every
error tied to its field, every link in the error summary leading somewhere."""

from collections import Counter

import pytest

from ..conftest import form_tokens
from ..support.enquiries import post_enquiry
from .pages import parse

TEXT_TYPES = {"text", "email", "tel"}


def controls(root):
    return [
        node for node in root.iter()
        if node.tag in ("input", "select", "textarea") and node.get("type") != "hidden"
    ]


@pytest.fixture(params=["blank", "refused-everything", "refused-some"])
def page(request, client):
    """The form as first shown, and as shown again with errors of every kind."""
    if request.param == "blank":
        return client.get("/enquire").text
    if request.param == "refused-everything":
        tokens = form_tokens(client.get("/enquire").text)
        response = client.post("/enquire", data=tokens)
    else:
        response = post_enquiry(
            client, phone="123", email="sam@", red_flags=["none", "fever"], trigger_other="a\nb"
        )
    assert response.status_code == 400
    return response.text


def test_every_control_has_a_label_or_a_legend(page):
    root = parse(page)
    labelled = {label.get("for") for label in root.find_all("label")}
    for control in controls(root):
        in_fieldset_with_legend = any(
            ancestor.tag == "fieldset" and ancestor.find_all("legend")
            for ancestor in control.ancestors()
        )
        assert control.get("id") in labelled or in_fieldset_with_legend, control.attrs


def test_ids_are_unique(page):
    ids = Counter(node.get("id") for node in parse(page).iter() if node.get("id"))
    assert [id_ for id_, count in ids.items() if count > 1] == []


def test_error_summary_links_lead_to_elements_on_the_page(page):
    root = parse(page)
    ids = {node.get("id") for node in root.iter()}
    summaries = root.find_all(id="error-summary")
    links = [link["href"] for summary in summaries for link in summary.find_all("a")]
    assert [href for href in links if href[1:] not in ids] == []
    # A form shown again always opens with the summary; a fresh one never does.
    assert bool(summaries) is ("error-message" in page)


def test_errors_are_tied_to_their_fields(page):
    root = parse(page)
    ids = {node.get("id") for node in root.iter()}
    for message in root.find_all("p", class_="error-message"):
        field = message["id"].removesuffix("-error")
        described = [
            node for node in root.iter()
            if message["id"] in node.get("aria-describedby", "").split()
        ]
        assert described, f"nothing is described by {message['id']}"
        for node in described:
            if node.tag in ("input", "textarea"):
                assert node.get("id") == field
                assert node.get("aria-invalid") == "true"
    for node in root.iter():
        for target in node.get("aria-describedby", "").split():
            assert target in ids, target


def test_only_fields_with_errors_are_marked_invalid(page):
    root = parse(page)
    for control in controls(root):
        if control.get("aria-invalid"):
            assert root.find_all(id=f"{control['id']}-error"), control["id"]


def test_title_says_when_there_are_errors(page):
    title = parse(page).find("title").text
    assert title.startswith("Error: ") is ("error-message" in page)
