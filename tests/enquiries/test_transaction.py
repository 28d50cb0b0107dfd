"""One transaction: if anything fails after the enquiry is written, nothing of it is kept."""

import pytest

from app.enquiries import messages

from ..support.enquiries import post_enquiry, row_counts
from .pages import main_of, words


class MailRoomOnFire(RuntimeError):
    pass


def fail(enquiry):
    raise MailRoomOnFire(f"could not enqueue for enquiry {enquiry.id}")


@pytest.mark.parametrize("step", ["enqueue_acknowledgement", "enqueue_notification"])
def test_failure_after_writing_leaves_nothing_and_says_so_plainly(step, client, monkeypatch):
    monkeypatch.setattr(messages, step, fail)
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
