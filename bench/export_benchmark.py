"""Benchmark of the figures CSV export on PostgreSQL (``make bench``).

Creates its own database (``policing_bench`` by default, dropped afterwards),
fills it with published figures by ``INSERT ... SELECT generate_series`` (100
thousand, then a million), and at each size times, in fresh processes:

- ``http``: ``GET /data/figures.csv`` end to end through Django's test client,
  reading the whole streamed body, in a process that has answered one small
  download first, as a running server has (its time is kept beside);
- ``copy-export``: the export's own ``COPY (SELECT ...) TO STDOUT`` run
  directly through psycopg, without Django;
- ``copy-raw``: ``COPY (SELECT <the same columns, unformatted>) TO STDOUT WITH
  CSV``, the same joins and order: the reference rate;
- ``python``: the Python path (``csv.writer`` over ``.iterator()``), which
  SQLite uses;
- ``status-csv``, ``status-copy-raw`` and ``status-page``: the CSV filtered on
  one status, its raw ``COPY`` reference, and the ``/data/`` table filtered
  on it, uncached; both requests after a small first one as for ``http``,
  with another status (so the timed page is not in the cache); all reading
  the stored verdict. The
  synthetic figures get their verdicts spread evenly as they are inserted
  rather than worked out, with a comparison, a change and a p-value wherever
  a real verdict has them: the benchmark measures reading them, not the
  rules. The raw references read, for each of the download's columns, what
  it is made from, unformatted: the same rows, the same columns, the same
  order.

Each run reports seconds, bytes, rows and the process's peak resident memory;
``http`` also reports the peak of Python allocations (``tracemalloc``) in a
separate run, so that tracing does not slow the timed runs. The results, with
the machine and the date, go to ``docs/performance.md``.

    python bench/export_benchmark.py [--rows 1000000] [--small 100000] [--runs 3]
"""

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from report import report, write_section

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/policing_bench"
QUARTERS = 100  # periods per measure and area


# --- in the child process -------------------------------------------------


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policing.settings")
    import django

    django.setup()


# The tables the download's columns read, under the aliases below.
RAW_TABLES = {(): "f", ("measure",): "m", ("area",): "a", ("measure", "priority_area"): "p"}
RAW_FROM = """
FROM measures_figure f
JOIN measures_measure m ON m.id = f.measure_id
JOIN measures_area a ON a.id = f.area_id
LEFT JOIN measures_priorityarea p ON p.id = m.priority_area_id
WHERE f.status = 'published'{extra}
ORDER BY m."order", m.name, a.name, f.period_end, f.id
"""


def raw_select(extra: str = "") -> str:
    """The reference: one column for each of the download's columns, what it
    reads (the first value, for a column worked out from several), as stored,
    unformatted; the same rows in the same order."""
    from measures.models import Figure
    from opendata.columns import FIGURE_COLUMNS

    cells = []
    for column in FIGURE_COLUMNS:
        *chain, name = column.paths[0].split("__")
        model = Figure
        for relation in chain:
            model = model._meta.get_field(relation).related_model
        cells.append(f"{RAW_TABLES[tuple(chain)]}.{model._meta.get_field(name).column}")
    return "SELECT " + ", ".join(cells) + RAW_FROM.format(extra=extra)


STATUS = "improving"
# What warms the process up before each request timed end to end: one area's
# figures with another status (a small download), another status's page.
_SMALL_DOWNLOAD = ("/data/figures.csv", {"status": "worsening", "area": "bench-area-1"})
WARM_UP = {
    "http": _SMALL_DOWNLOAD,
    "status-csv": _SMALL_DOWNLOAD,
    "status-page": ("/data/", {"status": "worsening"}),
}
# The synthetic figures' verdicts, spread evenly (see the module's docstring).
VERDICTS = ("improving", "no-significant-change", "worsening", "not-comparable", "baseline")
VERDICTS_SQL = ", ".join(f"'{verdict}'" for verdict in VERDICTS)


def _drain_copy(sql, params=()):
    from django.db import connection

    size = lines = 0
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params or None) as cp:
        for block in cp:
            size += len(block)
            lines += bytes(block).count(b"\n")
    return size, lines


def _count(chunks) -> tuple[int, int]:
    """Bytes and lines of a stream of chunks."""
    size = lines = 0
    for chunk in chunks:
        size += len(chunk)
        lines += chunk.count(b"\n")
    return size, lines


PLAIN_STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"


def _get(path: str, query=None):
    from django.conf import settings
    from django.test import Client, override_settings

    # Pages name their static files: the plain storage needs no collectstatic
    # manifest, and what is measured is the query and the rendering.
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC}}
    with override_settings(STORAGES=plain):
        # secure: production settings redirect plain HTTP to HTTPS.
        response = Client().get(path, query or {}, secure=True)
    assert response.status_code == 200, response.status_code
    return response


