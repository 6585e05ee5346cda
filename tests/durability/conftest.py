"""Fixtures for the durability tests: a scratch directory the processes share, and the
test database handed to them (see processes.py)."""

import pytest

from tests.durability.processes import SharedDatabase, process_env


@pytest.fixture
def shared_database(tmp_path):
    (tmp_path / "mail").mkdir()
    return SharedDatabase(tmp_path)


@pytest.fixture
def env(shared_database, tmp_path):
    return process_env(shared_database, tmp_path)
