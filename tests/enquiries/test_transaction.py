"""One transaction: if anything fails after the enquiry is written, nothing of it is kept."""

import pytest

from app.enquiries import emails
from app.extensions import db

from ..conftest import form_tokens
from ..support.enquiries import post_enquiry, row_counts, valid_answers
from ..support.outbox import statements
from .pages import main_of, words


class MailRoomOnFire(RuntimeError):
    pass


def fail(enquiry):
    raise MailRoomOnFire(f"could not enqueue for enquiry {enquiry.id}")


@pytest.mark.parametrize("step", ["enqueue_acknowledgement", "enqueue_notification"])
def test_failure_after_writing_leaves_nothing_and_says_so_plainly(step, client, monkeypatch):
    monkeypatch.setattr(emails, step, fail)
    before = row_counts()

    response = post_enquiry(client)

    assert response.status_code == 500
    main = words(main_of(response.text).text)
    assert "something went wrong" in main
    assert "nothing was saved" in main
    assert "Traceback" not in response.text and "MailRoomOnFire" not in response.text
    assert row_counts() == before
    # No thank-you for an enquiry that does not exist.
    assert client.get("/enquire/thanks").headers["Location"].endswith("/enquire")


def test_a_submission_is_one_transaction_of_writes_and_no_reads(app, client):
    """The emails' keys are new by construction, the thank-you is read before the commit, and
    the form's one-time key is checked by the database's unique index rather than by a look
    first, so the POST reads nothing: the enquiry and its two emails are written and
    committed. Asking for the follow-up adds nothing: the programme starts from the link in
    the acknowledgement, not here."""
    answers = {**form_tokens(client.get("/enquire").text), **valid_answers()}
    with statements(db.engine, "") as run:
        response = client.post("/enquire", data=answers)
    assert response.status_code == 303
    verbs = [statement.split(None, 1)[0].upper() for statement in run]
    assert "SELECT" not in verbs, run
    assert verbs.count("INSERT") in (2, 3)  # two emails in one statement where it can
    assert row_counts() == {"enquiries": 1, "outbox": 2}
