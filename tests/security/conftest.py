import pytest

from .world import build_world

# Filled by the matrix test, printed at the end of the run: how much the matrix really checked.
COVERAGE: list[str] = []


@pytest.fixture
def world(commune, other_commune, foreign_commune):
    return build_world(commune, other_commune, foreign_commune)


def pytest_terminal_summary(terminalreporter):
    for line in COVERAGE:
        terminalreporter.write_line(line)
