"""The two staff roles: what each can and cannot do, and that the migration
that makes them can run again without harm."""

import importlib

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES_MIGRATION = importlib.import_module("measures.migrations.0005_staff_roles")


def member(role):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.mark.parametrize(
    "permission, data_entry, publisher",
    [
        ("measures.add_figure", True, True),
        ("measures.change_figure", True, True),
        ("measures.view_figure", True, True),
        ("measures.delete_figure", False, False),
        ("measures.publish_figure", False, True),
        ("measures.export_figure", False, True),
        ("measures.view_measure", True, True),
        ("measures.change_measure", False, False),
        ("plan.change_localoutcome", True, True),
        ("plan.add_localoutcome", False, False),
        ("plan.delete_localoutcome", False, False),
        ("plan.add_contribution", True, True),
        ("plan.change_contribution", True, True),
        ("plan.delete_contribution", False, False),
        ("plan.change_plan", False, False),
    ],
)
def test_each_role_has_exactly_its_permissions(permission, data_entry, publisher):
    assert member("Data entry").has_perm(permission) is data_entry
    assert member("Publisher").has_perm(permission) is publisher
    assert UserFactory(is_staff=True).has_perm(permission) is False
    assert UserFactory(is_staff=True, is_superuser=True).has_perm(permission) is True


def test_the_roles_migration_can_run_again():
    before = {
        g.name: set(g.permissions.values_list("codename", flat=True))
        for g in Group.objects.filter(name__in=ROLES_MIGRATION.ROLES)
    }
    state = MigrationLoader(connection).project_state(("measures", "0005_staff_roles"))
    ROLES_MIGRATION.create_roles(state.apps, None)
    after = {
        g.name: set(g.permissions.values_list("codename", flat=True))
        for g in Group.objects.filter(name__in=ROLES_MIGRATION.ROLES)
    }
    assert before == after
    assert set(after) == {"Data entry", "Publisher"}
