"""Benchmark of the public pages (part of ``make bench``).

For SQLite and for PostgreSQL, first with the demo data and then with the
synthetic dataset of ``bench/generate_data.py`` added (500,000 figures by
default), in a database the benchmark makes itself:

- server time of every public page and chart JSON, through Django's test
  client with the production settings that bear on it (DEBUG off, hashed
  static files; templates are cached either way): the median (p50) and p95
  of ``--runs`` requests, with the page cache off and on;
- SQL queries per page, with the cache off (they must not grow with the data);

and on PostgreSQL with the large dataset, the requests per second that wrk
gets from gunicorn (sharing a Redis cache, as in production) for the outcome
page, cached, and, side by side from the same server, for a static file of the
same size.

    python bench/pages_benchmark.py [--figures 500000] [--runs 30] [--databases sqlite,postgresql]

Results go to bench/pages_results.json; bench/report.py writes them up.

Generating the large dataset takes minutes. To iterate on a page, keep the
databases from one run and reuse them in the next (only ``migrate`` runs
again), and measure only the pages and sizes at hand, without the report:

    python bench/pages_benchmark.py --databases postgresql --keep-databases
    python bench/pages_benchmark.py --databases postgresql --reuse-databases \
        --pages outcome,home --no-load --output /tmp/pages.json --report ""

Kept databases are ``policing_pages_bench_demo`` and ``policing_pages_bench``
on PostgreSQL, and files under ``bench/.databases/`` for SQLite; a run without
``--keep-databases`` drops them at the end.
"""

import argparse
import datetime
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import write_section

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_SERVER = "postgres://postgres@127.0.0.1:5432/"
# Kept databases (--keep-databases, --reuse-databases) have these names; a run
# that drops its own adds its process id, so runs side by side never meet.
PG_NAMES = {"demo": "policing_pages_bench_demo", "large": "policing_pages_bench"}
KEPT_SQLITE = ROOT / "bench" / ".databases"
REDIS_URL = "redis://127.0.0.1:6379/15"


def pages():
    from django.urls import reverse

    plan = "police-and-crime-plan-2021-2025"
    return {
        "home": reverse("pages:home"),
        "outcome": reverse("pages:outcome-detail", args=["reducing-the-impact-of-drugs"]),
        "plan": reverse("pages:plan-detail", args=[plan]),
        "measure": reverse("pages:measure-detail", args=["neighbourhood-crime"]),
        "priority": reverse("pages:priority-detail", args=["reduce-serious-violence"]),
        "mapping": reverse("pages:mapping"),
        "statement": reverse("pages:statement"),
        "chart JSON": reverse("pages:measure-chart", args=["neighbourhood-crime", "humberside"]),
        "data": reverse("opendata:index"),
    }


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_address(client, address: str, runs: int):
    """One address, uncached as the client's settings leave it: a request to
    warm up, ``runs`` timed, one more to count the queries (so that recording
    them slows no timed one). Returns the figures and the last response."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(address)  # warm: connections, templates
    assert response.status_code == 200, (address, response.status_code)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(address)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(address)
    return {
        "address": address,
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 0.95),
        "queries": len(queries),
        "slowest_query_ms": max((float(q["time"]) for q in queries.captured_queries), default=0)
        * 1000,
    }, response


def child_measure(runs: int, only: list[str]) -> dict:
    """In a fresh process on DATABASE_URL: time every page (or ``only`` these), cache off and on."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policing.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from measures.models import Figure

    # Not setup_test_environment(): its instrumented template rendering, and
    # the test client's copy of every template's context that comes with it,
    # never run in production.
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    results = {"figures": Figure.objects.count(), "pages": {}}
    for name, url in pages().items():
        if only and name not in only:
            continue
        entry = {}
        for mode, seconds in (("uncached", 0), ("cached", 3600)):
            settings.PUBLIC_CACHE_SECONDS = seconds
            cache.clear()  # the warming request fills it again, when it is on
            entry[mode], response = time_address(client, url, runs)
        entry["bytes"] = len(response.content)
        results["pages"][name] = entry
    return results


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def production_env(env, static_root: Path) -> dict:
    """``env`` with the production settings that change how a page is served:
    DEBUG off, and the hashed static files of collectstatic (in ``static_root``)."""
    return {
        **env,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        # Required with DEBUG off; the pages are timed with the test client's host.
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": str(static_root),
    }


