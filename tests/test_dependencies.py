"""What the project takes from its dependencies: the lock files that pin them,
and the one internal of a dependency that the code relies on."""

import fnmatch
import importlib.metadata
import importlib.util
import inspect
import re
import tomllib
from decimal import Decimal
from pathlib import Path

import django
import django_tables2 as tables
import pytest
from django.db.models import QuerySet
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from core.tables import StableOrderTable
from measures.models import Figure

from .commands import ROOT
from .factories import FigureFactory, MeasureFactory

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def locked(name: str) -> dict[str, tuple[str, Marker | None, list[str]]]:
    """A lock file's pins: name -> (version, marker, hashes)."""
    pins = {}
    current = None
    for line in (ROOT / name).read_text().splitlines():
        pin = PIN.match(line)
        if pin:
            marker = Marker(pin.group(3)) if pin.group(3) else None
            current = canonicalize_name(pin.group(1))
            pins[current] = (pin.group(2), marker, [])
        elif line.strip().startswith("--hash=sha256:"):
            pins[current][2].append(line.strip().split(":", 1)[1].rstrip(" \\"))
    return pins


RUN = ("requirements.lock", PYPROJECT["project"]["dependencies"])
DEV = ("requirements-dev.lock", RUN[1] + PYPROJECT["project"]["optional-dependencies"]["dev"])


@pytest.mark.parametrize(("lock", "requirements"), [RUN, DEV], ids=["run", "dev"])
def test_the_lock_pins_every_requirement_within_its_bounds_with_hashes(lock, requirements):
    """Fails after a change to pyproject.toml's dependencies until `make lock`."""
    pins = locked(lock)
    for text in [*requirements, *PYPROJECT["build-system"]["requires"]]:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in {lock}: run `make lock`"
        assert requirement.specifier.contains(pins[name][0], prereleases=True), (
            f"{lock} pins {name}=={pins[name][0]}, outside {requirement}: run `make lock`"
        )
    for name, (_, _, hashes) in pins.items():
        assert hashes, f"{name} has no hash in {lock}"


def test_the_installer_is_locked_too():
    """make installs the lock files with uv, which pip installs from its own
    lock: the version the Makefile names, with hashes."""
    makefile = (ROOT / "Makefile").read_text()
    version = re.search(r"^UV_VERSION = (\S+)$", makefile, re.MULTILINE).group(1)
    pins = locked("requirements-uv.lock")
    assert {name: pin[0] for name, pin in pins.items()} == {"uv": version}
    assert pins["uv"][2], "uv has no hash in requirements-uv.lock"


def test_both_locks_pin_the_same_versions():
    run, dev = locked("requirements.lock"), locked("requirements-dev.lock")
    assert {name: pin[0] for name, pin in run.items()} == {name: dev[name][0] for name in run}


def test_this_environment_was_installed_from_the_lock():
    """What the tests run on is what the lock names (make installs from it)."""
    for name, (version, marker, _) in locked("requirements-dev.lock").items():
        if marker is None or marker.evaluate():
            assert importlib.metadata.version(name) == version, (
                f"{name} {importlib.metadata.version(name)} is installed, the lock says "
                f"{version}: `make clean test` installs from the lock"
            )


def test_the_installed_packages_were_compiled_as_they_were_installed():
    """make installs with bytecode, as pip would: a module no test imports has
    its ``.pyc`` too (one imported could have had it written by the import).
    Without it every process compiles Django again where
    PYTHONDONTWRITEBYTECODE is set, and a server or a command takes twice as
    long to start."""
    django_folder = Path(django.__file__).parent
    sources = sorted(django_folder.rglob("*.py"))
    missing = [p for p in sources if not Path(importlib.util.cache_from_source(p)).exists()]
    assert len(sources) > 500
    assert not missing, f"{len(missing)} of Django's modules uncompiled, {missing[0]} first"


@pytest.mark.django_db
def test_the_django_tables2_internals_that_stable_order_table_overrides_keep_their_shape():
    """StableOrderTable (core/tables.py) extends the setter of
    ``Table.order_by`` and swaps the queryset in ``table.data.data``, neither of
    them documented: an upgrade of django-tables2 that changes either must fail
    here, not silently lose the tie-break that keeps a table's pages apart."""
    version = importlib.metadata.version("django-tables2")
    order_by = inspect.getattr_static(tables.Table, "order_by")
    assert isinstance(order_by, property), f"django-tables2 {version}: Table.order_by changed"
    assert order_by.fset is not None, f"django-tables2 {version}: Table.order_by has no setter"
    assert isinstance(inspect.getattr_static(StableOrderTable, "order_by"), property)

    class Table(StableOrderTable):
        value = tables.Column()

    measure = MeasureFactory()
    # Ties on the value, made in an order the primary key does not follow.
    figures = [FigureFactory(measure=measure, value=Decimal(v)) for v in ("2", "1", "2", "1")]
    for sort in ("value", "-value"):
        table = Table(Figure.objects.all(), order_by=sort)
        assert isinstance(table.data, tables.data.TableQuerysetData), version
        assert isinstance(table.data.data, QuerySet), f"django-tables2 {version}: data.data"
        assert table.data.data.query.order_by[-1] == "pk", version
        rows = [row.record.pk for row in table.rows]
        reverse = sort.startswith("-")
        expected = sorted(figures, key=lambda f: (-f.value if reverse else f.value, f.pk))
        assert rows == [figure.pk for figure in expected], f"django-tables2 {version}"


def test_every_package_of_the_site_is_installed_with_it():
    """``pip install -e .`` installs the packages pyproject.toml lists, and no
    other: one left out imports only from this folder, not from anywhere else."""
    patterns = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests"}
    missing = {p for p in packages if not any(fnmatch.fnmatch(p, pattern) for pattern in patterns)}
    assert not missing, f"add {sorted(missing)} to [tool.setuptools.packages.find] include"
