import pytest


@pytest.fixture(autouse=True)
def empty_cache():
    """These rules touch no cache: the project-wide fixture of this name, which
    empties it around every test, is replaced by one that does nothing."""
    return
