"""`flask staff`: passwords come from a prompt or standard input, never the command line."""

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from app.models import StaffUser

from ..support.desk import PASSWORD, sign_in


def staff_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(StaffUser))


def test_create_reads_the_password_from_stdin(runner, db):
    result = runner.invoke(
        args=["staff", "create", "Osteo@Clinic.Example"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "Created osteo@clinic.example" in result.output
    user = db.session.execute(select(StaffUser)).scalar_one()
    assert user.email == "osteo@clinic.example"
    assert user.active and user.session_version == 1
    assert check_password_hash(user.password_hash, PASSWORD)
    assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    "args",
    [
        ["staff", "create", "osteo@clinic.example", PASSWORD],
        ["staff", "create", "osteo@clinic.example", "--password", PASSWORD],
    ],
    ids=["as-argument", "as-option"],
)
def test_a_password_on_the_command_line_is_refused(runner, db, args):
    result = runner.invoke(args=args, input=PASSWORD + "\n")
    assert result.exit_code == 2
    assert staff_count(db) == 0


def test_short_passwords_are_refused(runner, db):
    result = runner.invoke(args=["staff", "create", "osteo@clinic.example"], input="elevenchars\n")
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output
    assert staff_count(db) == 0


def test_bad_and_duplicate_addresses_are_refused(runner, db):
    def create(email):
        return runner.invoke(args=["staff", "create", email], input=PASSWORD)

    assert create("not-an-email").exit_code == 1
    assert create("a@clinic.example").exit_code == 0
    again = create("A@clinic.example")
    assert again.exit_code == 1
    assert "already an account" in again.output
    assert staff_count(db) == 1


def test_set_password_ends_every_session(runner, client, staff):
    assert sign_in(client).status_code == 303
    result = runner.invoke(
        args=["staff", "set-password", staff.email], input="a brand new passphrase\n"
    )
    assert result.exit_code == 0, result.output
    assert client.get("/admin/").status_code == 302
    assert sign_in(client).status_code == 400
    assert sign_in(client, password="a brand new passphrase").status_code == 303


def test_create_demo_refuses_outside_development(runner, db):
    result = runner.invoke(args=["staff", "create-demo"])
    assert result.exit_code == 1
    assert "APP_ENV=development" in result.output
    assert staff_count(db) == 0


class TestRealHashCost:
    @pytest.fixture
    def app_overrides(self):
        return {}

    def test_passwords_are_hashed_with_owasp_scrypt_parameters(self, runner, db):
        runner.invoke(args=["staff", "create", "osteo@clinic.example"], input=PASSWORD)
        user = db.session.execute(select(StaffUser)).scalar_one()
        assert user.password_hash.startswith("scrypt:131072:8:1$")
