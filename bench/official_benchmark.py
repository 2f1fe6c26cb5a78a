"""The official import at full size, on PostgreSQL: a file in the Home Office
layout with every force, 175 offence codes and every quarter of 13 financial
years (about 400,000 rows, official.sample_files.generate_full_home_office),
previewed and imported, then imported again (no change).

    python bench/official_benchmark.py [--url postgres://…/policing_official_bench]
        [--years 13] [--offences 175] [--output bench/official_results.json]
        [--report docs/performance.md]

Creates the database (dropped afterwards), migrates it (the reference areas
and the shipped recipes), and runs ``manage.py import_official FILE
--publish`` twice, each in a process of its own so that its time and peak
memory (``ru_maxrss``) are its own. Fails when a limit is not met: preview and
import under 20 s, the second run under 10 s, peak memory under 300 MB.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.export_benchmark import _admin, machine  # noqa: E402
from bench.report import write_section  # noqa: E402

LIMITS = {"import": 20.0, "again": 10.0, "peak_mib": 300.0}
FILE_NAME = "prc-pfa-mar2013-onwards-tables-230426.ods"


def _run(url: str, *args: str) -> dict:
    """One ``manage.py`` run in its own process: wall time, its own peak RSS
    (``os.wait4`` gives the child's usage alone), its last line of output."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-any-server",
        "DJANGO_ALLOWED_HOSTS": "localhost",
    }
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=err
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output, errors = out.read(), err.read()
    if child.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{output}\n{errors}")
    lines = output.strip().splitlines() or [""]
    return {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_kib": usage.ru_maxrss,
        "last_line": lines[-1],
    }


def report(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"Measured on {results['date']}: {m['nproc']} cores ({m['cpu']}), {m['ram_gib']} GiB "
        f"RAM, PostgreSQL, Python {m['python']}. The machine was shared with other work while "
        f"it ran (load average {results.get('load', '?')} on {m['nproc']} cores), so wall "
        "times are higher than on an idle one; CPU time is the process's own (user and "
        "system), the Django start-up included (PostgreSQL's own work is not in it).",
        "",
        f"A generated file in the Home Office layout: {results['rows']:,} rows, "
        f"{results['file_mib']:.1f} MiB.",
        "",
        "| run | what it did | time (s) | CPU time (s) | limit (s) | peak RSS (MiB) |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for key, label, limit in (
        ("import", "preview and import, `--publish`", LIMITS["import"]),
        ("again", "the same file again: no change", LIMITS["again"]),
    ):
        run = results[key]
        lines.append(
            f"| {label} | {run['last_line'][:90]} | {run['seconds']:.1f} | "
            f"{run.get('cpu_seconds', 0):.1f} | {limit:.0f} | "
            f"{run['peak_kib'] / 1024:.0f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--url",
        default=os.environ.get(
            "BENCH_OFFICIAL_DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/policing_official_bench",
        ),
    )
    parser.add_argument("--years", type=int, default=13)
    parser.add_argument("--offences", type=int, default=175)
    parser.add_argument("--output", default=str(ROOT / "bench" / "official_results.json"))
    parser.add_argument("--report", default=str(ROOT / "docs" / "performance.md"))
    parser.add_argument("--no-limits", action="store_true", help="Report, but fail on nothing.")
    args = parser.parse_args()

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policing.settings")
    django.setup()
    from official.sample_files import generate_full_home_office

    name = args.url.rsplit("/", 1)[1]
    _admin(args.url, f'DROP DATABASE IF EXISTS "{name}"')
    _admin(args.url, f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / FILE_NAME
            sample = generate_full_home_office(
                path, first_year=2025 - args.years, last_year=2024, offences=args.offences
            )
            _run(args.url, "migrate", "--verbosity", "0")
            first = _run(args.url, "import_official", str(path), "--publish")
            again = _run(args.url, "import_official", str(path), "--publish")
            results = {
                "date": datetime.date.today().isoformat(),
                "machine": machine(),
                "rows": len(sample.counts),
                "file_mib": path.stat().st_size / 1024 / 1024,
                "load": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
                "import": first,
                "again": again,
            }
    finally:
        _admin(args.url, f'DROP DATABASE IF EXISTS "{name}"')
    Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
    write_section(
        Path(args.report), "official benchmark", report(results), "## The official import"
    )
    print(report(results))
    peak = max(first["peak_kib"], again["peak_kib"]) / 1024
    failed = [
        f"{what} took {run['seconds']:.1f} s (limit {LIMITS[what]:.0f} s)"
        for what, run in (("import", first), ("again", again))
        if run["seconds"] > LIMITS[what]
    ] + ([f"peak memory {peak:.0f} MiB (limit 300)"] if peak > LIMITS["peak_mib"] else [])
    if failed and not args.no_limits:
        raise SystemExit("; ".join(failed))


if __name__ == "__main__":
    main()
