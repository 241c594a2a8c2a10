"""A smoke test of bench/load.py (the load figures): its arguments, cases, data and the reading of wrk's report.

The benchmark itself is not run here: it needs gunicorn, wrk and minutes of an idle machine.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from eventhub.extensions import db

BENCH = Path(__file__).resolve().parents[2] / "bench"

WRK_REPORT = """Running 5s test @ http://127.0.0.1:8765/events/33
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    45.12ms   10.01ms 120.00ms   80.00%
    Req/Sec    88.50     12.30   110.00     70.00%
  Latency Distribution
     50%  843.10us
     75%   50.20ms
     90%   58.00ms
     99%    1.20s
  885 requests in 5.01s, 6.50MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:    176.65
Transfer/sec:      1.30MB
"""


@pytest.fixture
def load(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))  # the script imports its neighbour _common.py
    spec = importlib.util.spec_from_file_location("bench_load", BENCH / "load.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_load", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_arguments(load):
    args = load.parse_args(["--database-url", "postgresql://x@127.0.0.1/db", "--duration", "2", "--only", "series"])
    assert (args.duration, args.connections, args.workers, args.only) == (2, 8, 2, "series")
    with pytest.raises(SystemExit):
        load.parse_args(["--database-url", "postgresql://x@127.0.0.1/db", "--duration", "0"])


def test_every_calendar_is_measured_with_and_without_validators_and_gzip(load):
    cases = load.all_cases({"event": "/events/1", "series-200": "/series/a.ics", "series-2000": "/series/b.ics"})
    assert len(cases) == 2 + 3 * 4
    feed = [case for case in cases if case.path == "/series/b.ics"]
    assert {(case.validators, case.gzip, case.expect) for case in feed} == {
        (False, False, 200), (False, True, 200), (True, False, 304), (True, True, 304),
    }  # fmt: skip


def test_reading_wrk_report(load):
    result = load.parse_wrk(WRK_REPORT)
    assert result.requests_per_second == 176.65 and result.requests == 885
    assert result.p50_ms == pytest.approx(0.8431) and result.p99_ms == 1200
    assert result.errors == 3 + 3


def test_a_generated_series_is_served_as_a_feed(load, client, now):
    slug = load.add_series(5, now)
    db.session.commit()
    feed = client.get(f"/series/{slug}.ics")
    assert feed.status_code == 200 and feed.data.count(b"BEGIN:VEVENT") == 5