def _http() -> tuple[int, int]:
    response = _get("/data/figures.csv")
    size, lines = _count(response.streaming_content)
    response.close()
    return size, lines - 1  # the header


def _status(what: str) -> tuple[int, int]:
    response = _get("/data/figures.csv" if what == "status-csv" else "/data/", {"status": STATUS})
    if what == "status-page":
        # The rows of the table shown, not lines of HTML.
        return len(response.content), response.content.split(b"<tbody")[1].count(b"<tr")
    size, lines = _count(response.streaming_content)
    return size, lines - 1  # the header


def _measure(what: str) -> tuple[int, int]:
    from measures.models import Figure
    from opendata import pgcopy
    from opendata.columns import FIGURE_COLUMNS, names
    from opendata.exports import stream_csv
    from opendata.figures import figure_rows

    if what == "http":
        return _http()
    if what == "copy-export":
        return _count(pgcopy.figure_csv_blocks(Figure.objects.published()))
    if what == "copy-raw":
        return _drain_copy(raw_select())
    if what == "status-copy-raw":
        return _drain_copy(raw_select(f" AND f.verdict = '{STATUS}'"))
    if what in ("status-csv", "status-page"):
        return _status(what)
    if what == "python":
        size, lines = _count(
            stream_csv(names(FIGURE_COLUMNS), figure_rows(Figure.objects.published()))
        )
        return size, lines - 1
    raise SystemExit(f"unknown measurement {what!r}")


