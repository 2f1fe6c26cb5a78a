"""A pytest plugin for ``tests/test_setup.py``: the transactional tests run
first, as they do for a worker that has finished its own tests and takes the
last of another's (``--dist worksteal``)."""

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # After pytest-django's own order (tryfirst), which puts them last; the
    # conftest's test of which those are, imported once Django is set up.
    from .conftest import transactional

    items.sort(key=lambda item: not transactional(item))
