import datetime

import pytest

from parcours.core import clock
from tests.factories import UserFactory, make_person
from tests.groups.factories import make_action, make_session


@pytest.fixture
def frozen():
    """Aujourd'hui : 1er mars 2026."""
    with clock.frozen(datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)):
        yield datetime.date(2026, 3, 1)


@pytest.fixture
def as01(org):
    return UserFactory(organisation=org, social_worker=True, departements=["01"])


@pytest.fixture
def action(org, as01):
    return make_action(org=org, actor=as01, facilitators=[as01])


@pytest.fixture
def session(action, as01):
    return make_session(action=action, actor=as01, date=datetime.date(2026, 3, 10), capacity=2)


@pytest.fixture
def people(org, as01):
    return [
        make_person(org=org, actor=as01, last_name=name, first_names=first)
        for name, first in [
            ("Durand", "Alice"),
            ("Petit", "Bruno"),
            ("Moreau", "Chloé"),
            ("Roux", "Denis"),
        ]
    ]
