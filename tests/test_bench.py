"""``make bench`` runs end to end: both benchmarks, at a tiny size, write their
results and their part of docs/performance.md (here, a copy of it)."""

import json
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from .commands import python

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "performance.md"
    shutil.copy(ROOT / "docs" / "performance.md", path)
    return path


@pytest.mark.postgres_only
def test_the_export_benchmark_runs_and_writes_its_tables(tmp_path, report, worker_id, settings):
    server = urlsplit(os.environ["DATABASE_URL"])
    name = f"policing_bench_smoke_{settings.TEST_RUN_ID}_{worker_id}"
    url = urlunsplit(server._replace(path=f"/{name}"))
    output = tmp_path / "results.json"
    result = python(
        "bench/export_benchmark.py",
        *("--url", url, "--small", "1000", "--rows", "2000", "--runs", "1"),
        *("--output", str(output), "--report", str(report)),
    )
    assert result.returncode == 0, result.stderr
    results = json.loads(output.read_text())
    for size in ("1000", "2000"):
        rows = {what: r[0]["rows"] for what, r in results["sizes"][size]["runs"].items()}
        # Whole areas are generated, so a size is rounded up to one: every
        # way of reading the whole table counts the same rows, as do both
        # ways of reading the status-filtered ones.
        whole = {rows[what] for what in ("copy-raw", "copy-export", "http", "python")}
        assert len(whole) == 1
        assert int(size) <= whole.pop() < 2 * int(size)
        assert 0 < rows["status-copy-raw"] == rows["status-csv"] < int(size)
    text = report.read_text()
    assert text.count("<!-- export benchmark: start -->") == 1
    assert "| 2,000 | `GET /data/figures.csv`, end to end (test client) |" in text


def test_the_pages_benchmark_runs_and_writes_its_tables(tmp_path, report):
    from django.db import connection

    if connection.vendor != "sqlite":
        # It makes SQLite files of its own whatever the suite runs on: the
        # suite's run on SQLite has done the same already.
        pytest.skip("the same on every database: runs with the suite on SQLite")
    output = tmp_path / "pages.json"
    result = python(
        "bench/pages_benchmark.py",
        *("--figures", "1200", "--runs", "1", "--databases", "sqlite"),
        *("--output", str(output), "--report", str(report)),
    )
    assert result.returncode == 0, result.stderr
    sqlite = json.loads(output.read_text())["databases"]["sqlite"]
    for name, page in sqlite["demo"]["pages"].items():
        assert page["uncached"]["queries"] == sqlite["large"]["pages"][name]["uncached"]["queries"]
    assert sqlite["large"]["figures"] > sqlite["demo"]["figures"] + 1000
    text = report.read_text()
    assert text.count("<!-- pages benchmark: start -->") == 1
    assert "### SQLite" in text.split("<!-- pages benchmark: start -->")[1]


@pytest.mark.postgres_only
def test_the_official_benchmark_runs_and_writes_its_table(tmp_path, report, worker_id, settings):
    server = urlsplit(os.environ["DATABASE_URL"])
    name = f"policing_official_smoke_{settings.TEST_RUN_ID}_{worker_id}"
    url = urlunsplit(server._replace(path=f"/{name}"))
    output = tmp_path / "official.json"
    result = python(
        "bench/official_benchmark.py",
        *("--url", url, "--years", "2", "--offences", "6"),
        *("--output", str(output), "--report", str(report)),
    )
    assert result.returncode == 0, result.stderr
    results = json.loads(output.read_text())
    assert results["rows"] > 2 * 4 * 43 * 6
    assert "2254 new" not in results["import"]["last_line"]  # a small file, not the full one
    assert "new" in results["import"]["last_line"]
    assert "already imported" in results["again"]["last_line"]
    text = report.read_text()
    assert "<!-- official benchmark: start -->" in text and "preview and import" in text
