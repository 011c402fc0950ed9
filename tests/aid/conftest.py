import pytest

from parcours.core import clock
from tests.aid.factories import NOW, install_catalogue
from tests.factories import UserFactory, make_person


@pytest.fixture(autouse=True)
def frozen_clock():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def world(org, other_org):
    as01 = UserFactory(organisation=org, social_worker=True, departements=["01"])
    manager01 = UserFactory(organisation=org, manager=True, departements=["01"])
    as69 = UserFactory(organisation=org, social_worker=True, departements=["69"])
    foreign_as = UserFactory(organisation=other_org, social_worker=True, departements=["01"])
    install_catalogue(org, UserFactory(organisation=org, admin=True, departements=[]))
    install_catalogue(other_org, foreign_as)
    import datetime

    here = make_person(
        org=org, actor=as01, departement="01", last_name="Ici", birth_date=datetime.date(1948, 3, 2)
    )
    there = make_person(org=org, actor=as69, departement="69", last_name="Labas")
    foreign = make_person(org=other_org, actor=foreign_as, departement="01", last_name="Ailleurs")
    return {
        "org": org,
        "other_org": other_org,
        "as01": as01,
        "manager01": manager01,
        "as69": as69,
        "foreign_as": foreign_as,
        "here": here,
        "there": there,
        "foreign": foreign,
    }
