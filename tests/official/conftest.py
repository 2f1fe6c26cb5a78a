"""Sample files in the publishers' layouts, built once per test session."""

import pytest

from official import sample_files


@pytest.fixture(scope="session")
def home_office(tmp_path_factory):
    return sample_files.build_home_office(tmp_path_factory.mktemp("ho") / "prc-pfa.ods")


@pytest.fixture(scope="session")
def home_office_xlsx(tmp_path_factory):
    return sample_files.build_home_office(tmp_path_factory.mktemp("ho") / "prc-pfa.xlsx")


@pytest.fixture(scope="session")
def home_office_revision(home_office, tmp_path_factory):
    return sample_files.build_home_office_revision(
        home_office, tmp_path_factory.mktemp("ho2") / "prc-pfa-2.ods"
    )


@pytest.fixture(scope="session")
def ons(tmp_path_factory):
    return sample_files.build_ons(tmp_path_factory.mktemp("ons") / "pfatables.xlsx")
