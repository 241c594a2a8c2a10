"""libical (Evolution's parser) reads every feed, the event ``.ics`` and each iTIP part without an error, with its
RFC 5545/5546 restriction checks (``tools/icalvalidate.c``, compiled once per run; skipped where gcc or
libical-dev is missing)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from eventhub.events.services import cancel_event
from eventhub.extensions import db
from tests.calendar.conftest import day

SOURCE = Path(__file__).parent / "tools" / "icalvalidate.c"


@pytest.fixture(scope="session")
def icalvalidate(tmp_path_factory) -> Path:
    if not shutil.which("gcc") or not shutil.which("pkg-config"):
        pytest.skip("gcc and pkg-config are needed to build the libical validator")
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libical"], capture_output=True, text=True)
    if flags.returncode != 0:
        pytest.skip("libical-dev is needed to build the libical validator (apt-get install libical-dev)")
    binary = tmp_path_factory.mktemp("icalvalidate") / "icalvalidate"
    build = subprocess.run(
        ["gcc", "-O2", "-o", str(binary), str(SOURCE), *flags.stdout.split()], capture_output=True, text=True
    )
    assert build.returncode == 0, build.stderr
    return binary


def assert_valid(validator: Path, body: bytes, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.ics"
    path.write_bytes(body)
    result = subprocess.run([str(validator), str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"{name}:\n{result.stdout}{result.stderr}"


def test_every_feed_and_itip_part_passes_libical(
    client,
    make_series,
    make_event,
    make_person,
    add_member,
    register,
    make_minutes,
    feed_url,
    frozen_clock,
    now,
    icalvalidate,
    tmp_path,
):
    from eventhub.registration.emails import calendar_part

    person = make_person(language="da")
    series = make_series(slug="bsi", title="BSI \\ Taskforce; Danmark, Sverige")
    add_member(series, person)
    meeting = make_event(series="bsi", title="Bordet rundt; siden sidst, næste møde")
    make_event(series="bsi", timezone="Europe/Stockholm", location="Stadshuset, Stockholm")
    cancelled = make_event(series="bsi", online_url="https://meet.example.org/abc")
    cancel_event(cancelled, now=now)
    registration = register(person, meeting)
    make_minutes(
        meeting, actions=[("Write it up", person, day("2026-12-24"))], deadlines=[("Call", day("2027-02-01"), None)]
    )
    db.session.commit()

    bodies = {
        "series": client.get("/series/bsi.ics").data,
        "event": client.get(f"/events/{meeting.id}.ics").data,
        "personal": client.get(feed_url(person)).data,
    }
    for method in ("REQUEST", "CANCEL"):
        bodies[f"itip-{method}"] = calendar_part(registration, method, now)["content"].encode()

    assert b"BEGIN:VTODO" in bodies["personal"] and bodies["series"].count(b"BEGIN:VEVENT") == 3
    for name, body in bodies.items():
        assert_valid(icalvalidate, body, tmp_path, name)
