"""National frameworks: the first one made by the data migration, others
loaded from files in the documented format (measures/frameworks/FORMAT.md)."""

import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from measures.models import (
    DataSource,
    Framework,
    FrameworkSource,
    Measure,
    MeasureTranscript,
    PriorityArea,
    SharedMeasure,
    Unit,
)

FILES = Path(__file__).resolve().parents[2] / "measures" / "frameworks"
NCPM = "national-crime-and-policing-measures-2021"
NPG = "neighbourhood-policing-guarantee-2025"


def load(name: str, **kwargs) -> str:
    from io import StringIO

    out = StringIO()
    call_command("load_framework", str(FILES / f"{name}.toml"), stdout=out, **kwargs)
    return out.getvalue()


def counts() -> dict:
    models = (Framework, FrameworkSource, PriorityArea, Measure, DataSource, SharedMeasure)
    return {m.__name__: m.objects.count() for m in (*models, MeasureTranscript)}


@pytest.mark.django_db
class TestFirstFramework:
    def test_the_2021_measures_are_the_first_framework(self):
        framework = Framework.objects.get()
        assert framework.slug == NCPM
        assert framework.name == "National Crime and Policing Measures"
        assert framework.date_communicated == datetime.date(2021, 7, 1) and framework.month_only
        assert framework.date_superseded is None
        assert list(framework.priority_areas.values_list("name", flat=True)) == [
            "Reduce murder and other homicide",
            "Reduce serious violence",
            "Disrupt drugs supply and county lines",
            "Reduce neighbourhood crime",
            "Improve satisfaction among victims, with a particular focus on victims of "
            "domestic abuse",
            "Tackle cyber crime",
        ]
        assert Measure.objects.filter(priority_area__framework=framework).count() == 10
        assert framework.sources.count() == 4

    def test_loading_its_file_changes_nothing(self):
        before = counts()
        measures = list(Measure.objects.values().order_by("pk"))
        output = load(NCPM)
        assert "Unchanged" in output
        assert counts() == before
        assert list(Measure.objects.values().order_by("pk")) == measures


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_row_forwards_and_backwards():
    executor = MigrationExecutor(connection)
    before_frameworks = [("measures", "0010_frameworks")]
    executor.migrate([("measures", "0009_remove_target_plan")])
    old = executor.loader.project_state([("measures", "0009_remove_target_plan")]).apps
    area = old.get_model("measures", "PriorityArea").objects.create(
        name="A local priority", slug="a-local-priority", order=9
    )
    names = sorted(old.get_model("measures", "PriorityArea").objects.values_list("name", flat=True))
    measures = sorted(old.get_model("measures", "Measure").objects.values_list("slug", flat=True))

    executor = MigrationExecutor(connection)
    executor.migrate([("measures", "0012_priority_area_framework_required")])
    new = executor.loader.project_state([("measures", "0012_priority_area_framework_required")])
    areas = new.apps.get_model("measures", "PriorityArea").objects
    assert sorted(areas.values_list("name", flat=True)) == names
    assert set(areas.values_list("framework__slug", flat=True)) == {NCPM}
    assert areas.get(pk=area.pk).framework.slug == NCPM

    executor = MigrationExecutor(connection)
    executor.migrate(before_frameworks)
    back = executor.loader.project_state(before_frameworks).apps
    assert (
        sorted(back.get_model("measures", "PriorityArea").objects.values_list("name", flat=True))
        == names
    )
    assert not back.get_model("measures", "Framework").objects.exists()
    assert (
        sorted(back.get_model("measures", "Measure").objects.values_list("slug", flat=True))
        == measures
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
class TestNeighbourhoodPolicingGuarantee:
    def test_loads_its_five_pillars_beside_the_first(self):
        assert "Loaded Neighbourhood Policing Guarantee (2025)" in load(NPG)
        framework = Framework.objects.get(slug=NPG)
        assert Framework.objects.count() == 2
        assert framework.date_communicated == datetime.date(2025, 4, 10)
        assert list(framework.priority_areas.values_list("name", flat=True)) == [
            "Police back on the beat",
            "Community-led policing",
            "Clear performance standards and professional excellence",
            "Crackdown on anti-social behaviour",
            "Safer town centres",
        ]
        assert Measure.objects.filter(priority_area__framework=framework).count() == 11

    def test_what_the_paper_does_not_state_stays_not_stated(self):
        load(NPG)
        abstraction = Measure.objects.get(slug="npg-neighbourhood-abstraction")
        assert abstraction.data_source.name == "Not yet stated"
        assert abstraction.unit == Unit.NOT_STATED
        town = Measure.objects.get(slug="npg-town-centre-crime")
        assert town.data_source.name == "Police Recorded"
        assert [s.name for s in town.transcript.other_data_sources.all()] == [
            "Crime Survey for England and Wales (CSEW)"
        ]
        assert "robbery of business property" in town.transcript.includes
        lead = Measure.objects.get(slug="npg-asb-lead-officer").transcript
        assert lead.due == datetime.date(2025, 7, 31)
        # Borrowed data sources are the 2021 framework's rows, not copies.
        assert DataSource.objects.filter(name="Police Recorded").count() == 1

    def test_loading_it_again_changes_nothing(self):
        load(NPG)
        before = counts()
        assert "Unchanged" in load(NPG)
        assert counts() == before

    def test_a_changed_file_lists_what_changed(self, tmp_path):
        load(NPG)
        text = (FILES / f"{NPG}.toml").read_text()
        changed = tmp_path / "npg.toml"
        changed.write_text(text.replace('name = "Safer town centres"', 'name = "Safer towns"'))
        out = __import__("io").StringIO()
        call_command("load_framework", str(changed), stdout=out)
        assert "priority area safer-town-centres: name changed" in out.getvalue()
        assert PriorityArea.objects.get(slug="safer-town-centres").name == "Safer towns"


def write(tmp_path, text: str | bytes) -> str:
    path = tmp_path / "framework.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return str(path)


def npg_text() -> str:
    return (FILES / f"{NPG}.toml").read_text()


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


@pytest.mark.django_db
class TestBadFiles:
    def assert_refused(self, path, *expected):
        before = counts()
        with pytest.raises(CommandError) as error:
            call_command("load_framework", path)
        for message in expected:
            assert message in str(error.value)
        assert "nothing was loaded" in str(error.value)
        assert counts() == before
        return str(error.value)

    def test_a_bad_value_and_a_typo_name_their_lines(self, tmp_path):
        text = npg_text().replace('unit = "count"', 'unit = "percent"', 1)
        text = text.replace(
            'definition = "Whether every police force has a dedicated', 'defintion = "x', 1
        )
        unit_line = line_of(text, 'unit = "percent"')
        typo_line = line_of(text, "defintion")
        self.assert_refused(
            write(tmp_path, text),
            f'line {unit_line}: unit "percent" is not allowed',
            f'line {typo_line}: unknown key "defintion" (did you mean "definition"?)',
        )

    def test_broken_syntax_names_its_line(self, tmp_path):
        self.assert_refused(write(tmp_path, 'format = 1\n\n[framework\nname = "x"\n'), "line 3:")

    def test_not_utf8_names_its_line(self, tmp_path):
        self.assert_refused(
            write(tmp_path, b"format = 1\n# caf\xe9\n"), "line 2: this file is not UTF-8 text"
        )

    def test_a_bad_date_names_its_line(self, tmp_path):
        text = npg_text().replace(
            'date_communicated = "2025-04-10"', 'date_communicated = "2025-13"'
        )
        line = line_of(text, "2025-13")
        self.assert_refused(
            write(tmp_path, text), f'line {line}: date_communicated "2025-13" is not a date'
        )

    def test_a_measure_of_another_framework_is_refused_and_nothing_written(self, tmp_path):
        # The clash is found while writing: the priority areas already
        # written by then are rolled back.
        text = npg_text().replace('slug = "npg-asb-action-plans"', 'slug = "homicides"')
        line = line_of(text, 'slug = "homicides"')
        self.assert_refused(
            write(tmp_path, text),
            f'line {line}: the measure slug "homicides" is already used by '
            '"National Crime and Policing Measures"',
        )
        assert not Framework.objects.filter(slug=NPG).exists()

    def test_a_source_that_differs_from_the_stored_one_is_refused(self, tmp_path):
        text = npg_text().replace(
            f'slug = "police-recorded"\nname = "Police Recorded"\ndefined_in = "{NCPM}"',
            'slug = "police-recorded"\nname = "Police Recorded"\npublisher = "Someone else"\n'
            'update_frequency = "annually"\nis_survey = false',
        )
        line = line_of(text, 'publisher = "Someone else"')
        self.assert_refused(write(tmp_path, text), f'line {line}: data source "Police Recorded"')

    def test_an_unreadable_file_is_a_clear_error(self, tmp_path):
        with pytest.raises(CommandError, match="cannot read it"):
            call_command("load_framework", str(tmp_path / "missing.toml"))


@pytest.mark.django_db
def test_a_measure_shared_by_two_frameworks(tmp_path):
    text = npg_text().replace(
        'slug = "npg-town-centre-crime"',
        'slug = "homicides"\ndefined_in = "national-crime-and-policing-measures-2021"\n\n'
        "[[priority_area.measure]]\n"
        'slug = "npg-town-centre-crime"',
    )
    call_command("load_framework", write(tmp_path, text))
    shared = SharedMeasure.objects.get()
    assert shared.measure.slug == "homicides"
    assert shared.priority_area.slug == "safer-town-centres"
    assert shared.measure.priority_area.framework.slug == NCPM


@pytest.mark.django_db
class TestMappingByFramework:
    def test_an_outcome_maps_to_measures_of_both_frameworks(self, client, demo):
        from plan.models import Contribution, LocalOutcome

        load(NPG)
        outcome = LocalOutcome.objects.get(slug="trust-and-confidence")
        Contribution.objects.create(
            outcome=outcome,
            measure=Measure.objects.get(slug="npg-named-contactable-officer"),
            explanation="Visible patrols in urban, rural and coastal areas build trust.",
        )
        page = client.get(reverse("pages:mapping")).content.decode()
        assert "<h2>National Crime and Policing Measures</h2>" in page
        assert "<h2>Neighbourhood Policing Guarantee</h2>" in page
        assert "Visible patrols in urban, rural and coastal areas build trust." in page
        only = client.get(reverse("pages:mapping") + f"?framework={NPG}").content.decode()
        assert "<h2>National Crime and Policing Measures</h2>" not in only
        assert "Police back on the beat" in only
        assert "Reduce serious violence</a></th>" not in only

    def test_an_unknown_framework_is_a_404(self, client, demo):
        assert client.get(reverse("pages:mapping") + "?framework=nope").status_code == 404


@pytest.mark.django_db
def test_frameworks_in_the_admin(admin_client):
    framework = Framework.objects.get()
    page = admin_client.get(reverse("admin:measures_framework_change", args=[framework.pk]))
    assert page.status_code == 200
    assert "Reduce serious violence" in page.content.decode()
    listing = admin_client.get(reverse("admin:measures_framework_changelist"))
    assert "National Crime and Policing Measures" in listing.content.decode()
