"""``manage.py import_figures``: the same checks and report as the upload,
exit status 1 when anything is refused."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from measures.models import Figure
from tests.commands import manage
from tests.factories import UserFactory

from .csvfiles import make_csv, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def csv_file(tmp_path):
    def write(rows, name="figures.csv"):
        path = tmp_path / name
        path.write_bytes(make_csv(rows))
        return path

    return write


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_figures", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_a_good_file_as_drafts(csv_file):
    out, _ = run(csv_file([row(value="10"), row(end="2024-06-30", value="3")]))
    assert "2 new, 0 changed, 0 unchanged; 0 errors" in out
    assert Figure.objects.drafts().filter(measure__slug="homicides").count() == 2
    record = Figure.objects.first().history.get()
    assert record.history_change_reason == "Imported from figures.csv"


def test_dry_run_reports_and_writes_nothing(csv_file):
    out, _ = run(csv_file([row()]), "--dry-run")
    assert "1 new" in out and "Dry run" in out
    assert not Figure.objects.filter(measure__slug="homicides").exists()


def test_publish_publishes_and_records_the_user(csv_file):
    user = UserFactory(username="loader")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_figures", str(csv_file([row()])), "--publish", "--user", "loader", stderr=err
        )
    assert "error: file: Only a publisher can publish figures." in err.getvalue()
    user.groups.add(Group.objects.get(name="Publisher"))
    out, _ = run(csv_file([row()]), "--publish", "--user", "loader")
    assert "1 published" in out
    figure = Figure.objects.get(measure__slug="homicides")
    assert figure.is_published and figure.published_by == user
    assert figure.history.first().history_user == user


def test_a_bad_row_exits_with_status_1_reports_every_problem_and_writes_nothing(csv_file):
    path = csv_file([row(), row(measure="nope"), row(end="2024-13-01")])
    with pytest.raises(CommandError) as refused:
        run(path)
    assert refused.value.returncode == 1
    assert "2 errors" in str(refused.value) and "Nothing was written" in str(refused.value)
    assert not Figure.objects.filter(measure__slug="homicides").exists()


def test_the_problems_are_printed_with_line_and_column(csv_file):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_figures", str(csv_file([row(), row(measure="nope")])), stderr=err)
    assert "error: line 3, column measure: Unknown measure “nope”" in err.getvalue()


def test_exit_status_through_the_real_entry_point(tmp_path):
    # manage.py in a child process uses the configured database, not the test
    # one, so only the file-level check is run here: it needs no database.
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    completed = manage("import_figures", str(empty), "--dry-run")
    assert completed.returncode == 1
    assert "The file is empty." in completed.stderr


@pytest.mark.parametrize(
    "content, message",
    [(b"", "The file is empty."), (b"PK\x03\x04zip", "a spreadsheet file of a kind")],
)
def test_a_file_that_is_not_a_figures_csv_is_refused(tmp_path, content, message):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(path)


def test_a_missing_file_or_user_is_a_clear_error(tmp_path, csv_file):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "missing.csv")
    with pytest.raises(CommandError, match="There is no user “ghost”"):
        run(csv_file([row()]), "--user", "ghost")
