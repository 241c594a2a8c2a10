"""200 invitees submit the registration form at the same moment for 50 seats: exactly 50 are confirmed, 150
wait in a gapless order, and nobody sees an error page.

Real parts: a migrated database of this test's own (the rolled-back ``app`` fixture shares one connection, which
hides every race), a threaded Werkzeug server, and 200 threads posting the real form with their own session
cookie and CSRF token, released together by a barrier.
"""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from datetime import timedelta

import sqlalchemy as sa
from werkzeug.serving import make_server

from eventhub.extensions import db
from tests.conftest import NOW
from tests.fixtures.mail import RealDatabase

SEATS = 50
INVITEES = 200


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _seed(app) -> tuple[int, list[str]]:
    """An event with 50 seats, 200 invitations, committed; returns the event id and the link tokens."""
    from eventhub.events.services import EventInput, create_event
    from eventhub.mail.models import OutboxMessage
    from eventhub.registration.invitations import invite_people
    from eventhub.registration.invitee_lists import InviteeRow

    with app.app_context():
        event = create_event(
            EventInput(
                title="BSI conference",
                kind="conference",
                timezone="Europe/Copenhagen",
                starts_at=NOW + timedelta(days=40),
                ends_at=NOW + timedelta(days=40, hours=6),
                capacity=SEATS,
                invitation_only=True,
            ),
            now=NOW,
        )
        rows = [InviteeRow(n, f"invitee{n}@example.org", f"Invitee {n}") for n in range(INVITEES)]
        invite_people(event, rows, None, NOW)
        db.session.commit()
        bodies = db.session.scalars(sa.select(OutboxMessage.body_text).where(OutboxMessage.kind == "invitation")).all()
        tokens = [re.search(r"/invitations/([A-Za-z0-9_-]+)", body).group(1) for body in bodies]
        event_id = event.id
        db.session.remove()
        db.engine.dispose()
    return event_id, tokens


def _opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())


def _prepared_post(base: str, token: str):
    """A browser's state after opening the invitation: its cookie and the form's CSRF token."""
    opener = _opener()
    html = opener.open(f"{base}/invitations/{token}", timeout=30).read().decode()
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    data = urllib.parse.urlencode({"csrf_token": csrf.group(1), "name": "Invitee", "organisation": ""}).encode()
    return opener, urllib.request.Request(f"{base}/invitations/{token}", data=data, method="POST")


def _post(opener, request) -> int:
    try:
        return opener.open(request, timeout=120).status
    except urllib.error.HTTPError as error:
        return error.code
    except Exception:  # a dropped connection counts as an error page
        return 599


def _run_stampede(database: RealDatabase) -> tuple[Counter, dict[str, int], list[int]]:
    app = database.app(
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"check_same_thread": False}}
        if "sqlite" in database.url
        else {"pool_size": 20, "max_overflow": 10}
    )
    app.config["WTF_CSRF_SSL_STRICT"] = False
    event_id, tokens = _seed(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.socket.listen(512)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        prepared = [_prepared_post(base, token) for token in tokens]
        statuses: list[int] = [0] * len(prepared)
        barrier = threading.Barrier(len(prepared))

        def worker(index: int) -> None:
            barrier.wait()
            statuses[index] = _post(*prepared[index])

        workers = [threading.Thread(target=worker, args=(n,)) for n in range(len(prepared))]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=300)
    finally:
        server.shutdown()
        thread.join(timeout=10)
    with app.app_context():
        from eventhub.registration.models import Registration

        rows = db.session.execute(
            sa.select(Registration.status, Registration.waitlist_position).where(Registration.event_id == event_id)
        ).all()
        db.session.remove()
        db.engine.dispose()
    counts = Counter(status.value for status, _ in rows)
    positions = sorted(position for _, position in rows if position is not None)
    return Counter(statuses), dict(counts), positions


def test_200_simultaneous_registrations_for_50_seats_on_postgresql(postgres_database):
    statuses, counts, positions = _run_stampede(postgres_database)
    assert statuses == Counter({302: INVITEES})
    assert counts == {"confirmed": SEATS, "waitlisted": INVITEES - SEATS}
    assert positions == list(range(1, INVITEES - SEATS + 1))


def test_the_same_stampede_on_sqlite_never_overbooks(sqlite_database):
    statuses, counts, positions = _run_stampede(sqlite_database)
    assert counts.get("confirmed", 0) <= SEATS
    assert positions == list(range(1, len(positions) + 1))
    assert statuses == Counter({302: INVITEES}), statuses
    assert counts == {"confirmed": SEATS, "waitlisted": INVITEES - SEATS}
