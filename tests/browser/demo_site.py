"""The site as ``make run`` serves it, in a server of its own, for the browser
tests that only read pages.

Most browser tests look at pages and change nothing. Giving each of them the
live server's empty database, the demo copied in and the tables emptied again
afterwards costs seconds a test; this server is filled once per run instead,
with the commands a newcomer runs (``migrate``, ``load_demo``,
``load_compare_demo``), so those tests see exactly what the README's first
command shows. The first worker of a run builds the database; every worker
serves its own copy, from gunicorn on a port the system picks, with the test
settings (``site_settings``).

A test that writes rows or changes settings uses ``live_site`` instead: the
live server in the test's own process, on the test database.
"""

import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

from tests.commands import ROOT

COMMANDS = [["migrate", "--noinput"], ["load_demo"], ["load_compare_demo"]]
SETTINGS = "tests.browser.site_settings"
# What the test run's environment may set that the server must not take: its
# own database, cache and settings are the ones given here.
NOT_PASSED_ON = ("DJANGO_", "DATABASE_", "REDIS_", "GUNICORN_", "PYTEST_")


def environment(database: Path) -> dict[str, str]:
    kept = {name: value for name, value in os.environ.items() if not name.startswith(NOT_PASSED_ON)}
    return {
        **kept,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": f"sqlite:///{database}",
        "GUNICORN_CONTROL_SOCKET": "off",
    }


def build(database: Path) -> None:
    """The demo's database at ``database``, built under a lock by the first
    worker to ask; the others wait for it and then find it there."""
    with open(database.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if database.exists():
            return
        partial = database.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        for command in COMMANDS:
            done = subprocess.run(  # noqa: S603 - our own manage.py
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=environment(partial),
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                raise RuntimeError(f"manage.py {' '.join(command)} failed:\n{done.stderr}")
        partial.rename(database)


class DemoServer:
    """gunicorn serving a copy of the demo's database."""

    def __init__(self, built: Path, folder: Path):
        database = folder / "demo.sqlite3"
        shutil.copyfile(built, database)
        self.log: list[str] = []
        self.process = subprocess.Popen(  # noqa: S603 - gunicorn from our own virtualenv
            [
                *(sys.executable, "-m", "gunicorn", "policing.wsgi"),
                *("--bind", "127.0.0.1:0", "--workers", "1", "--threads", "4"),
            ],
            cwd=ROOT,
            env=environment(database),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        listening = threading.Event()
        self.url = None

        def read():
            for line in self.process.stderr:
                self.log.append(line)
                found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line)
                if found:
                    self.url = found.group(1)
                    listening.set()
            listening.set()  # it stopped: the test fails, showing the log

        threading.Thread(target=read, daemon=True).start()
        listening.wait(timeout=60)
        if self.url is None:
            self.stop()
            raise RuntimeError("The demo server did not start:\n" + "".join(self.log))

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
