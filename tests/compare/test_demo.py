"""The comparison demo: illustrative numbers for every force, said to be so,
and nothing added the second time."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from compare.demo import FIGURE_NOTE, ILLUSTRATIVE
from compare.models import Population, SimilarGroup
from measures.models import Figure
from tests.factories import AreaFactory


@pytest.mark.django_db
def test_the_demo_gives_every_force_illustrative_figures_once(demo, client, capsys):
    forces = [AreaFactory(name=f"Force {i}", slug=f"force-{i}") for i in range(10)]
    call_command("load_compare_demo")
    assert "all illustrative" in capsys.readouterr().out
    assert set(Population.objects.values_list("source", flat=True)) == {ILLUSTRATIVE}
    for force in forces:
        assert Figure.objects.filter(area=force, measure__slug="homicides").exists()
    assert set(Figure.objects.filter(area__in=forces).values_list("note", flat=True)) == {
        FIGURE_NOTE
    }
    group = SimilarGroup.objects.get(force__slug="humberside")
    assert group.illustrative and group.members.count() == 7
    counts = (Population.objects.count(), Figure.objects.count(), SimilarGroup.objects.count())
    call_command("load_compare_demo")
    assert counts == (
        Population.objects.count(),
        Figure.objects.count(),
        SimilarGroup.objects.count(),
    )
    html = client.get(reverse("pages:measure-compare", args=["homicides"])).content.decode()
    assert "This group is illustrative" in html
    assert "Humberside (this force)" not in html  # the label is the chart's, not the table's
    assert "This force" in html