def measure(env, runs, only, static_root: Path) -> dict:
    """Time the pages in a fresh process, with production settings; the static
    files are collected into ``static_root`` once for every measurement."""
    env = production_env(env, static_root)
    if not (static_root / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    return measure_in_child(env, runs, only)


def measure_in_child(env, runs, only) -> dict:
    output = subprocess.run(
        [PYTHON, __file__, "--child", "--runs", str(runs), "--pages", ",".join(only)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def wrk(url: str, seconds: int = 10, connections: int = 16) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url} answered {errors.group(1)} requests with an error:\n{out}")
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rate,
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load_test(env, page_url: str, page_bytes: int) -> dict:
    """gunicorn serving the outcome page and a static file of the same size, under wrk."""
    port = free_port()
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    serve_env = {
        **production_env(env, static_root),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # As in production with several workers: one cache they all share.
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
    }
    try:
        manage(serve_env, "collectstatic", "--noinput", "--verbosity", "0")
        (static_root / "same-size.html").write_bytes(b"x" * page_bytes)
        server = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "policing.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(os.cpu_count() or 2),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=serve_env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    subprocess.run(
                        ["wrk", "-t1", "-c1", "-d1s", base + page_url],
                        capture_output=True,
                        check=True,
                    )
                    break
                except subprocess.CalledProcessError:
                    time.sleep(0.2)
            results = {
                "outcome page (cached)": wrk(base + page_url),
                "static file, same size": wrk(base + "/static/same-size.html"),
            }
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    results["ratio"] = (
        results["outcome page (cached)"]["rps"] / results["static file, same size"]["rps"]
    )
    return results


def psql(sql: str, check: bool = True, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-qtA", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-c", sql],
        check=check,
        capture_output=True,
        text=True,
    ).stdout.strip()


class Databases:
    """The demo and the large database of one kind, made once, kept or dropped."""

    def __init__(self, kind: str, workdir: Path, keep: bool):
        self.kind, self.keep = kind, keep
        self.folder = KEPT_SQLITE if keep else workdir
        self.names = PG_NAMES if keep else {k: f"{v}_{os.getpid()}" for k, v in PG_NAMES.items()}

    def url(self, size: str) -> str:
        if self.kind == "postgresql":
            return PG_SERVER + self.names[size]
        return f"sqlite:///{self.folder / f'{size}.sqlite3'}"

    def exists(self, size: str) -> bool:
        if self.kind == "postgresql":
            name = self.names[size]  # one of our constants, not input
            return bool(psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))  # noqa: S608
        return (self.folder / f"{size}.sqlite3").exists()

    def create(self, size: str, template: str | None = None) -> None:
        """An empty database, or a copy of ``template``'s."""
        self.drop(size)
        if self.kind == "postgresql":
            copy = f" TEMPLATE {self.names[template]}" if template else ""
            psql(f"CREATE DATABASE {self.names[size]}{copy}")
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
            if template:
                shutil.copyfile(
                    self.folder / f"{template}.sqlite3", self.folder / f"{size}.sqlite3"
                )

    def analyze(self, size: str) -> None:
        """Planner statistics for freshly loaded data, as autovacuum would gather
        them in production (a benchmark server may run with it off)."""
        if self.kind == "postgresql":
            psql("ANALYZE", database=self.names[size])

    def drop(self, size: str) -> None:
        if self.kind == "postgresql":
            psql(f"DROP DATABASE IF EXISTS {self.names[size]}", check=False)
        else:
            (self.folder / f"{size}.sqlite3").unlink(missing_ok=True)


def prepare_demo(env: dict, databases, args) -> None:
    """The demo database, made (or kept from an earlier run) and migrated."""
    env["DATABASE_URL"] = databases.url("demo")
    if args.reuse_databases and databases.exists("demo"):
        manage(env, "migrate", "--verbosity", "0")
        return
    databases.create("demo")
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "load_demo")
    databases.analyze("demo")


