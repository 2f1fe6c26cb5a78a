"""Populations and most similar groups from CSV files: by the command and by
the admin's upload. A file with any bad row is refused with each row's line,
and nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from compare.models import Population, SimilarGroup
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def forces():
    return [
        AreaFactory(name="Humberside", slug="humberside", ons_code="E23000012"),
        AreaFactory(name="Lancashire", slug="lancashire", ons_code="E23000003"),
        AreaFactory(name="Kent", slug="kent", ons_code="E23000032"),
    ]


def write(tmp_path, text: str):
    path = tmp_path / "file.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_populations_by_slug_code_and_name(tmp_path, forces, capsys):
    path = write(
        tmp_path,
        "area,year,population\nhumberside,2023,940000\nE23000003,2023,1530000\nKent,2022,1870000\n",
    )
    call_command("import_populations", path, source="Illustrative")
    saved = {(p.area.slug, p.year): p.population for p in Population.objects.all()}
    assert saved == {
        ("humberside", 2023): 940000,
        ("lancashire", 2023): 1530000,
        ("kent", 2022): 1870000,
    }
    assert "3 added, 0 updated" in capsys.readouterr().out


def test_populations_again_updates_in_place(tmp_path, forces):
    call_command(
        "import_populations", write(tmp_path, "area,year,population\nkent,2023,1\n"), source="a"
    )
    call_command(
        "import_populations", write(tmp_path, "area,year,population\nkent,2023,2\n"), source="b"
    )
    assert list(Population.objects.values_list("population", "source")) == [(2, "b")]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("gotham,2023,100", "line 3, column area: “gotham” is not a known area"),
        ("kent,2023,lots", "line 3, column population: “lots” is not a whole number"),
        ("kent,2023,1 000", "line 3, column population: “1 000” is not a whole number"),
        ("kent,twenty,100", "line 3, column year: “twenty” is not a whole number"),
        ("kent,2023,0", "line 3, column population: 0 is not between 1"),
        ("kent,2023,200", "line 3, column area: Kent in 2023 is already on line 2"),
    ],
)
def test_a_bad_population_row_refuses_the_file(tmp_path, forces, capsys, line, message):
    path = write(tmp_path, f"area,year,population\nkent,2023,100\n{line}\nhumberside,2023,5\n")
    with pytest.raises(CommandError):
        call_command("import_populations", path, source="x")
    assert message in capsys.readouterr().err
    assert not Population.objects.exists()


def test_a_file_without_the_columns_is_refused(tmp_path, forces):
    with pytest.raises(CommandError, match="missing: population"):
        call_command("import_populations", write(tmp_path, "area,year\nkent,2023\n"), source="x")


def test_similar_groups_set_exactly_the_listed_members(tmp_path, forces, capsys):
    old = SimilarGroup.objects.create(force=forces[0], source="old")
    old.members.set([forces[2]])
    path = write(tmp_path, "force,member\nhumberside,lancashire\nkent,humberside\n")
    call_command("import_similar_groups", path, source="A list", source_url="https://example.org/")
    groups = {
        g.force.slug: (sorted(m.slug for m in g.members.all()), g.source, g.illustrative)
        for g in SimilarGroup.objects.all()
    }
    assert groups == {
        "humberside": (["lancashire"], "A list", True),
        "kent": (["humberside"], "A list", True),
    }
    assert "1 added, 1 updated" in capsys.readouterr().out


def test_official_flag(tmp_path, forces):
    path = write(tmp_path, "force,member\nkent,lancashire\n")
    call_command("import_similar_groups", path, source="The list", official=True)
    assert SimilarGroup.objects.get().illustrative is False


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("kent,gotham", "line 3, column member: “gotham” is not a known police force area"),
        ("kent,kent", "line 3, column member: Kent cannot be in its own group"),
        (
            "kent,humberside",
            "line 3, column member: Humberside in Kent's group is already on line 2",
        ),
        (
            "england-and-wales,kent",
            "line 3, column force: “england-and-wales” is not a known police",
        ),
    ],
)
def test_a_bad_group_row_refuses_the_file(tmp_path, forces, capsys, line, message):
    path = write(tmp_path, f"force,member\nkent,humberside\n{line}\nlancashire,kent\n")
    with pytest.raises(CommandError):
        call_command("import_similar_groups", path, source="x")
    assert message in capsys.readouterr().err
    assert not SimilarGroup.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("Publisher", 302), ("Data entry", 403)])
def test_upload_in_the_admin_by_role(client, login_as, forces, role, status):
    login_as(role)
    upload = SimpleUploadedFile("pop.csv", b"area,year,population\nkent,2023,1870000\n")
    response = client.post(
        reverse("admin:compare_population_upload"), {"file": upload, "source": "Illustrative"}
    )
    assert response.status_code == status
    assert Population.objects.count() == (1 if status == 302 else 0)


def test_a_refused_admin_upload_lists_each_line_and_writes_nothing(client, login_as, forces):
    login_as("Publisher")
    upload = SimpleUploadedFile(
        "msg.csv", b"force,member\nkent,humberside\nkent,humberside\nkent,nowhere\n"
    )
    response = client.post(
        reverse("admin:compare_similargroup_upload"),
        {"file": upload, "source": "x", "illustrative": "on"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "already on line 2" in text
    assert "“nowhere” is not a known police force area" in text
    assert not SimilarGroup.objects.exists()


def test_publisher_edits_a_group_in_the_admin(client, login_as, forces):
    login_as("Publisher")
    response = client.post(
        reverse("admin:compare_similargroup_add"),
        {
            "force": forces[0].pk,
            "members": [forces[0].pk, forces[1].pk],
            "source": "Typed in",
            "illustrative": "on",
        },
    )
    assert "cannot be in its own group" in response.content.decode()
    response = client.post(
        reverse("admin:compare_similargroup_add"),
        {
            "force": forces[0].pk,
            "members": [forces[1].pk],
            "source": "Typed in",
            "illustrative": "on",
        },
    )
    assert response.status_code == 302
    assert [m.slug for m in SimilarGroup.objects.get().members.all()] == ["lancashire"]
