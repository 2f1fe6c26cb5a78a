"""The ``demo`` fixture's copy of the demo is the demo: the rows ``load_demo``
writes, and nothing else, whichever way the fixture got them."""

import datetime

import pytest
from django.db import connection, transaction

from plan.demo import load_demo

from .factories import user_in_role
from .snapshot import _recorded, load_once, read_all

pytestmark = pytest.mark.django_db


def loaded(loader) -> dict:
    """The tables once ``loader`` has run, in a savepoint rolled back after."""
    with transaction.atomic():
        loader()
        tables = read_all()
        transaction.set_rollback(True)
    return tables


def without_times(tables: dict) -> dict:
    """Rows with their datetimes left out: the copy's are moved to its own time."""
    return {
        name: {
            key: tuple(v for v in row if not isinstance(v, datetime.datetime))
            for key, row in rows.items()
        }
        for name, rows in tables.items()
    }


def test_the_copy_holds_what_load_demo_writes():
    loaded(lambda: load_once("demo", load_demo))  # the first load records, if none did
    assert "demo" in _recorded
    by_loader = loaded(load_demo)
    copied = loaded(lambda: load_once("demo", load_demo))
    assert {n: len(rows) for n, rows in copied.items()} == {
        n: len(rows) for n, rows in by_loader.items()
    }
    if connection.vendor == "sqlite":
        # SQLite gives the rows the same keys again; PostgreSQL's sequences move on.
        assert without_times(copied) == without_times(by_loader)


def test_the_copy_is_stamped_with_its_own_time():
    from core.cache import current_version

    loaded(lambda: load_once("demo", load_demo))
    with transaction.atomic():
        before = datetime.datetime.now(datetime.UTC)
        load_once("demo", load_demo)
        from measures.models import Figure

        published = Figure.objects.published().latest("published_at").published_at
        # Moved on from the first load's time to the copy's, less at most the
        # time the loader took.
        took = _recorded["demo"].finished - _recorded["demo"].started
        assert published >= before - took - datetime.timedelta(seconds=1)
        # Never later than now, however long the loader took: what a test
        # writes next must be the newest (a history's latest entry its own).
        newest = Figure.history.latest("history_date").history_date
        assert newest <= datetime.datetime.now(datetime.UTC)
        assert current_version()
        transaction.set_rollback(True)


def test_a_database_not_as_recorded_gets_the_loader_itself():
    from measures.models import Area

    loaded(lambda: load_once("demo", load_demo))
    # A row in a table the demo reads, which the recording did not start from.
    Area.objects.create(name="Somewhere", slug="somewhere", kind="police-force-area")
    assert load_once("demo", lambda: "the loader ran") == "the loader ran"


def test_a_user_signed_in_first_makes_no_difference():
    loaded(lambda: load_once("demo", load_demo))
    user_in_role("superuser")
    assert load_once("demo", lambda: "the loader ran") != "the loader ran"


def test_rows_made_after_the_copy_get_keys_of_their_own():
    from measures.models import Area

    loaded(lambda: load_once("demo", load_demo))
    load_once("demo", load_demo)
    made = Area.objects.create(name="Somewhere", slug="somewhere", kind="police-force-area")
    assert Area.objects.filter(pk=made.pk).get().slug == "somewhere"


def test_put_back_leaves_every_table_as_it_was_found():
    """What a module's fixture does after its last test: rows added, changed
    and deleted since are undone, so the next test finds the same database."""
    from measures.models import Area, Measure

    from .snapshot import put_back

    found = read_all()
    Measure.objects.order_by("pk").last().delete()  # one of the catalogue's
    load_demo()  # added rows, in many tables
    Area.objects.filter(slug="humberside").update(name="Changed")
    assert read_all() != found
    put_back(found)
    assert read_all() == found
