import pytest

from .factories import UserFactory


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the data version a cached page is
    stored under rolls back with each test's data, so it would repeat."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def demo(db):
    """The demo plan and figures, loaded as ``manage.py load_demo`` does."""
    from plan.demo import load_demo

    return load_demo()


@pytest.fixture
def demo_transactional(transactional_db):
    """The catalogue and the demo, for transactional tests: each of those empties
    the tables after itself, the catalogue migration's rows included."""
    import importlib

    from django.apps import apps

    from plan.demo import load_demo

    importlib.import_module("measures.migrations.0003_national_catalogue").load(apps, None)
    return load_demo()
