"""The two staff roles: what each can and cannot do, and that the migration
that makes them can run again without harm."""

import importlib

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tests.factories import user_in_role

pytestmark = pytest.mark.django_db

ROLES_MIGRATION = importlib.import_module("measures.migrations.0005_staff_roles")


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
        ("measures.add_baselineoverride", False, True),
        ("measures.change_baselineoverride", False, True),
        ("measures.delete_baselineoverride", False, True),
        ("measures.view_baselineoverride", True, True),
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
    assert user_in_role("Data entry").has_perm(permission) is data_entry
    assert user_in_role("Publisher").has_perm(permission) is publisher
    assert user_in_role("staff").has_perm(permission) is False
    assert user_in_role("superuser").has_perm(permission) is True


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


@pytest.mark.parametrize("role", ["anonymous", "Data entry", "Publisher", "superuser"])
def test_staff_roles_edit_outcome_text_and_add_contributions_through_the_admin(
    client, login_as, role
):
    from django.urls import reverse

    from measures.models import Measure
    from plan.models import Contribution
    from tests.factories import LocalOutcomeFactory

    user = login_as(role)
    outcome = LocalOutcomeFactory(title="Old title")
    measure = Measure.objects.get(slug="homicides")
    client.post(
        reverse("admin:plan_localoutcome_change", args=[outcome.pk]),
        {
            "plan": outcome.plan_id,
            "title": "New title",
            "slug": outcome.slug,
            "summary": "Clearer words.",
            "description": "",
            "order": outcome.order,
            "contributions-TOTAL_FORMS": "1",
            "contributions-INITIAL_FORMS": "0",
            "contributions-0-measure": measure.pk,
            "contributions-0-strength": "direct",
            "contributions-0-explanation": "It helps directly.",
        },
    )
    outcome.refresh_from_db()
    allowed = role != "anonymous"
    assert (outcome.title == "New title") is allowed
    assert Contribution.objects.filter(outcome=outcome, measure=measure).exists() is allowed
    if allowed:
        record = outcome.history.first()
        assert record.history_user == user
        assert record.title == "New title"
