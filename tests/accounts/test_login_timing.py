"""Every failed login costs the same: one password hash is checked whether the address is unknown, the account
has no password, is inactive, or the password is wrong. Counting the checks says it without timing anything."""

import pytest

from eventhub.accounts import services
from eventhub.extensions import db


@pytest.fixture
def hash_checks(monkeypatch) -> list[str]:
    checks: list[str] = []
    real = services.check_password_hash

    def counting(stored: str, password: str) -> bool:
        checks.append(stored.split("$", 1)[0])
        return real(stored, password)

    monkeypatch.setattr(services, "check_password_hash", counting)
    return checks


def without_password(make_person):
    from eventhub.accounts.models import Role

    return services.create_user(make_person().email, Role.MEMBER).email


def inactive(make_user):
    user = make_user()
    services.set_active(user, False)
    return user.email


CASES = {
    "unknown address": lambda make_user, make_person: "nobody@example.org",
    "not an address": lambda make_user, make_person: "no address at all",
    "no password": lambda make_user, make_person: without_password(make_person),
    "inactive, right password": lambda make_user, make_person: inactive(make_user),
    "wrong password": lambda make_user, make_person: make_user().email,
}


@pytest.mark.parametrize("case", CASES)
def test_each_failure_checks_exactly_one_hash(app, make_user, make_person, hash_checks, case):
    email = CASES[case](make_user, make_person)
    password = "wrong password!" if case == "wrong password" else "correct horse battery"
    assert services.authenticate(email, password) is None
    assert hash_checks == [app.config["PASSWORD_HASH_METHOD"]]


def test_the_stand_in_hash_uses_the_configured_method(app, hash_checks):
    """A cheaper stand-in would answer unknown addresses faster than real ones."""
    services.authenticate("nobody@example.org", "guess")
    assert services._stand_in_hash(app.config["PASSWORD_HASH_METHOD"]).startswith(app.config["PASSWORD_HASH_METHOD"])
    db.session.rollback()
