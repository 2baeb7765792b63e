import pytest

from udfs import reference_case
from udfs.engine import evaluate
from udfs.profile import load_profile


@pytest.fixture(scope="session")
def profile():
    return load_profile("shaoyang-2022")


@pytest.fixture(scope="session")
def variant():
    return load_profile("hunan-nianchu")


@pytest.fixture(scope="session")
def reference(profile):
    return evaluate(reference_case.inputs(), reference_case.findings(), profile)
