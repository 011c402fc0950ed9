"""La base refuse une fin avant le début, même sans passer par un formulaire."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from parcours.aid.models import Regulation
from parcours.groups.models import Session
from parcours.outreach.models import Permanence
from parcours.partners.models import Convention, Partner
from tests.factories import UserFactory
from tests.groups.factories import make_action, make_session

pytestmark = pytest.mark.django_db

MAY_1, APRIL_30 = datetime.date(2026, 5, 1), datetime.date(2026, 4, 30)


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_group_session_end_time(org):
    user = UserFactory(organisation=org, departements=["01"], social_worker=True)
    session = make_session(action=make_action(org=org, actor=user), actor=user)
    for end, bad in ((datetime.time(13, 59), True), (datetime.time(14), True)):
        assert (
            refused(lambda e=end: Session.objects.filter(pk=session.pk).update(end_time=e)) is bad
        )
    assert not refused(
        lambda: Session.objects.filter(pk=session.pk).update(end_time=datetime.time(14, 1))
    )


def test_dated_ranges(org):
    common = {"organisation": org}
    assert refused(
        lambda: Regulation.objects.create(**common, label="R", starts_on=MAY_1, ends_on=APRIL_30)
    )
    assert not refused(
        lambda: Regulation.objects.create(**common, label="R", starts_on=MAY_1, ends_on=MAY_1)
    )
    partner = Partner.objects.create(organisation=org, kind="AUTRE", name="P")
    convention = {"partner": partner, "object": "O", "unit_price": 10}
    assert refused(lambda: Convention.objects.create(**convention, start=MAY_1, end=APRIL_30))
    assert not refused(lambda: Convention.objects.create(**convention, start=MAY_1))  # sans fin
    assert not refused(lambda: Convention.objects.create(**convention, start=MAY_1, end=MAY_1))


def test_permanence(org):
    user = UserFactory(organisation=org, departements=["01"], social_worker=True)
    plage = {"organisation": org, "staff": user, "weekday": 1}
    nine, half_past_eight = datetime.time(9), datetime.time(8, 30)
    assert refused(lambda: Permanence.objects.create(**plage, start=nine, end=half_past_eight))
    assert refused(lambda: Permanence.objects.create(**plage, start=nine, end=nine))
    assert refused(
        lambda: Permanence.objects.create(
            **plage, start=half_past_eight, end=nine, valid_from=MAY_1, valid_until=APRIL_30
        )
    )
    assert not refused(
        lambda: Permanence.objects.create(
            **plage, start=half_past_eight, end=nine, valid_from=MAY_1, valid_until=MAY_1
        )
    )
