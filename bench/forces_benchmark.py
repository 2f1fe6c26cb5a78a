"""Benchmark of how forces compare at five million figures, on PostgreSQL
(part of ``make bench``).

Makes a database of its own (``policing_forcebench_<process id>``), migrates
it and loads the demo (``load_demo``, ``load_compare_demo``: populations, a
most similar group, every force's homicides), and times the pages below on
it; then adds the dataset of ``bench/force_data.py`` (every force and
England and Wales, 500 measures with the Home Office offence codes among
them, 15 years monthly and quarterly, four releases' revisions: 5,280,000
figures), timing how long that takes, and times the pages again. Each
measurement runs in a fresh process with the production settings that bear
on a page (DEBUG off, hashed static files) and the page cache off: one
request to warm up, ``--runs`` timed, one more to count its queries.

    python bench/forces_benchmark.py [--measures 500] [--years 15] [--runs 30]
    python bench/forces_benchmark.py --keep            # keep the database, then:
    python bench/forces_benchmark.py --reuse --report ""

Results go to bench/forces_results.json and their table to
docs/performance.md ("How forces compare at five million figures").
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pages_benchmark import PG_SERVER, machine, manage, production_env, psql, time_address
from report import write_section

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
KEPT = "policing_forcebench_kept"
LIMIT_MS = 50
MEASURE = "homicides"
PLAN_FORCE = "humberside"
OTHER_FORCE = "west-midlands"


def addresses() -> list[tuple[str, str]]:
    """(what, address): the measure's page, its comparison as a reader opens it
    and as they pick a period and a force, and two force pages; the home page
    as a yardstick."""
    from django.urls import reverse

    from compare.selectors import opening_period, periods_of
    from measures.models import Measure

    measure = Measure.objects.get(slug=MEASURE)
    opening = opening_period(measure, periods_of(measure))
    compare = reverse("pages:measure-compare", args=[MEASURE])
    return [
        ("the measure's own page", reverse("pages:measure-detail", args=[MEASURE])),
        ("measure comparison, opening period", compare),
        (
            "measure comparison, a period and a force",
            f"{compare}?period={opening.start}/{opening.end}&area={OTHER_FORCE}",
        ),
        ("force page, the plan's force", reverse("pages:area-detail", args=[PLAN_FORCE])),
        ("force page, another force", reverse("pages:area-detail", args=[OTHER_FORCE])),
        ("the home page, for comparison", reverse("pages:home")),
    ]


def child_measure(runs: int) -> dict:
    """In a fresh process on DATABASE_URL: time every address, the page cache off."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policing.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from measures.models import Figure, Measure
    from official.models import FigureChange

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PUBLIC_CACHE_SECONDS = 0
    client = Client()
    results = {
        "figures": Figure.objects.count(),
        "measures": Measure.objects.count(),
        "figure_changes": FigureChange.objects.count(),
        "addresses": {},
    }
    for what, address in addresses():
        results["addresses"][what], _ = time_address(client, address, runs)
    return results


