"""Settings for the test suite: the site's own settings, with what makes a
run fast and lets several runs share one database server.

A run's test databases are named after the run (pytest-xdist gives every
worker of one run the same id; pytest-django then adds the worker's suffix),
so that two runs against the same PostgreSQL server, or two checkouts side by
side, never create, fill or drop each other's databases.
"""

import os
import uuid

from .settings import *  # noqa: F403
from .settings import BASE_DIR, DATABASES

# Hashing a password the production way takes about 0.3 s; a test signs many in.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

TEST_RUN_ID = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex
TEST_RUN_ID = TEST_RUN_ID[:10]

_default = DATABASES["default"]
if _default["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the browser tests' live server answers several
    # requests at once, each thread on its own connection, which an in-memory
    # database shared between threads does not survive.
    _default["TEST"] = {"NAME": str(BASE_DIR / f"test-db-{TEST_RUN_ID}.sqlite3")}
    # A test database is thrown away after the run: no commit need wait for
    # the disk (SQLite's fsync on each commit made migrating a new test
    # database take twice as long on a busy machine).
    _default.setdefault("OPTIONS", {})["init_command"] = "PRAGMA synchronous=OFF;"
else:
    _default["TEST"] = {"NAME": f"test_{_default['NAME']}_{TEST_RUN_ID}"[:50]}
    # The same for PostgreSQL, for this connection's own commits only: the
    # server, which other databases share, keeps its durability.
    _default.setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
