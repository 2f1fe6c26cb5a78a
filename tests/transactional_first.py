"""A pytest plugin for ``tests/test_setup.py``: the transactional tests run
first, as they do for a worker that has finished its own tests and takes the
last of another's (``--dist worksteal``)."""

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # After pytest-django's own order (tryfirst), which puts them last.
    emptying = {"transactional_db", "live_server"}
    items.sort(key=lambda item: not emptying & set(item.fixturenames))
