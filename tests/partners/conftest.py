import datetime

import pytest

from parcours.core import clock
from tests.factories import UserFactory


@pytest.fixture
def today():
    """Aujourd'hui : 3 décembre 2026."""
    with clock.frozen(datetime.datetime(2026, 12, 3, 10, tzinfo=datetime.UTC)):
        yield datetime.date(2026, 12, 3)


@pytest.fixture
def manager(org):
    return UserFactory(organisation=org, manager=True, departements=["01", "69"])


@pytest.fixture
def foreign_manager(other_org):
    return UserFactory(organisation=other_org, manager=True, departements=["01"])
