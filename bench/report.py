"""The benchmarks' results as Markdown in docs/performance.md: the export
benchmark's tables (from bench/results.json), and ``write_section``, which
both benchmarks use to replace their own part of the page.

    python bench/report.py [bench/results.json]   # prints the export tables
"""

import json
import statistics
import sys
from pathlib import Path

LABELS = {
    "copy-raw": "`COPY` of the same columns, unformatted (reference)",
    "copy-export": "the export's own `COPY`, without Django",
    "http": "`GET /data/figures.csv`, end to end (test client)",
    "python": "Python path (`csv.writer` over `.iterator()`)",
    "status-csv": "`GET /data/figures.csv?status=improving` (a fifth of the rows)",
    "status-copy-raw": "`COPY` of the same improving rows, unformatted (its reference)",
    "status-page": "`GET /data/?status=improving`, uncached: the table's first page (its rows)",
}
# Each measurement's reference for the × COPY column; a page has none.
REFERENCE = {"status-csv": "status-copy-raw", "status-copy-raw": "status-copy-raw"}
NO_REFERENCE = {"status-page"}
# The targets: each download at least half its reference's
# rate, and the status-filtered page uncached within half a second.
DOWNLOADS = {"http": "the whole download", "status-csv": "the status-filtered download"}
RATE_TARGET = 0.5
PAGE_LIMIT_SECONDS = 0.5


def median_seconds(runs):
    return statistics.median(r["seconds"] for r in runs)


def report(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"Measured on {results['date']}: {m['nproc']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, "
        f"PostgreSQL {m['postgresql']}, Python {m['python']}, psycopg {m['psycopg']}.",
        "",
        "| rows | what | runs (s) | median (s) | rows/s | × COPY | peak RSS (MiB) |",
        "| ---: | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for size, entry in results["sizes"].items():
        for what, runs in entry["runs"].items():
            seconds = median_seconds(runs)
            rows = runs[0]["rows"]
            peak = max(r["peak_rss_kib"] for r in runs) / 1024
            times = ", ".join(f"{r['seconds']:.2f}" for r in runs)
            rate, ratio = "—", "—"
            if what not in NO_REFERENCE:
                reference = median_seconds(entry["runs"][REFERENCE.get(what, "copy-raw")])
                rate, ratio = f"{rows / seconds:,.0f}", f"{reference / seconds:.2f}"
            lines.append(
                f"| {int(size):,} | {LABELS[what]} | {times} | {seconds:.2f} | "
                f"{rate} | {ratio} | {peak:.0f} |"
            )
    lines += ["", *targets(results)]
    lines += [
        "",
        "| rows | Python allocations at their peak during `GET /data/figures.csv` (tracemalloc) "
        "| peak RSS of that process (MiB) | RSS before the request (MiB) |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for size, entry in results["sizes"].items():
        traced = entry["http_traced"]
        lines.append(
            f"| {int(size):,} | {traced['traced_peak_bytes'] / 1024:,.0f} KiB | "
            f"{traced['peak_rss_kib'] / 1024:.0f} | {traced['rss_before_kib'] / 1024:.0f} |"
        )
    return "\n".join(lines) + "\n"


def targets(results: dict) -> list[str]:
    """The targets at the largest size measured, each with its number and
    whether it was met."""
    size, entry = max(results["sizes"].items(), key=lambda item: int(item[0]))
    runs = entry["runs"]
    lines = []
    for what, name in DOWNLOADS.items():
        if what in runs:
            reference = median_seconds(runs[REFERENCE.get(what, "copy-raw")])
            ratio = reference / median_seconds(runs[what])
            met = "met" if ratio >= RATE_TARGET else "**not met**"
            lines.append(
                f"- At {int(size):,} figures, {name} runs at {ratio:.2f}× its `COPY` "
                f"reference (target ≥ {RATE_TARGET}: {met})."
            )
    if "status-page" in runs:
        seconds = median_seconds(runs["status-page"])
        met = "met" if seconds < PAGE_LIMIT_SECONDS else "**not met**"
        line = (
            f"- At {int(size):,} figures, `/data/?status=improving` answers uncached in "
            f"{seconds:.2f} s (limit {PAGE_LIMIT_SECONDS} s: {met})"
        )
        first = [
            r["first_request_seconds"] for r in runs["status-page"] if "first_request_seconds" in r
        ]
        if first:
            line += (
                f"; a fresh process's first request, another status's page, took "
                f"{statistics.median(first):.2f} s (importing, compiling templates)"
            )
        lines.append(line + ".")
    return lines


def write_section(path: Path, name: str, body: str, heading: str) -> None:
    """Put ``body`` between the markers ``<!-- {name}: start -->`` and
    ``<!-- {name}: end -->`` of ``path``; the first time, at the end under ``heading``."""
    start, end = f"<!-- {name}: start -->", f"<!-- {name}: end -->"
    text = path.read_text() if path.exists() else ""
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + f"\n\n{heading}\n\n" + block + "\n"
    path.write_text(text)


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("results.json"))
    print(report(json.loads(path.read_text())))
