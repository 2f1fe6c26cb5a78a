"""The set-up the README describes, tried as a newcomer would."""

import os
import subprocess
import sys

from .commands import ROOT

BROWSER_TEST = "tests/browser/test_csp.py::test_no_public_page_breaks_the_content_security_policy"
LIBREOFFICE_TEST = "tests/opendata/test_csv_in_libreoffice.py::test_only_published_figures"


def pytest_run(*args: str, **env: str) -> subprocess.CompletedProcess:
    """pytest in a child process of its own, not a worker of this run."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST_", "CI", "CHROMIUM", "SOFFICE"))
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_chromium_the_browser_tests_are_skipped_saying_how_to_get_it():
    result = pytest_run("-rs", BROWSER_TEST, CHROMIUM="/nowhere/chromium")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "no Chromium at /nowhere/chromium: `make browser-deps` installs" in result.stdout


def test_in_ci_a_missing_chromium_fails_the_browser_tests():
    result = pytest_run(BROWSER_TEST, CHROMIUM="/nowhere/chromium", CI="true")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "CI runs every browser test, but there is no Chromium at /nowhere/chromium" in (
        result.stdout
    )


def test_without_libreoffice_its_tests_are_skipped_saying_how_to_get_it():
    result = pytest_run("-rs", LIBREOFFICE_TEST, SOFFICE="/nowhere/soffice")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "no LibreOffice (/nowhere/soffice): `make spreadsheet-deps` installs" in result.stdout


def test_in_ci_a_missing_libreoffice_fails_its_tests():
    result = pytest_run(LIBREOFFICE_TEST, SOFFICE="/nowhere/soffice", CI="true")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "CI runs every LibreOffice test, but there is no LibreOffice" in result.stdout


EMPTIES_THE_TABLES = (
    "tests/core/test_cache.py::test_the_version_is_bumped_in_the_same_transaction_as_the_change"
)
EXPECTS_THE_MIGRATIONS_ROWS = (
    "tests/test_admin.py::test_adding_a_figure_stamps_the_user_and_keeps_it_draft"
)


def test_a_test_after_a_transactional_one_finds_the_migrations_rows():
    """A transactional test empties every table after itself; a test that a
    worker takes from another's queue after one (``tests/transactional_first.py``
    puts it there) still finds the national catalogue the migrations wrote."""
    result = pytest_run(
        *("-p", "tests.transactional_first", "-n", "0", "-rA"),
        EXPECTS_THE_MIGRATIONS_ROWS,
        EMPTIES_THE_TABLES,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ran = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("PASSED ")]
    assert ran == [EMPTIES_THE_TABLES, EXPECTS_THE_MIGRATIONS_ROWS]
