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
