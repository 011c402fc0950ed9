"""Chaque rôle face aux objets de la détection : ce qui est visible, dans quel périmètre."""

import datetime

import pytest
from django.http import Http404

from parcours.core.exceptions import BusinessError
from parcours.outreach import policies, services
from tests.factories import UserFactory, make_person
from tests.outreach.factories import extract_row, nir_for, write_extract

pytestmark = pytest.mark.django_db
ROLES = ["social_worker", "front_line", "secretary", "manager", "steering", "admin"]


@pytest.fixture
def world(org, other_org, tmp_path):
    objects = {}
    for i, (name, organisation, dep) in enumerate(
        (("here", org, "01"), ("there", org, "69"), ("foreign", other_org, "01")), start=1
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
                [extract_row(i, commune="01053" if dep == "01" else "69123")],
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


@pytest.fixture
def desk_world(org, other_org):
    """Une AS de l'Ain avec un rendez-vous et un signalement non attribué de son département."""
    worker = UserFactory(organisation=org, social_worker=True, departements=["01"])
    person = make_person(org=org, actor=worker, departement="01", last_name="Agenda")
    referral = services.record_referral(
        actor=worker,
        person=person,
        emitter="CCAS",
        received_on=datetime.date(2026, 1, 2),
        reason="Isolement",
        programme="BIEN_VIEILLIR",
    )
    appointment = services.book_appointment(
        actor=worker,
        person=person,
        staff=worker,
        starts_at=datetime.datetime(2099, 3, 10, 9, 0, tzinfo=datetime.UTC),
        mode="RECEPTION_RDV",
    )
    permanence = services.add_permanence(
        actor=worker,
        staff=worker,
        weekday=1,
        start=datetime.time(9, 0),
        end=datetime.time(10, 30),
        mode="RECEPTION_RDV",
    )
    foreign_as = UserFactory(organisation=other_org, social_worker=True, departements=["01"])
    foreign = services.add_permanence(
        actor=foreign_as,
        staff=foreign_as,
        weekday=1,
        start=datetime.time(9, 0),
        end=datetime.time(10, 30),
        mode="RECEPTION_RDV",
    )
    return {
        "worker": worker,
        "referral": referral,
        "appointment": appointment,
        "permanence": permanence,
        "foreign_permanence": foreign,
    }


SEES_PEOPLE = {"social_worker", "front_line", "secretary", "manager"}


@pytest.mark.parametrize("role", ROLES)
def test_referral_predicates_by_role(org, desk_world, role):
    user = UserFactory(organisation=org, departements=["01"], **{role: True})
    referral = desk_world["referral"]
    # La file « à attribuer » et la liste de tous les signalements : un responsable.
    assert policies.can_dispatch_referrals(user) is (role == "manager")
    assert policies.can_dispatch_referrals(user, referral) is (role == "manager")
    # Prendre soi-même en charge : une AS qui peut faire avancer le signalement.
    assert policies.can_take_referral(user) is (role == "social_worker")
    assert policies.can_take_referral(user, referral) is (role == "social_worker")


def test_take_referral_needs_its_departement(org, desk_world):
    as69 = UserFactory(organisation=org, social_worker=True, departements=["69"])
    assert policies.can_take_referral(as69) is True
    assert policies.can_take_referral(as69, desk_world["referral"]) is False


@pytest.mark.parametrize("role", ROLES)
def test_agenda_predicates_by_role(org, desk_world, role):
    user = UserFactory(organisation=org, departements=["01"], **{role: True})
    worker = desk_world["worker"]
    # L'agenda s'ouvre sur le sien : une AS.
    assert policies.can_hold_appointments(user) is (role == "social_worker")
    # Régler les plages de toute AS : un responsable.
    assert policies.can_manage_team_agendas(user) is (role == "manager")
    assert policies.can_edit_permanences(user, worker) is (role == "manager")
    assert policies.can_edit_permanences(user, user) is (role in SEES_PEOPLE)
    assert policies.can_edit_permanences(user) is False
    # « A eu lieu → entretien » : voir les accompagnements et pouvoir mettre à jour le RDV.
    assert policies.can_record_appointment_contact(user) is (role in {"social_worker", "manager"})
    assert policies.can_record_appointment_contact(user, desk_world["appointment"]) is (
        role == "manager"
    )
    # Les plages : accueil, AS, responsables des départements ; jamais d'un autre organisme.
    pk = desk_world["permanence"].pk
    if role in SEES_PEOPLE:
        assert policies.get_permanence_or_404(user, pk).staff == worker
    else:
        with pytest.raises(Http404):
            policies.get_permanence_or_404(user, pk)
    with pytest.raises(Http404):
        policies.get_permanence_or_404(user, desk_world["foreign_permanence"].pk)


def test_appointment_contact_for_the_staff_member(desk_world):
    worker = desk_world["worker"]
    assert policies.can_record_appointment_contact(worker, desk_world["appointment"]) is True
    assert policies.can_hold_appointments(worker) is True
    assert policies.can_edit_permanences(worker, worker) is True


def test_targeted_person_is_scoped_by_her_record_not_by_the_extract(org, tmp_path):
    """Une personne déjà connue dans le Rhône, que l'extrait situe dans l'Ain : le responsable
    de l'Ain ne la voit pas (sa fiche relève du Rhône), celui du Rhône la voit."""
    worker69 = UserFactory(organisation=org, social_worker=True, departements=["69"])
    manager01 = UserFactory(organisation=org, manager=True, departements=["01"])
    manager69 = UserFactory(organisation=org, manager=True, departements=["69"])
    person = make_person(org=org, actor=worker69, departement="69", nir=nir_for(7))
    run = services.run_sick_leave_extract(
        actor=manager01,
        organisation=org,
        path=write_extract(tmp_path / "ain.csv", [extract_row(7, commune="01053")]),
        extraction_date=datetime.date(2026, 6, 1),
        dry_run=False,
    )
    assert run.entries.get().person_id == person.pk
    assert not policies.visible_entries(manager01, run).exists()
    assert list(policies.visible_entries(manager69, run).values_list("person_id", flat=True)) == [
        person.pk
    ]
