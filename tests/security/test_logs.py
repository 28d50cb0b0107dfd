"""Signed links never reach the logs in full: the access log masks them."""

import logging
import threading
import urllib.error
import urllib.request

from werkzeug.serving import make_server

from app.logfilter import MASK, mask_tokens
from app.tokens import make_token


def test_tokens_are_masked_wherever_they_appear(app):
    token = make_token("checkin", 7, week=2)
    line = f'"GET /checkin/{token} HTTP/1.1" 200 -  and /book?enquiry={token}&x=1'
    masked = mask_tokens(line)
    assert token not in masked
    assert masked.count(MASK) == 2
    # Ordinary paths and file names are left alone.
    assert mask_tokens("GET /static/css/site.css") == "GET /static/css/site.css"


def test_the_access_log_of_a_real_server_has_no_token(app, caplog):
    token = make_token("checkin", 123456, week=2)
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{server.port}/checkin/{token}")
            except urllib.error.HTTPError as error:
                assert error.code == 404  # no such patient; the line is logged all the same
                error.close()
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any(f"/checkin/{MASK}" in line for line in lines), lines
    assert token not in caplog.text


def test_database_errors_do_not_carry_the_values_into_the_log(app, db):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from app.models import StaffUser

    db.session.add(StaffUser(email="a@example.org", password_hash="x"))
    db.session.commit()
    db.session.add(StaffUser(email="a@example.org", password_hash="secret health words"))
    with pytest.raises(IntegrityError) as raised:
        db.session.commit()
    db.session.rollback()
    assert "secret health words" not in str(raised.value)
    assert "hidden due to hide_parameters" in str(raised.value)
