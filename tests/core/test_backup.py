"""A backup written by backup_data and read back by loaddata gives back every
figure, revision, history row and mapping."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from measures.models import Figure, Measure, Target
from plan.models import Contribution, LocalOutcome, Plan

pytestmark = pytest.mark.django_db(transaction=True)

MODELS = [
    Measure,
    Figure,
    Figure.history.model,
    Target,
    Plan,
    LocalOutcome,
    Contribution,
    Contribution.history.model,
]


def snapshot():
    return {
        model.__name__: sorted(
            tuple(str(value) for value in row) for row in model.objects.values_list()
        )
        for model in MODELS
    }


def test_backup_and_restore_give_back_everything(demo_transactional, superuser, tmp_path):
    figure = Figure.objects.published().first()
    figure.previous_value, figure.value = figure.value, figure.value + Decimal("1")
    figure._history_user = superuser
    figure.save()
    before = snapshot()
    assert len(before["HistoricalFigure"]) > len(before["Figure"])

    backup = tmp_path / "backup.xml"
    call_command("backup_data", str(backup))
    call_command("flush", interactive=False, verbosity=0)
    assert not Figure.objects.exists()

    call_command("loaddata", str(backup), verbosity=0)
    assert snapshot() == before
    restored = Figure.objects.get(pk=figure.pk)
    assert restored.value == figure.value
    assert restored.history.first().history_user.username == superuser.username
