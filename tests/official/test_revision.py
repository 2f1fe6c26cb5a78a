"""A second release revises counts of the first and adds a quarter: read both
and compare, as the import will."""

from official import readers


def as_dict(path):
    return {
        (r.force_name, r.financial_year, r.quarter, r.offence_code): r.count
        for r in readers.read(path)
    }


def test_the_second_release_revises_some_counts_and_adds_a_quarter(
    home_office, home_office_revision
):
    first = as_dict(home_office.path)
    second = as_dict(home_office_revision.path)
    revised = {k: (first[k], second[k]) for k in first if k in second and first[k] != second[k]}
    # The first release's N/a cells come back with numbers in the second.
    filled = {k for k, (old, _) in revised.items() if old is None}
    assert {k: v for k, v in revised.items() if k not in filled} == home_office_revision.revised
    assert len(home_office_revision.revised) == 12
    assert any(k[3] in ("1", "4.1", "4.2", "4.10") for k in home_office_revision.revised)
    added = {k: v for k, v in second.items() if k not in first}
    assert added == home_office_revision.added
    assert {(k[1], k[2]) for k in added} == {("2024/25", 4)}
    assert not set(first) - set(second)


def test_both_releases_pass_the_check(home_office_revision):
    report = readers.check(home_office_revision.path)
    assert report.ok
    assert report.per_sheet["2024_25"] > 0
