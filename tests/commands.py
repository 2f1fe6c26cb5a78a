"""Running ``manage.py`` in a child process, as an operator would: settings
come from the environment given, not from the test run's."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """``manage.py *args`` with the DJANGO_ variables of ``env`` only; the
    child uses the configured database, not the test one."""
    return python("manage.py", *args, **env)


def python(script: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    """One of the project's scripts (``manage.py``, ``bench/...``), run as an
    operator would, with the DJANGO_ variables of ``env`` only."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter and scripts
        [sys.executable, script, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
