"""Load figures: eventhub under gunicorn (2 workers) on PostgreSQL, measured with wrk.

One command, about two minutes: a throwaway database is created, migrated and filled with the demo data plus two
public series of 200 and 2,000 meetings; gunicorn serves it on 127.0.0.1; wrk (Debian's ``wrk``) loads each case
for ``--duration`` seconds; the database is dropped at the end. Cases: the event page (the demo event with the
longest agenda), the event's ``.ics``, and the series feeds of 200 and 2,000 events, each with and without
``Accept-Encoding: gzip`` and (the calendars) with and without ``If-None-Match`` (a poll of an unchanged feed).

    EVENTHUB_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/load.py

``--database-url`` (or EVENTHUB_BENCH_DATABASE_URL) names another server. The table it prints is Markdown, for
docs/benchmarks.md. wrk's latency percentiles come from its ``--latency`` report; requests that did not end in
200 or 304 are counted in the last column (wrk counts any non-2xx/3xx answer, or a socket error).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _common import migrate, postgres_database  # noqa: E402

NOW = datetime.now(UTC).replace(microsecond=0)  # the server reads the real clock
BASE_URL = "https://eventhub.example.org"
SERIES_SIZES = (200, 2000)


@dataclass(frozen=True)
class Case:
    """One wrk run: a path and the request headers that make it a case."""

    label: str
    path: str
    gzip: bool = False
    validators: bool = False
    expect: int = 200


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    bytes_per_answer: int = 0
    notes: list[str] = field(default_factory=list)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    server = os.environ.get("EVENTHUB_BENCH_DATABASE_URL") or os.environ.get("EVENTHUB_TEST_DATABASE_URL")
    parser.add_argument("--database-url", default=server, help="a PostgreSQL server (a database is made and dropped)")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per case")
    parser.add_argument("--connections", type=int, default=8, help="wrk's open connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", default="", help="run only the cases whose label contains this text")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("name a PostgreSQL server: --database-url or EVENTHUB_TEST_DATABASE_URL")
    if args.duration < 1 or args.connections < 1 or args.workers < 1:
        parser.error("--duration, --connections and --workers must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    with tempfile.TemporaryDirectory() as folder, postgres_database(args.database_url) as url:
        started = time.perf_counter()
        paths = prepare(url, Path(folder))
        print(f"data ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        cases = [case for case in all_cases(paths) if args.only in case.label]
        with serve(url, Path(folder), args.port, args.workers) as base:
            results = [(case, measure(base, case, args)) for case in cases]
    print(markdown_table(results, args))


def prepare(url: str, instance: Path) -> dict[str, str]:
    """Migrate and fill the database; returns the paths to load: ``event`` and ``series-<size>``."""
    from eventhub import create_app
    from eventhub.extensions import db

    app = create_app(bench_config(url))
    app.instance_path = str(instance)
    with app.app_context():
        migrate()
        paths = seed(NOW)
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()
    return paths


def bench_config(url: str) -> dict[str, object]:
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "bench-" + "x" * 32,
        "BASE_URL": BASE_URL,
        "LOG_FORMAT": "json",
    }


def seed(now: datetime) -> dict[str, str]:
    """The demo data (its event pages have agendas, registration links, a series) and the two large series."""
    from eventhub.agenda.models import Agenda, AgendaItem
    from eventhub.demo.loader import load_demo
    from eventhub.events.models import Event, Visibility
    from eventhub.extensions import db

    load_demo(now)
    db.session.flush()
    items = sa.func.count(AgendaItem.id)
    event_id = db.session.scalar(
        sa.select(Event.id)
        .outerjoin(Agenda, Agenda.event_id == Event.id)
        .outerjoin(AgendaItem, AgendaItem.agenda_id == Agenda.id)
        .where(Event.visibility == Visibility.PUBLIC, Agenda.published_at.is_not(None))
        .group_by(Event.id)
        .order_by(items.desc(), Event.id)
        .limit(1)
    )
    paths = {"event": f"/events/{event_id}"}
    for size in SERIES_SIZES:
        paths[f"series-{size}"] = f"/series/{add_series(size, now)}.ics"
    return paths


def add_series(size: int, now: datetime) -> str:
    """A public series of ``size`` meetings, a week apart around ``now``, in two bulk inserts; returns its slug."""
    from eventhub.events.models import Event, Series
    from eventhub.extensions import db

    slug = f"load-{size}"
    series = Series(slug=slug, title=f"Buy Social Taskforce Danmark ({size})", visibility="public")
    db.session.add(series)
    db.session.flush()
    first = now - timedelta(weeks=size // 2)
    db.session.execute(sa.insert(Event), [event_row(series.id, number, first, now) for number in range(1, size + 1)])
    return slug


def event_row(series_id: int, number: int, first: datetime, now: datetime) -> dict[str, object]:
    start = first + timedelta(weeks=number, hours=number % 5)
    return dict(
        title=f"Bordet rundt; siden sidst, næste møde {number}",
        kind="meeting",
        timezone="Europe/Copenhagen",
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        location="Rådhuset, København",
        online_url="https://meet.example.org/bstd",
        series_id=series_id,
        number=number,
        status="scheduled",
        visibility="public",
        invitation_only=False,
        sequence=number % 3,
        description="Dagsorden følger. Mødet holdes på dansk; præsentationerne deles bagefter.",
        created_at=now,
        updated_at=now,
    )


def all_cases(paths: dict[str, str]) -> list[Case]:
    cases = [Case("event page", paths["event"]), Case("event page", paths["event"], gzip=True)]
    calendars = [("event .ics", paths["event"] + ".ics")]
    calendars += [(f"series feed, {size} events", paths[f"series-{size}"]) for size in SERIES_SIZES]
    for label, path in calendars:
        for validators in (False, True):
            for gzip in (False, True):
                cases.append(Case(label, path, gzip, validators, expect=304 if validators else 200))
    return cases


@contextmanager
def serve(url: str, instance: Path, port: int, workers: int) -> Iterator[str]:
    """gunicorn with ``workers`` sync workers on 127.0.0.1:``port``, stopped on the way out."""
    environment = dict(
        os.environ,
        EVENTHUB_DATABASE_URL=url,
        EVENTHUB_SECRET_KEY=str(bench_config(url)["SECRET_KEY"]),
        EVENTHUB_BASE_URL=BASE_URL,
        EVENTHUB_LOG_FORMAT="json",
    )
    command = [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--timeout", "120", "--chdir", str(ROOT), "wsgi:app"]
    log = (instance / "gunicorn.log").open("w")
    server = subprocess.Popen(command, env=environment, stdout=log, stderr=log, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz", server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def measure(base: str, case: Case, args: argparse.Namespace) -> Result:
    """Check the case answers as expected (status, encoding), then load it with wrk."""
    headers = {"Accept-Encoding": "gzip"} if case.gzip else {}
    status, answer_headers, body = fetch(base + case.path, headers)  # also builds and records the feed's version
    if case.validators:
        headers["If-None-Match"] = answer_headers["ETag"]
        status, answer_headers, body = fetch(base + case.path, headers)
    if status != case.expect:
        sys.exit(f"{case.path} {headers}: expected {case.expect}, got {status}")
    if case.gzip and status == 200 and answer_headers.get("Content-Encoding") != "gzip":
        sys.exit(f"{case.path}: asked for gzip, got {answer_headers.get('Content-Encoding')!r}")
    command = ["wrk", "--latency", "--timeout", "60s", f"-t{args.threads}", f"-c{args.connections}"]
    command += [f"-d{args.duration}s", *[f"-H{name}: {value}" for name, value in headers.items()], base + case.path]
    result = parse_wrk(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    result.bytes_per_answer = len(body)
    return result


def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:  # urllib raises on 304 too
        return error.code, dict(error.headers), error.read()


def parse_wrk(output: str) -> Result:
    """Requests per second, p50 and p99 (ms), requests made and failed, from wrk's ``--latency`` report."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors += sum(int(n) for n in socket.groups()) if socket else 0
    percentiles = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+\w+)", output, re.MULTILINE))
    return Result(rate, _ms(percentiles["50"]), _ms(percentiles["99"]), requests, errors)


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def markdown_table(results: list[tuple[Case, Result]], args: argparse.Namespace) -> str:
    lines = [
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s against gunicorn --workers {args.workers}",
        "",
        "| case | validators | gzip | status | bytes | requests/s | p50 | p99 | requests | errors |",
        "|------|------------|------|-------:|------:|-----------:|----:|----:|---------:|-------:|",
    ]
    for case, result in results:
        lines.append(
            f"| {case.label} | {'If-None-Match' if case.validators else '-'} | {'gzip' if case.gzip else '-'} "
            f"| {case.expect} | {result.bytes_per_answer:,} | {result.requests_per_second:,.1f} "
            f"| {result.p50_ms:.1f} ms | {result.p99_ms:.1f} ms | {result.requests:,} | {result.errors} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
