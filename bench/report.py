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
    "status-page": "`GET /data/?status=improving`, uncached: the first page of the table",
}
# Each measurement's reference for the × COPY column.
REFERENCE = {"status-csv": "status-copy-raw", "status-page": "status-copy-raw"}


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
            reference = median_seconds(entry["runs"][REFERENCE.get(what, "copy-raw")])
            seconds = median_seconds(runs)
            rows = runs[0]["rows"]
            peak = max(r["peak_rss_kib"] for r in runs) / 1024
            times = ", ".join(f"{r['seconds']:.2f}" for r in runs)
            lines.append(
                f"| {int(size):,} | {LABELS[what]} | {times} | {seconds:.2f} | "
                f"{rows / seconds:,.0f} | {reference / seconds:.2f} | {peak:.0f} |"
            )
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
