"""Time the reporting pages at two data sizes, served as in production, to see how they grow.

    .venv/bin/python benchmarks/bench_scale.py --small     # 50 and 200 vendors: a few minutes
    .venv/bin/python benchmarks/bench_scale.py             # 200 and 800 vendors (1x and 4x)
    .venv/bin/python benchmarks/bench_scale.py --small \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/vt_scale

Each size is a database of its own: 1x is 200 vendors, 1,000 BPO engagements (10 service levels
x 36 months = 360,000 results) and 1,000 KPO engagements (20 deliverables each); 4x is four times
that. SQLite files are kept in benchmarks/data/ and reused; with --database-url the
databases <name>_<vendors>_vendors are created on that server and reused. The schema is built
by the app's migrations (`flask db upgrade`), the generators fill it, and `flask rollups
rebuild` (when the app has it) fills the rollups the reports read. Each size is then served
by gunicorn with the production settings (gunicorn.conf.py: --preload, gc.freeze() before
forking, several workers), and every page is requested signed in, alternating between the 1x
and the 4x server, so that load from other work on the machine hits both sizes alike. /health
is the reference (a request that does no work). The two pages that read stored answers are
also timed right after those were made stale, as the first reader after a write sees them
("-after-write" rows: in the table, not in the last line). The last line sums it up:

    reporting p95 at 4x: worst <page> <ms> ms; growth 4x/1x: <ratio>

(the page with the highest p95 at 4x, and its median at 4x divided by its median at 1x).
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import requests
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import generate_bpo, generate_kpo  # noqa: E402
from benchmarks.common import BENCH_PASSWORD, BENCH_USERS, DATA_DIR, make_app  # noqa: E402

SIZES = {"full": {"1x": 200, "4x": 800}, "small": {"1x": 50, "4x": 200}}
ENGAGEMENTS_PER_VENDOR = 5  # of each kind; the generators make one vendor per 5 engagements
LEVELS, MONTHS, DELIVERABLES = 10, 36, 20
PAGES = (
    ("scorecards-12-months", "/reports/scorecards?period=ttm"),
    ("scorecards-quarter", "/reports/scorecards"),
    ("portfolio-and-spend", "/reports/portfolio"),
    ("needs-attention", "/reports/attention"),
    ("bpo-portfolio", "/bpo/portfolio"),
    ("scorecards-api", "/api/v1/scorecards?per_page=200"),
)
# The same pages read right after a write: the first reader computes their stored answers
# again (core.stored_answers). Shown in the table; the summary line is about the pages above.
AFTER_A_WRITE = (
    ("portfolio-after-write", "/reports/portfolio"),
    ("bpo-portfolio-after-write", "/bpo/portfolio"),
)
REFERENCE = ("health", "/health")
START_SECONDS = 180
FLASK = [sys.executable, "-m", "flask", "--app", "app"]


# --- the data sets ---------------------------------------------------------------------------


def size_targets(kind: str, database_url: str | None) -> dict[str, str]:
    """{size: SQLAlchemy URL} of each data set, creating missing PostgreSQL databases."""
    targets = {}
    for size, vendors in SIZES[kind].items():
        tag = f"{vendors}-vendors"  # the 4x of --small is the 1x of the full run: built once
        if database_url:
            url = make_url(database_url).set(drivername="postgresql+psycopg")
            url = url.set(database=f"{url.database}_{tag.replace('-', '_')}")
            create_database(url)
            targets[size] = url.render_as_string(hide_password=False)
        else:
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            targets[size] = f"sqlite:///{DATA_DIR / f'scale-{tag}.sqlite3'}"
    return targets


def create_database(url) -> None:
    """CREATE DATABASE on the server of `url` unless it exists."""
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        found = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
        ).first()
        if not found:
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    server.dispose()


def app_environment(target: str, instance: str) -> dict[str, str]:
    """The environment the flask commands and gunicorn run the app in, on `target`."""
    return {
        **os.environ,
        "DATABASE_URL": target,
        "VENDOR_TRACKER_INSTANCE": instance,
        "SECRET_KEY": "benchmark-only",
        "SESSION_COOKIE_SECURE": "0",
        "RATELIMIT_STORAGE_URI": "memory://",
        "GUNICORN_LOG_LEVEL": "warning",
    }


def flask_command(args: list[str], env: dict, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        FLASK + args, cwd=ROOT, env=env, check=check, capture_output=True, text=True
    )


def prepare(size: str, vendors: int, target: str, env: dict) -> dict:
    """Migrate, generate what is missing, rebuild the rollups once per schema; return counts."""
    flask_command(["db", "upgrade"], env)
    app = make_app(target)  # tables exist: this adds the taxonomy and the bench users
    from vendor_tracker.core.hooks import ROLLUP_KEEPERS
    from vendor_tracker.extensions import db

    with app.app_context():
        revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    # Built (and its rollups rebuilt) for this schema and these kinds of rollup.
    revision = f"{revision} {' '.join(sorted(ROLLUP_KEEPERS))}".strip()
    stamp = DATA_DIR / f"{re.sub(r'[^A-Za-z0-9]+', '_', target)[-80:]}.ready"
    engagements = vendors * ENGAGEMENTS_PER_VENDOR
    if not stamp.exists() or stamp.read_text() != revision:
        started = time.perf_counter()
        generate_bpo.generate(target, engagements, LEVELS, MONTHS)
        generate_kpo.generate(target, engagements, DELIVERABLES)
        print(f"  {size}: generated in {time.perf_counter() - started:.0f} s", flush=True)
        if "rollups" in flask_command(["--help"], env).stdout:
            started = time.perf_counter()
            flask_command(["rollups", "rebuild"], env)
            print(f"  {size}: rollups rebuilt in {time.perf_counter() - started:.0f} s")
        else:
            print(f"  {size}: this app has no `flask rollups rebuild`; skipped")
        if target.startswith("postgresql"):
            # Statistics for the planner now, as autovacuum would give them a while after a load.
            with app.app_context(), db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT")
                connection.execute(text("ANALYZE"))
        stamp.write_text(revision)
    return data_counts(app)


def data_counts(app) -> dict:
    from vendor_tracker.engagements.bpo.models import Measurement
    from vendor_tracker.engagements.models import Engagement
    from vendor_tracker.extensions import db
    from vendor_tracker.vendors.models import Vendor

    with app.app_context():
        count = lambda model: db.session.execute(select(func.count()).select_from(model)).scalar()  # noqa: E731
        kinds = {
            getattr(kind, "value", kind): number
            for kind, number in db.session.execute(
                select(Engagement.kind, func.count()).group_by(Engagement.kind)
            )
        }
        found = {
            "vendors": count(Vendor),
            "BPO": kinds.get("BPO", 0),
            "KPO": kinds.get("KPO", 0),
            "results": count(Measurement),
            "dialect": db.engine.dialect.name,
        }
        db.session.remove()
        db.engine.dispose()
    return {k: getattr(v, "value", v) for k, v in found.items()}


# --- serving -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(size: str, env: dict, workers: int):
    """gunicorn with the production settings on a free port; yields its base URL."""
    port = free_port()
    log = open(DATA_DIR / f"gunicorn-{size}-{port}.log", "w")  # noqa: SIM115 - closed below
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    command += ["--access-logfile", "/dev/null", "--max-requests", "0"]
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn for {size} exited; see {log.name}")
            try:
                if requests.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                if time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn for {size} did not start; see {log.name}") from None
            time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


def signed_in(base: str) -> tuple[requests.Session, dict]:
    """A session signed in as the bench viewer, and API headers with the viewer's token."""
    session = requests.Session()
    form = session.get(f"{base}/login", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    data = {"email": BENCH_USERS["viewer"], "password": BENCH_PASSWORD}
    if token:
        data["csrf_token"] = token.group(1)
    answer = session.post(f"{base}/login", data=data, allow_redirects=False, timeout=30)
    if answer.status_code != 302:
        raise SystemExit(f"bench login at {base} answered {answer.status_code}")
    api = requests.post(
        f"{base}/api/v1/auth/tokens",
        json={"email": BENCH_USERS["viewer"], "password": BENCH_PASSWORD},
        timeout=30,
    )
    api.raise_for_status()
    return session, {"Authorization": f"Bearer {api.json()['token']}"}


# --- timing ------------------------------------------------------------------------------------


def make_answers_stale(engine) -> None:
    """What a write of one vendor's monthly result does to what readers stored: it raises the
    stored answers' generation and that vendor's (its scorecards are scored again)."""
    with engine.begin() as connection:
        for table, key, value in (
            ("stored_answer_state", "id", "1"),
            ("vendor_score_state", "vendor_id", "(SELECT min(id) FROM vendors)"),
        ):
            raised = connection.execute(
                text(f"UPDATE {table} SET generation = generation + 1 WHERE {key} = {value}")
            )
            if raised.rowcount == 0:
                connection.execute(
                    text(f"INSERT INTO {table} ({key}, generation) VALUES ({value}, 1)")
                )


def timed_rounds(servers: dict, targets: dict, rounds: int, warmup: int) -> dict:
    """{(page, size): [ms, ...]}: every page at every size per round, sizes alternating; the
    AFTER_A_WRITE pages each right after their stored answers were made stale."""
    clients = {size: signed_in(base) for size, base in servers.items()}
    engines = {size: create_engine(url) for size, url in targets.items()}
    samples: dict[tuple[str, str], list[float]] = {}
    sizes = list(servers)
    for round_number in range(warmup + rounds):
        order = sizes if round_number % 2 == 0 else sizes[::-1]
        for name, path in (REFERENCE, *PAGES, *AFTER_A_WRITE):
            for size in order:
                session, headers = clients[size]
                if (name, path) in AFTER_A_WRITE:
                    make_answers_stale(engines[size])
                started = time.perf_counter()
                answer = session.get(
                    servers[size] + path,
                    headers=headers if path.startswith("/api/") else None,
                    timeout=120,
                )
                took = (time.perf_counter() - started) * 1000
                if answer.status_code != 200:
                    raise SystemExit(f"{size} {path} answered {answer.status_code}")
                if round_number >= warmup:
                    samples.setdefault((name, size), []).append(took)
        for size in order:  # untimed: the next round's readers find their answers stored
            session, _headers = clients[size]
            for _name, path in AFTER_A_WRITE:
                session.get(servers[size] + path, timeout=120).raise_for_status()
    return samples


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def report(samples: dict, sizes: list[str]) -> str:
    """Print the table; return the summary line."""
    small, large = sizes
    print(
        f"{'page':<22} {small + ' median':>11} {small + ' p95':>9} "
        f"{large + ' median':>11} {large + ' p95':>9} {'growth (median)':>16} {'growth (p95)':>13}"
    )
    worst = None
    for name, _path in (REFERENCE, *PAGES, *AFTER_A_WRITE):
        a, b = samples[(name, small)], samples[(name, large)]
        row = (statistics.median(a), p95(a), statistics.median(b), p95(b))
        growth = row[2] / row[0]
        print(
            f"{name:<22} {row[0]:>8.1f} ms {row[1]:>6.1f} ms {row[2]:>8.1f} ms "
            f"{row[3]:>6.1f} ms {growth:>15.2f}x {row[3] / row[1]:>12.2f}x"
        )
        if (name, _path) in PAGES and (worst is None or row[3] > worst[1]):
            worst = (name, row[3], growth)
    name, slowest, growth = worst
    return (
        f"reporting p95 at {large}: worst {name} {slowest:.0f} ms; "
        f"growth {large}/{small}: {growth:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="50 and 200 vendors")
    parser.add_argument(
        "--database-url", help="a PostgreSQL URL; databases <name>_<vendors>_vendors"
    )
    parser.add_argument("--rounds", type=int, default=20, help="requests per page and size")
    parser.add_argument("--warmup", type=int, default=3, help="rounds not counted")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per size")
    args = parser.parse_args()
    kind = "small" if args.small else "full"
    targets = size_targets(kind, args.database_url)
    instance = tempfile.mkdtemp(prefix="vt-bench-scale-")
    environments = {size: app_environment(url, instance) for size, url in targets.items()}
    print(f"Preparing the {kind} data sets ({', '.join(targets)})", flush=True)
    counts = {
        size: prepare(size, SIZES[kind][size], url, environments[size])
        for size, url in targets.items()
    }
    for size, found in counts.items():
        print(
            f"  {size} on {found['dialect']}: {found['vendors']:,} vendors, "
            f"{found['BPO']:,} BPO and {found['KPO']:,} KPO engagements, "
            f"{found['results']:,} monthly results"
        )
    with ExitStack() as stack:
        servers = {
            size: stack.enter_context(served(size, environments[size], args.workers))
            for size in targets
        }
        print(
            f"Serving with gunicorn ({args.workers} workers each, --preload, gc.freeze()); "
            f"{args.rounds} requests per page and size after {args.warmup} warm-up rounds, "
            f"alternating between the sizes; load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        samples = timed_rounds(servers, targets, args.rounds, args.warmup)
    summary = report(samples, list(targets))
    print(f"load average after the run: {os.getloadavg()[0]:.1f}")
    print(summary)


if __name__ == "__main__":
    main()
