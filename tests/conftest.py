import pytest
from hypothesis import settings

from .factories import user_in_role
from .snapshot import load_once

# Mutation testing runs the property tests once per mutant: fewer examples
# there (``--hypothesis-profile=mutation``), the usual hundred everywhere else.
# Registered here, not beside the property tests, because a mutant's run
# collects only the tests that reach it, and the profile must exist in every
# such run. The same examples every run (derandomize): whether a mutant is
# killed must not depend on which random examples a run happened to draw.
settings.register_profile("mutation", max_examples=25, deadline=None, derandomize=True)

# A test that asks for none of these runs no query on the test database.
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Marks ``any_database`` each test that touches no database: it gives the
    same result whichever database the run is on, so CI's second run, on
    PostgreSQL, leaves it out (``-m "not any_database"``). Marked here, before
    ``-m`` selects, so that a new test is marked without anyone remembering to."""
    for item in items:
        if not (uses_database(item) or item.get_closest_marker("postgres_only")):
            item.add_marker(pytest.mark.any_database)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A test marked ``libreoffice`` is skipped (or, in CI, failed) for want of
    LibreOffice before any of its fixtures runs: a module's fixtures build the
    test database and a download first, half a minute for nothing.

    Before any fixture, too, a test that expects the migrations' rows finds
    them again after a transactional test emptied every table (``MIGRATED``)."""
    if item.get_closest_marker("libreoffice"):
        from .opendata.libreoffice import require_soffice

        require_soffice()
    if transactional(item):
        MIGRATED.emptied = True
    elif MIGRATED.emptied and MIGRATED.rows is not None and uses_database(item):
        from .snapshot import put_back

        with MIGRATED.blocker.unblock():
            put_back(MIGRATED.rows)
        MIGRATED.emptied = False


def uses_database(item) -> bool:
    return bool(
        item.get_closest_marker("django_db")
        or DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def transactional(item) -> bool:
    """Whether pytest-django empties every table after ``item``, as it does
    after a test marked ``transaction=True`` or asking for a live server."""
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or {"transactional_db", "live_server"} & fixtures
    )


class MIGRATED:
    """The test database's rows as the migrations left them (the national
    catalogue, the forces, the frameworks), read once a worker has migrated it.

    pytest-django runs a worker's transactional tests after the others, and
    each empties every table after itself, the migrations' rows with the
    rest. But a worker that runs out of tests takes the last of another's
    (``--dist worksteal``): tests that expect those rows, after the tables
    were emptied. They are put back first (``pytest_runtest_setup``)."""

    rows = None
    blocker = None
    emptied = False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, its migrated rows read (``MIGRATED``)."""
    from .snapshot import read_all

    with django_db_blocker.unblock():
        MIGRATED.rows = read_all()
    MIGRATED.blocker = django_db_blocker


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
    return user_in_role("superuser")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def login_as(client, db):
    """Logs the test's ``client`` in as a user of a role (see ``user_in_role``)
    and returns the user; "anonymous" logs no one in and returns None, so that
    a test parametrized over roles needs no case of its own for it. Returning
    the user, not the client: the tests check what was saved in their name,
    and the client is the ``client`` fixture they already have."""

    def login_as(role: str):
        if role == "anonymous":
            return None
        user = user_in_role(role)
        client.force_login(user)
        return user

    return login_as


@pytest.fixture
def demo(db):
    """The demo plan and figures, loaded as ``manage.py load_demo`` does: by
    ``load_demo`` itself the first time in each test process, then copied
    back row for row (see ``snapshot``), which is a hundred times quicker."""
    from plan.demo import load_demo

    return load_once("demo", load_demo)


def _load_catalogue_and_demo():
    import importlib

    from django.apps import apps

    from plan.demo import load_demo

    # The first framework before the catalogue: its priority areas need one.
    first = importlib.import_module("measures.migrations.0011_first_framework")
    framework = first.create_framework(apps)
    catalogue = importlib.import_module("measures.migrations.0003_national_catalogue")
    for order, (name, slug) in enumerate(catalogue.PRIORITY_AREAS, start=1):
        apps.get_model("measures", "PriorityArea").objects.get_or_create(
            slug=slug, defaults={"name": name, "order": order, "framework": framework}
        )
    catalogue.load(apps, None)
    return load_demo()


def load_catalogue_and_demo():
    """The catalogue and the demo, written to a database that a transactional
    test emptied (the catalogue migration's rows with the rest). Copied back
    after the first time, as ``demo`` is. For a fixture that holds the
    database for longer than a test, as well as for ``demo_transactional``."""
    return load_once("demo_transactional", _load_catalogue_and_demo)


@pytest.fixture
def demo_transactional(transactional_db):
    """The catalogue and the demo, for transactional tests: each of those empties
    the tables after itself, the catalogue migration's rows included."""
    return load_catalogue_and_demo()


@pytest.fixture(autouse=True)
def _skip_postgres_only_on_other_databases(request):
    if request.node.get_closest_marker("postgres_only"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")


@pytest.fixture
def demo_editions(db):
    """The demo and its two published statement editions, as ``manage.py
    load_demo`` loads both: written once in each test process, copied back
    after that, as ``demo`` is (each edition's PDF takes a second or two to
    make). A test asks for this or for ``demo``, not both: one copied over
    the other is a database neither loader started from, so it would load
    afresh."""
    from plan.demo import PLAN, load_demo
    from plan.demo_frameworks import load_demo_editions
    from plan.models import Plan

    def load():
        loaded = load_demo()
        load_demo_editions(Plan.objects.get(slug=PLAN["slug"]))
        return loaded

    return load_once("demo_editions", load)
