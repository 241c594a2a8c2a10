"""24 wrong passwords for one address sent at the same moment: no more than the limit (10) are evaluated.

Real parts: a migrated PostgreSQL database of this test's own (the rolled-back ``app`` fixture shares one
connection, which hides every race) and 24 threads posting the real login form, each with its own session and
CSRF token. Every password check waits until each of the 24 requests has either reached a check or been
refused, so a limiter that lets requests through before counting them shows it every time, not by chance.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from eventhub.accounts import services
from eventhub.extensions import db
from tests.conftest import csrf_token_from

GUESSES = 24
LIMIT = 10
EMAIL = "organiser@example.org"


class Gate:
    """Holds every password check until all requests have got past the limiter one way or the other."""

    def __init__(self, total: int) -> None:
        self.total, self.past, self.checked = total, 0, 0
        self.condition = threading.Condition()

    def arrive(self, checked: bool) -> None:
        with self.condition:
            self.past += 1
            self.checked += checked
            self.condition.notify_all()

    def wait_for_everyone(self) -> None:
        with self.condition:
            assert self.condition.wait_for(lambda: self.past >= self.total, timeout=60), "requests never arrived"


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Gate:
    gate = Gate(GUESSES)
    real = services.check_password_hash

    def gated(stored: str, password: str) -> bool:
        gate.arrive(checked=True)
        gate.wait_for_everyone()
        return real(stored, password)

    monkeypatch.setattr(services, "check_password_hash", gated)
    return gate


def _seed(app) -> None:
    from eventhub.accounts.models import Role

    with app.app_context():
        services.create_user(EMAIL, Role.ORGANISER, password="correct horse battery")
        db.session.commit()
        db.engine.dispose()


def _prepared_clients(app) -> list:
    clients = []
    for _ in range(GUESSES):
        client = app.test_client()
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        clients.append((client, {"email": EMAIL, "password": "wrong password!", "csrf_token": token}))
    return clients


def test_concurrent_wrong_passwords_never_exceed_the_limit_on_postgresql(postgres_database, gate):
    app = postgres_database.app(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": GUESSES + 5, "max_overflow": 0})
    app.config["LOGIN_FAILURES_PER_EMAIL"] = LIMIT
    _seed(app)
    clients = _prepared_clients(app)
    statuses: list[int] = [0] * GUESSES
    start = threading.Barrier(GUESSES)

    def guess(index: int) -> None:
        client, form = clients[index]
        start.wait()
        statuses[index] = client.post("/login", data=form).status_code
        if statuses[index] == 429:
            gate.arrive(checked=False)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(GUESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    with app.app_context():
        db.engine.dispose()

    counts = Counter(statuses)
    assert gate.checked <= LIMIT, counts
    assert counts[200] == gate.checked and counts[429] == GUESSES - gate.checked, counts