def measure(env: dict, runs: int) -> dict:
    output = subprocess.run(
        [PYTHON, __file__, "--child", "--runs", str(runs)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def exists(database: str) -> bool:
    return bool(psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'"))  # noqa: S608


def generate(env: dict, args) -> dict:
    """The dataset added by bench/force_data.py in a process of its own; what
    it made, with the wall time of the whole process."""
    start = time.perf_counter()
    output = subprocess.run(
        [
            PYTHON,
            "bench/force_data.py",
            *("--measures", str(args.measures), "--years", str(args.years)),
            *("--releases", str(args.releases)),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    made = dict(item.split("=", 1) for item in output.strip().splitlines()[-1].split())
    return {**made, "wall_seconds": time.perf_counter() - start}


def markdown(results: dict) -> str:
    small, large = results["small"], results["large"]
    made = results.get("generated")
    lines = [
        f"Measured on {results['date']} on {results['machine']}, PostgreSQL "
        f"{results['postgresql']}; load average {results['load_before']} before the run and "
        f"{results['load_after']} after it. Server time through Django's test client with "
        f"production settings (DEBUG off), the page cache off, {results['runs']} requests per "
        "address after one to warm up, in a fresh process; milliseconds.",
        "",
        f"Small: the demo, {small['figures']:,} figures of {small['measures']} measures. "
        f"Large: {large['figures']:,} figures of {large['measures']} measures and "
        f"{large['figure_changes']:,} figures added or revised by releases, "
        + (
            ("generated by the run that made this database" if made.get("earlier") else "generated")
            + f" in {float(made['wall_seconds']):.0f} s (figures "
            f"{float(made['figures_seconds']):.0f} s with the indexes made again, releases "
            f"{float(made['releases_seconds']):.0f} s, `VACUUM ANALYZE` "
            f"{float(made['analyze_seconds']):.0f} s; limit 600 s)."
            if made
            else "a database kept from an earlier run."
        ),
        "",
        f"| what | address | queries (small / large) | slowest query, large | uncached p50 / p95, "
        f"small | uncached p50 / p95, large (limit {LIMIT_MS}) |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for what, big in large["addresses"].items():
        little = small["addresses"][what]
        lines.append(
            f"| {what} | `{big['address']}` | {little['queries']} / {big['queries']} | "
            f"{big['slowest_query_ms']:.1f} | {little['p50_ms']:.1f} / {little['p95_ms']:.1f} | "
            f"{big['p50_ms']:.1f} / {big['p95_ms']:.1f} |"
        )
    return "\n".join(lines)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--measures", type=int, default=500)
    parser.add_argument("--years", type=int, default=15)
    parser.add_argument("--releases", type=int, default=4)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--keep", action="store_true", help=f"Keep the database, as {KEPT}, for --reuse."
    )
    parser.add_argument(
        "--reuse", action="store_true", help="Measure the large size on the kept database."
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--output", default=str(ROOT / "bench" / "forces_results.json"))
    parser.add_argument("--report", default=str(ROOT / "docs" / "performance.md"))
    return parser.parse_args()


def reuse(env: dict, production: dict, args, results: dict) -> None:
    """The kept database, migrated; the small size and the generation from the
    run that made it."""
    manage(env, "migrate", "--verbosity", "0")
    manage(production, "collectstatic", "--noinput", "--verbosity", "0")
    output = Path(args.output)
    previous = json.loads(output.read_text()) if output.exists() else {}
    results["small"] = previous.get("small") or {}
    if previous.get("generated"):
        results["generated"] = {**previous["generated"], "earlier": True}


def make_and_measure_small(env: dict, production: dict, database: str, args, results: dict):
    """A new database with the demo, measured, then filled to full size."""
    psql(f"DROP DATABASE IF EXISTS {database}")
    psql(f"CREATE DATABASE {database}")
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "load_demo")
    manage(env, "load_compare_demo")
    psql("VACUUM ANALYZE", database=database)
    manage(production, "collectstatic", "--noinput", "--verbosity", "0")
    results["small"] = measure(production, args.runs)
    results["generated"] = generate(env, args)


def report_results(results: dict, args) -> None:
    Path(args.output).write_text(json.dumps(results, indent=1) + "\n")
    if "generated" in results:
        print(f"generated in {results['generated']['wall_seconds']:.0f} s")
    for what, entry in results["large"]["addresses"].items():
        small = results["small"].get("addresses", {}).get(what, {})
        print(
            f"{what:42} queries {small.get('queries', '?')} / {entry['queries']}  "
            f"p50 {entry['p50_ms']:7.1f} ms  p95 {entry['p95_ms']:7.1f} ms"
        )
    if args.report and results["small"]:
        write_section(
            Path(args.report),
            "forces benchmark",
            markdown(results),
            "## How forces compare at five million figures",
        )
        print(f"written {args.output} and {args.report}")


def main():
    args = arguments()
    if args.child:
        print(json.dumps(child_measure(args.runs)))
        return

    database = KEPT if (args.keep or args.reuse) else f"policing_forcebench_{os.getpid()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DATABASE_URL"] = PG_SERVER + database
    static_root = Path(tempfile.mkdtemp(prefix="forces-bench-static-"))
    production = production_env(env, static_root)
    results = {
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "runs": args.runs,
        "load_before": ", ".join(f"{n:.1f}" for n in os.getloadavg()),
    }
    try:
        if args.reuse and exists(database):
            reuse(env, production, args, results)
        else:
            make_and_measure_small(env, production, database, args, results)
        results["postgresql"] = psql("SHOW server_version", database=database)
        results["large"] = measure(production, args.runs)
    finally:
        if not (args.keep or args.reuse):
            psql(f"DROP DATABASE IF EXISTS {database}", check=False)
        subprocess.run(["rm", "-rf", str(static_root)], check=False)
    results["load_after"] = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    report_results(results, args)


if __name__ == "__main__":
    main()
