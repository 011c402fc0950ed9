import datetime

import pytest

from parcours.core import clock
from tests.factories import UserFactory, make_person
from tests.partners.factories import make_partner


@pytest.fixture
def today():
    with clock.frozen(datetime.datetime(2026, 12, 3, 10, tzinfo=datetime.UTC)):
        yield datetime.date(2026, 12, 3)


@pytest.fixture
def worker(org):
    return UserFactory(organisation=org, social_worker=True, departements=["01"])


@pytest.fixture
def person(org, worker, today):
    return make_person(org=org, actor=worker)


@pytest.fixture
def partner(org, worker):
    return make_partner(org=org, actor=worker, name="Cap emploi de l'Ain")
