"""Where an eventhub page's time goes: cProfile of repeated requests through the Flask test client.

Uses bench/load.py's data (the demo, and the large series) on a throwaway PostgreSQL database, and prints the
page's statement count, its median time and the functions with the most cumulative time:

    EVENTHUB_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/profile_page.py
    ... bench/profile_page.py --path series-200 --sort tottime
    ... bench/profile_page.py --path empty     # the framework's floor: a view answering "ok", no template

``empty`` is a route added for the run whose view does nothing: what is left is eventhub's per-request hooks
(request log, compression, security headers, session, CSRF check) and Flask's and Werkzeug's own work.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import counting, postgres_database  # noqa: E402
from load import bench_config, prepare  # noqa: E402

EMPTY = "/_bench/empty"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    server = os.environ.get("EVENTHUB_BENCH_DATABASE_URL") or os.environ.get("EVENTHUB_TEST_DATABASE_URL")
    parser.add_argument("--database-url", default=server, help="a PostgreSQL server")
    parser.add_argument("--path", default="event", help="'event', 'series-200', 'series-2000', 'empty' or a path")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (cumulative, tottime, ...)")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--only", default="", help="show only functions whose file matches this regular expression")
    args = parser.parse_args()
    from eventhub import create_app
    from eventhub.extensions import db

    with tempfile.TemporaryDirectory() as folder, postgres_database(args.database_url) as url:
        paths = prepare(url, Path(folder)) | {"empty": EMPTY}
        path = paths.get(args.path, args.path)
        app = create_app(bench_config(url))
        app.add_url_rule(EMPTY, "bench_empty", lambda: "ok")
        app.instance_path = folder
        client = app.test_client()
        logging.getLogger("eventhub.requests").disabled = True  # one line per request: not what is measured here
        with app.app_context():
            with counting() as statements:
                first = client.get(path)
            print(f"{path}: {first.status_code}, {len(first.data):,} bytes, {len(statements)} statements")
            for statement in statements:
                print("   ", " ".join(statement.split())[:150])
            cpu = time.process_time()
            for _ in range(args.requests):
                client.get(path)
            cpu = (time.process_time() - cpu) / args.requests
            print(f"CPU time of this process: {cpu * 1000:.2f} ms a request (not profiled; the database's is apart)")
            times = []
            profile = cProfile.Profile()
            for _ in range(args.requests):
                started = time.perf_counter()
                profile.enable()
                client.get(path)
                profile.disable()
                times.append(time.perf_counter() - started)
            print(f"median {statistics.median(times) * 1000:.2f} ms over {args.requests} requests (profiled)")
            pstats.Stats(profile).sort_stats(args.sort).print_stats(*([args.only] if args.only else []), args.top)
            db.engine.dispose()


if __name__ == "__main__":
    main()