def child(what: str, trace: bool) -> dict:
    _django()
    import tracemalloc

    extra = {}
    if what in WARM_UP:
        # A running server has loaded its middleware, imported its views and
        # compiled its templates before this request: the process first
        # answers a small request of the same kind, with another query string
        # (so the timed page is not in the cache).
        started = time.perf_counter()
        response = _get(*WARM_UP[what])
        _count(response.streaming_content if response.streaming else [response.content])
        extra["first_request_seconds"] = time.perf_counter() - started
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    size, lines = _measure(what)
    seconds = time.perf_counter() - started
    result = {
        "what": what,
        "seconds": seconds,
        "bytes": size,
        "rows": lines,
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "rss_before_kib": rss_before,
        **extra,
    }
    if trace:
        result["traced_peak_bytes"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result


# --- in the parent process ------------------------------------------------


def _server_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def _admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(_server_url(url), autocommit=True) as conn:
        conn.execute(statement)


def _run_sql(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)


def generate(url: str, first_area: int, last_area: int) -> None:
    """Areas ``first_area``..``last_area``, each with every measure over
    ``QUARTERS`` rolling years: one ``INSERT ... SELECT`` each."""
    _run_sql(
        url,
        f"""
        INSERT INTO measures_area (name, slug, kind, home_office_names, police_uk_id)
        SELECT 'Bench area ' || n, 'bench-area-' || n, 'csp', '', ''
        FROM generate_series({first_area}, {last_area}) AS n
        """,  # noqa: S608 - integers from this script
    )
    _run_sql(
        url,
        f"""
        INSERT INTO measures_figure (
            measure_id, area_id, period_start, period_end, value, lower, upper, unit,
            provisional, series_break, note, source_url, status, version,
            created_at, updated_at, published_at,
            verdict, verdict_method, change_unit, verdict_text, revision_reason,
            comparison_start, comparison_end, comparison_value, change, p_value)
        SELECT m.id, a.id,
               (e.period_end + 1 - interval '12 months')::date, e.period_end,
               v.value,
               CASE WHEN ds.is_survey THEN greatest(v.value - 1.5, 0) END,
               CASE WHEN ds.is_survey THEN CASE WHEN m.unit = 'percentage'
                    THEN least(v.value + 1.5, 100) ELSE v.value + 1.5 END END,
               m.unit, false, false,
               CASE WHEN (a.id + q) % 50 = 0 THEN '=HYPERLINK("http://example.com")'
                    WHEN (a.id + q) % 7 = 0 THEN 'Revised, with "quotes"' ELSE '' END,
               'https://example.org/figures', 'published', 1, now(), now(), now(),
               verdict.name,
               'poisson-exact-test', verdict.change_unit,
               'A synthetic verdict for the benchmark.', '',
               -- A comparison, a change and a p-value where a real verdict has
               -- them: every figure but the baseline and those not comparable.
               CASE WHEN verdict.compared THEN date '2018-07-01' END,
               CASE WHEN verdict.compared THEN date '2019-06-30' END,
               CASE WHEN verdict.compared THEN v.value + 7.25 END,
               CASE WHEN verdict.compared THEN ((a.id * 11 + q * 7) % 400 - 200) / 10.0 END,
               CASE WHEN verdict.compared THEN ((a.id * 37 + q * 13) % 9999 + 1) / 10000.0 END
        FROM measures_measure m
        JOIN measures_datasource ds ON ds.id = m.data_source_id
        CROSS JOIN measures_area a
        CROSS JOIN generate_series(0, {QUARTERS - 1}) AS q
        CROSS JOIN LATERAL (
            SELECT (date '2000-01-01' + (q * 3 + 3) * interval '1 month' - interval '1 day')::date
                   AS period_end
        ) e
        CROSS JOIN LATERAL (
            SELECT round((CASE WHEN m.unit = 'percentage' THEN 20 + (a.id * 7 + q * 3) % 60
                          ELSE 100 + (a.id * 13 + q * 17) % 900 END)
                         + ((a.id + q) % 100) / 100.0, 2) AS value
        ) v
        CROSS JOIN LATERAL (
            SELECT name, name NOT IN ('baseline', 'not-comparable') AS compared,
                   CASE WHEN name IN ('baseline', 'not-comparable') THEN ''
                        WHEN m.unit = 'percentage' THEN 'percentage points' ELSE '%' END
                   AS change_unit
            FROM (SELECT (ARRAY[{VERDICTS_SQL}])[1 + (a.id + q) % {len(VERDICTS)}] AS name) n
        ) verdict
        WHERE a.slug LIKE 'bench-area-%'
          AND substr(a.slug, 12)::int BETWEEN {first_area} AND {last_area}
        """,  # noqa: S608 - integers from this script
    )
    _run_sql(url, "ANALYZE")


def measure(url: str, what: str, *, trace: bool = False) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "benchmark-only-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    args = [sys.executable, __file__, "--child", what] + (["--trace"] if trace else [])
    done = subprocess.run(args, env=env, check=False, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"measuring {what} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> dict:
    cpu = "unknown"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as info:
        total_kib = int(info.readline().split()[1])
    import psycopg

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(total_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "psycopg": psycopg.__version__,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per measurement")
    parser.add_argument("--python-runs-large", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--generate-only", action="store_true", help="fill the database, measure nothing, keep it"
    )
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument(
        "--report", default=str(ROOT / "docs" / "performance.md"), help='"" writes no report'
    )
    args = parser.parse_args()

    if args.child:
        print(json.dumps(child(args.child, args.trace)))
        return

    url = args.url
    name = urlsplit(url).path.lstrip("/")
    _admin(url, f'DROP DATABASE IF EXISTS "{name}"')
    _admin(url, f'CREATE DATABASE "{name}"')
    results = {"machine": machine(), "date": datetime.date.today().isoformat(), "sizes": {}}
    try:
        env = {**os.environ, "DATABASE_URL": url}
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
            env=env,
            check=True,
        )
        import psycopg

        with psycopg.connect(url) as conn:
            results["machine"]["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
            # Every measure the migrations made (the national catalogue and
            # the police-recorded ones): each area gets all of them.
            measures = conn.execute("SELECT count(*) FROM measures_measure").fetchone()[0]
        per_area = measures * QUARTERS
        areas_done = 0
        for size in (args.small, args.rows):
            areas = -(-size // per_area)
            started = time.perf_counter()
            generate(url, areas_done + 1, areas)
            generated = time.perf_counter() - started
            areas_done = areas
            print(f"{size:,} rows generated in {generated:.1f} s", flush=True)
            if args.generate_only:
                continue
            entry = {"generate_seconds": generated, "runs": {}}
            for what in (
                "copy-raw",
                "copy-export",
                "http",
                "python",
                "status-copy-raw",
                "status-csv",
                "status-page",
            ):
                runs = args.runs
                if what == "python" and size > args.small:
                    runs = args.python_runs_large
                entry["runs"][what] = [measure(url, what) for _ in range(runs)]
                seconds = statistics.median(r["seconds"] for r in entry["runs"][what])
                rows = entry["runs"][what][0]["rows"]
                print(f"  {what:12} {rows:>9,} rows  median {seconds:6.2f} s", flush=True)
            entry["http_traced"] = measure(url, "http", trace=True)
            results["sizes"][str(size)] = entry
    finally:
        if not (args.keep or args.generate_only):
            _admin(url, f'DROP DATABASE IF EXISTS "{name}"')
    Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
    print(f"results written to {args.output}")
    if args.report and not args.generate_only:
        write_section(Path(args.report), "export benchmark", report(results), "## Results")
        print(f"tables written to {args.report}")


if __name__ == "__main__":
    main()
