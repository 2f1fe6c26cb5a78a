"""Redis for the tests: the shared server through a relay that a test can cut,
and a server of the test's own that is full.

The site gets the settings it makes of ``REDIS_URL`` itself (read in a child
process), so that the tests exercise what an operator configures. Every key a
test writes is under a prefix of its own, deleted by prefix afterwards: a test
never touches anyone else's keys on the shared server, and never flushes it.
"""

import copy
import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from ..commands import ROOT
from ..relay import Relay

REDIS_HOST = "127.0.0.1"
REDIS_PORT = 6379


def require_redis() -> None:
    """Skip without a Redis server on 127.0.0.1:6379; in CI, fail instead."""
    try:
        socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1).close()
    except OSError:
        message = f"needs Redis on {REDIS_HOST}:{REDIS_PORT}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@functools.cache
def _settings_from_redis_url() -> dict:
    """What the site's settings make of ``REDIS_URL`` (and its companions),
    read in a child process as an operator's server would read them: the
    cache, the session engine, and whatever else depends on it."""
    code = (
        "import json, policing.settings as s; "
        "print(json.dumps({name: getattr(s, name) for name in dir(s) if name.isupper() "
        f"and name in {sorted(REDIS_DEPENDENT)!r}}}))"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        REDIS_URL=PLACEHOLDER,
        REDIS_TIMEOUT="0.2",
        DEPENDENCY_RETRY_SECONDS=str(RETRY_SECONDS),
        DJANGO_DEBUG="1",
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


# The settings that may follow from REDIS_URL, now or in the site's past.
REDIS_DEPENDENT = {"CACHES", "SESSION_ENGINE", "DATA_VERSION_STORE"}
PLACEHOLDER = "redis://placeholder:1/0"
RETRY_SECONDS = 0.2


def use_redis(settings, location: str, **options) -> str:
    """Apply the site's settings for a Redis at ``location``, under a key
    prefix of the test's own; returns the prefix."""
    found = copy.deepcopy(_settings_from_redis_url())
    if "SESSION_ENGINE" not in found:
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"  # Django's default
    for name, value in found.items():
        setattr(settings, name, value)
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    caches = found["CACHES"]
    caches["default"] = {
        **caches["default"],
        "LOCATION": location,
        "KEY_PREFIX": prefix,
        "OPTIONS": {**caches["default"].get("OPTIONS", {}), **options},
    }
    settings.CACHES = caches
    return prefix


def delete_keys(prefix: str) -> None:
    """Delete the test's keys from the shared server, by prefix (never a flush)."""
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT)
    try:
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            client.unlink(key)
    finally:
        client.close()


@contextmanager
def relayed_redis(settings, **options):
    """The site's cache on the shared Redis, through a relay; yields the relay."""
    require_redis()
    with Relay(REDIS_PORT, REDIS_HOST) as relay:
        prefix = use_redis(settings, f"redis://127.0.0.1:{relay.port}/0", **options)
        try:
            yield relay
        finally:
            delete_keys(prefix)


@contextmanager
def full_redis(settings):
    """The site's cache on a Redis of its own that refuses every write, as a
    server at its memory limit with no eviction does ("OOM command not allowed")."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("needs redis-server")
    folder = Path(tempfile.mkdtemp(prefix="redis-"))  # short: a socket's path is limited
    path = folder / "redis.sock"
    process = subprocess.Popen(  # noqa: S603 - Redis's own server binary
        [
            server,
            "--port", "0",
            "--unixsocket", str(path),
            "--save", "",
            "--appendonly", "no",
            "--maxmemory", "1",
            "--maxmemory-policy", "noeviction",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            if path.exists():
                break
            time.sleep(0.02)
        use_redis(settings, f"unix://{path}")
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
