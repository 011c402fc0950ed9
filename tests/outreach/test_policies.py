"""Chaque rôle face aux objets de la détection : ce qui est visible, dans quel périmètre."""

import datetime

import pytest

from parcours.core.exceptions import BusinessError
from parcours.outreach import policies, services
from tests.factories import UserFactory, make_person
from tests.outreach.factories import extract_row, write_extract

pytestmark = pytest.mark.django_db
ROLES = ["social_worker", "front_line", "secretary", "manager", "steering", "admin"]


@pytest.fixture
def world(org, other_org, tmp_path):
    objects = {}
    for name, organisation, dep in (
        ("here", org, "01"),
        ("there", org, "69"),
        ("foreign", other_org, "01"),
    ):
        worker = UserFactory(organisation=organisation, social_worker=True, departements=[dep])
        manager = UserFactory(organisation=organisation, manager=True, departements=[dep])
        person = make_person(org=organisation, actor=worker, departement=dep, last_name=name)
        referral = services.record_referral(
            actor=worker,
            person=person,
            emitter="CCAS",
            received_on=datetime.date(2026, 1, 2),
            reason="Isolement",
            programme="BIEN_VIEILLIR",
        )
        contact = services.record_front_line_contact(
            actor=worker,
            channel="TELEPHONE",
            reason="Question",
            answer="INFORMATION",
            departement_id=dep,
            person=person,
        )
        campaign = services.create_campaign(
            actor=manager,
            name=name,
            channel="COURRIER",
            proposal="APPEL",
            programme="BIEN_VIEILLIR",
            people=[person],
        )
        run = services.run_sick_leave_extract(
            actor=manager,
            organisation=organisation,
            path=write_extract(
                tmp_path / f"{name}.csv",
                [extract_row(1, commune="01053" if dep == "01" else "69123")],
            ),
            extraction_date=datetime.date(2026, 6, 1),
            dry_run=False,
        )
        objects[name] = {
            "referral": referral,
            "contact": contact,
            "campaign": campaign,
            "offer": campaign.offers.get(),
            "run": run,
        }
    return objects


def visible(world, queryset, kind):
    ids = set(queryset.values_list("pk", flat=True))
    return {name for name, objs in world.items() if objs[kind].pk in ids}


@pytest.mark.parametrize("role", ROLES)
def test_detection_objects_by_role(org, world, role):
    user = UserFactory(organisation=org, departements=["01"], **{role: True})
    sees_referrals = role in {"social_worker", "manager"}
    assert visible(world, policies.visible_referrals(user), "referral") == (
        {"here"} if sees_referrals else set()
    )
    assert visible(world, policies.visible_front_line_contacts(user), "contact") == (
        {"here"} if role in {"social_worker", "front_line", "secretary", "manager"} else set()
    )
    # Ciblages et campagnes : à l'échelle de l'organisme, pour les responsables seulement.
    assert visible(world, policies.visible_runs(user), "run") == (
        {"here", "there"} if role == "manager" else set()
    )
    assert visible(world, policies.visible_campaigns(user), "campaign") == (
        {"here", "there"} if role == "manager" else set()
    )
    # … mais les personnes (offres, personnes ciblées) dans ses départements seulement.
    assert visible(world, policies.visible_offers(user), "offer") == (
        {"here"} if sees_referrals else set()
    )
    for name in ("here", "there"):
        entries = policies.visible_entries(user, world[name]["run"])
        expected = 1 if (role == "manager" and name == "here") else 0
        assert entries.count() == expected
    assert policies.can_manage_targeting(user) is (role == "manager")
    assert policies.can_record_referral(user) is sees_referrals
    assert policies.sees_detection(user) is (
        role in {"social_worker", "front_line", "secretary", "manager"}
    )


def test_referral_update_rights(org, world):
    referral = world["here"]["referral"]
    colleague = UserFactory(organisation=org, social_worker=True, departements=["01"])
    manager = UserFactory(organisation=org, manager=True, departements=["01"])
    manager69 = UserFactory(organisation=org, manager=True, departements=["69"])
    assert policies.can_update_referral(colleague, referral)  # pas encore attribué
    other = UserFactory(organisation=org, social_worker=True, departements=["01"])
    with pytest.raises(BusinessError):
        services.assign_referral(actor=manager, referral=referral, social_worker=manager)
    services.assign_referral(actor=manager, referral=referral, social_worker=other)
    referral.refresh_from_db()
    assert not policies.can_update_referral(colleague, referral)
    assert policies.can_update_referral(manager, referral)
    assert policies.can_assign_referral(manager, referral)
    assert not policies.can_assign_referral(manager69, referral)
    assert not policies.can_update_referral(manager69, referral)
