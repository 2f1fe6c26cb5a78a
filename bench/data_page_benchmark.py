"""Benchmark of the public data page, ``/data/``, on PostgreSQL (part of ``make bench``).

Makes a database of its own (``policing_datapage_bench``), with the demo data
and the synthetic figures of ``bench/generate_data.py`` (500,000 by default),
gives the synthetic figures verdicts spread evenly over five (the benchmark
measures reading the stored verdict, not working it out), and runs
``VACUUM ANALYZE``, as autovacuum would after such a load. Then, in a fresh
process with the production settings that bear on a page (DEBUG off, hashed
static files) and the page cache off, it times each address below ``--runs``
times after one request to warm up, through Django's test client, and counts
its queries on one more request.

    python bench/data_page_benchmark.py [--figures 500000] [--runs 30]
    python bench/data_page_benchmark.py --keep-database     # then, to iterate:
    python bench/data_page_benchmark.py --reuse-database --report ""

Results go to bench/data_page_results.json and their table to
docs/performance.md ("The data page").
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pages_benchmark import PG_SERVER, machine, manage, production_env, psql, time_address
from report import write_section

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATABASE = "policing_datapage_bench"
VERDICTS = ("improving", "no-significant-change", "worsening", "not-comparable", "baseline")
# (what, address): the first page as the public opens it, and what a manager
# does next; the last two sort on a column no index serves.
ADDRESSES = (
    ("first page (newest first)", "/data/"),
    ("second page", "/data/?page=2"),
    ("page 200 (figures 9,951–10,000)", "/data/?page=200"),
    ("one status", "/data/?status=improving"),
    ("one status in one area", "/data/?status=worsening&area=humberside"),
    ("one measure", "/data/?measure=homicides"),
    ("one area", "/data/?area=humberside"),
    ("sorted by value", "/data/?sort=-value"),
    ("sorted by measure", "/data/?sort=measure_name"),
    # A yardstick for a busy machine: the home page took 22 ms on an idle one.
    ("the home page, for comparison", "/"),
)
COUNT = re.compile(r'<p id="figures-count"[^>]*>([^<]*)</p>')


def child_measure(runs: int) -> dict:
    """In a fresh process on DATABASE_URL: time every address, the page cache off."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policing.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from measures.models import Figure

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PUBLIC_CACHE_SECONDS = 0
    client = Client()
    results = {"figures": Figure.objects.published().count(), "addresses": {}}
    for what, address in ADDRESSES:
        entry, response = time_address(client, address, runs)
        entry["shows"] = next(iter(COUNT.findall(response.content.decode())), "")
        results["addresses"][what] = entry
    return results


def exists() -> bool:
    return bool(psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"))  # noqa: S608


def prepare(env: dict, figures: int, reuse: bool) -> float | None:
    """The database, made and filled (returns how long the figures took), or
    kept from an earlier run (returns None)."""
    if reuse and exists():
        manage(env, "migrate", "--verbosity", "0")
        return None
    psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    psql(f"CREATE DATABASE {DATABASE}")
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "load_demo")
    start = time.perf_counter()
    subprocess.run(
        [PYTHON, "bench/generate_data.py", "--figures", str(figures)], cwd=ROOT, env=env, check=True
    )
    spread = ", ".join(f"'{verdict}'" for verdict in VERDICTS)
    psql(
        f"UPDATE measures_figure SET verdict = (ARRAY[{spread}])[1 + id % {len(VERDICTS)}] "  # noqa: S608 - our constants
        "WHERE note LIKE 'Synthetic benchmark figure%'",
        database=DATABASE,
    )
    psql("VACUUM ANALYZE", database=DATABASE)
    return time.perf_counter() - start


def markdown(results: dict) -> str:
    lines = [
        f"Measured on {results['date']} on {results['machine']}, PostgreSQL "
        f"{results['postgresql']}; load average {results['load_before']} before the run and "
        f"{results['load_after']} after it. Server time through Django's test client with "
        f"production settings (DEBUG off), the page cache off, {results['runs']} requests per "
        f"address after one to warm up; milliseconds. {results['figures']:,} published figures"
        + (
            f" (generated in {results['generate_seconds']:.0f} s)."
            if results.get("generate_seconds")
            else " (a database kept from an earlier run)."
        ),
        "",
        "| what | address | queries | slowest query | uncached p50 / p95 | the page says |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for what, entry in results["addresses"].items():
        lines.append(
            f"| {what} | `{entry['address']}` | {entry['queries']} | "
            f"{entry['slowest_query_ms']:.1f} | {entry['p50_ms']:.1f} / {entry['p95_ms']:.1f} | "
            f"{entry['shows']} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--figures", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--reuse-database", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--output", default=str(ROOT / "bench" / "data_page_results.json"))
    parser.add_argument("--report", default=str(ROOT / "docs" / "performance.md"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_measure(args.runs)))
        return

    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DATABASE_URL"] = PG_SERVER + DATABASE
    static_root = Path(tempfile.mkdtemp(prefix="datapage-bench-static-"))
    results = {
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "runs": args.runs,
        "load_before": ", ".join(f"{n:.1f}" for n in os.getloadavg()),
    }
    try:
        results["generate_seconds"] = prepare(env, args.figures, args.reuse_database)
        results["postgresql"] = psql("SHOW server_version", database=DATABASE)
        production = production_env(env, static_root)
        manage(production, "collectstatic", "--noinput", "--verbosity", "0")
        output = subprocess.run(
            [PYTHON, __file__, "--child", "--runs", str(args.runs)],
            cwd=ROOT,
            env=production,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results.update(json.loads(output.strip().splitlines()[-1]))
    finally:
        if not (args.keep_database or args.reuse_database):
            psql(f"DROP DATABASE IF EXISTS {DATABASE}", check=False)
        subprocess.run(["rm", "-rf", str(static_root)], check=False)
    results["load_after"] = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    Path(args.output).write_text(json.dumps(results, indent=1) + "\n")
    for what, entry in results["addresses"].items():
        print(
            f"{what:35} queries {entry['queries']:2}  p50 {entry['p50_ms']:7.1f} ms  "
            f"p95 {entry['p95_ms']:7.1f} ms  {entry['shows']}"
        )
    if args.report:
        write_section(
            Path(args.report), "data page benchmark", markdown(results), "## The data page"
        )
        print(f"written {args.output} and {args.report}")


if __name__ == "__main__":
    main()