def prepare_large(env: dict, databases, args) -> float | None:
    """The large database: the demo's and the synthetic figures; returns how
    long generating them took, or None for a database kept from an earlier run."""
    env["DATABASE_URL"] = databases.url("large")
    if args.reuse_databases and databases.exists("large"):
        manage(env, "migrate", "--verbosity", "0")
        return None
    databases.create("large", template="demo")
    start = time.perf_counter()
    subprocess.run(
        [PYTHON, "bench/generate_data.py", "--figures", str(args.figures)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    seconds = time.perf_counter() - start
    databases.analyze("large")
    return seconds


def run_database(kind: str, args, workdir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    databases = Databases(kind, workdir, keep=args.keep_databases or args.reuse_databases)
    only = [name for name in args.pages.split(",") if name]
    result = {}
    try:
        prepare_demo(env, databases, args)
        if "demo" in args.sizes:
            result["demo"] = measure(env, args.runs, only, workdir / "static")
        if "large" not in args.sizes:
            return result
        seconds = prepare_large(env, databases, args)
        if seconds is not None:
            result["generate_seconds"] = seconds
        result["large"] = measure(env, args.runs, only, workdir / "static")
        measured = result["large"]["pages"]
        if kind == "postgresql" and args.load and "outcome" in measured and shutil.which("wrk"):
            outcome = pages()["outcome"]
            result["load"] = load_test(env, outcome, measured["outcome"]["bytes"])
    finally:
        if not databases.keep:
            databases.drop("large")
            databases.drop("demo")
    return result


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "?")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory = next(int(line.split()[1]) for line in meminfo if "MemTotal" in line)
    return f"{os.cpu_count()} cores ({cpu}), {memory / 1024 / 1024:.1f} GiB RAM"


def markdown(results: dict) -> str:
    runs = results["runs"]
    lines = [
        f"Measured on {results['date']} on {results['machine']}; server time through "
        f"Django's test client with production settings (DEBUG off), {runs} requests per "
        "page after one to warm up; milliseconds.",
        "",
    ]
    for kind, entry in results["databases"].items():
        demo, large = entry["demo"], entry["large"]
        lines += [
            f"### {'PostgreSQL' if kind == 'postgresql' else 'SQLite'}",
            "",
            f"Demo data: {demo['figures']:,} figures; large: {large['figures']:,} figures "
            + (
                f"(generated in {entry['generate_seconds']:.0f} s)."
                if "generate_seconds" in entry
                else "(a database kept from an earlier run)."
            ),
            "",
            "| page | queries (demo / large) | uncached p50 / p95, demo | uncached p50 / p95, "
            "large | cached p50 / p95, large |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for name, small in demo["pages"].items():
            big = large["pages"][name]
            lines.append(
                f"| {name} | {small['uncached']['queries']} / {big['uncached']['queries']} | "
                f"{small['uncached']['p50_ms']:.1f} / {small['uncached']['p95_ms']:.1f} | "
                f"{big['uncached']['p50_ms']:.1f} / {big['uncached']['p95_ms']:.1f} | "
                f"{big['cached']['p50_ms']:.1f} / {big['cached']['p95_ms']:.1f} |"
            )
        lines.append("")
        load = entry.get("load")
        if load:
            page, static = load["outcome page (cached)"], load["static file, same size"]
            lines += [
                "Under load (wrk, 2 threads, 16 connections, 10 s, loopback; gunicorn with "
                f"{os.cpu_count()} workers sharing Redis):",
                "",
                "| what | requests/s |",
                "| --- | ---: |",
                f"| outcome page, cached | {page['rps']:,.0f} |",
                f"| static file of the same size, same server | {static['rps']:,.0f} |",
                f"| ratio | **{load['ratio']:.2f}** |",
                "",
            ]
    return "\n".join(lines)


def summary(results: dict) -> str:
    """Uncached and cached p50 of every page measured, one line each, for the terminal."""
    lines = []
    for kind, entry in results["databases"].items():
        for size in ("demo", "large"):
            for name, page in entry.get(size, {}).get("pages", {}).items():
                lines.append(
                    f"{kind:10} {size:5} {name:10} queries {page['uncached']['queries']:2}  "
                    f"uncached p50 {page['uncached']['p50_ms']:6.1f} ms  "
                    f"p95 {page['uncached']['p95_ms']:6.1f} ms  "
                    f"cached p50 {page['cached']['p50_ms']:5.1f} ms"
                )
    return "\n".join(lines)


def write_report(results: dict, path: Path) -> None:
    """Put the results between the pages markers of docs/performance.md."""
    write_section(path, "pages benchmark", markdown(results), "## Public pages")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--figures", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--pages", default="", help="Only these pages, e.g. outcome,home.")
    parser.add_argument("--sizes", default="demo,large", help="demo, large, or both.")
    parser.add_argument(
        "--keep-databases", action="store_true", help="Leave the databases for --reuse-databases."
    )
    parser.add_argument(
        "--reuse-databases",
        action="store_true",
        help="Use the databases a run with --keep-databases left, instead of making them again.",
    )
    parser.add_argument(
        "--no-load", dest="load", action="store_false", help="Skip the wrk load test."
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--output", default=str(ROOT / "bench" / "pages_results.json"))
    parser.add_argument("--report", default=str(ROOT / "docs" / "performance.md"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_measure(args.runs, [p for p in args.pages.split(",") if p])))
        return

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policing.settings")
    import django

    django.setup()
    workdir = Path(tempfile.mkdtemp(prefix="pages-bench-"))
    try:
        results = {
            "date": datetime.date.today().isoformat(),
            "machine": machine(),
            "figures": args.figures,
            "runs": args.runs,
            "databases": {},
        }
        for kind in args.databases.split(","):
            print(f"pages benchmark: {kind}", flush=True)
            results["databases"][kind] = run_database(kind, args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    Path(args.output).write_text(json.dumps(results, indent=1) + "\n")
    print(summary(results))
    complete = not args.pages and set(args.sizes.split(",")) == {"demo", "large"}
    if args.report and complete:
        write_report(results, Path(args.report))
    print(f"written {args.output}")


if __name__ == "__main__":
    main()
