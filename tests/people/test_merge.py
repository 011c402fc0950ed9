import datetime
from html import unescape

import pytest
from django.urls import reverse

from parcours.cases.models import Case
from parcours.core import crypto
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.outreach.models import AppointmentRequest
from parcours.people import services
from parcours.people.models import Person
from parcours.people.queries import search_people
from parcours.rules import nir
from tests.conftest import login_as
from tests.factories import UserFactory, make_case, make_person

pytestmark = pytest.mark.django_db
BIRTH = datetime.date(1960, 4, 2)


def a_nir(order="123"):
    base = f"2600401053{order}"
    return f"{base}{nir.compute_key(base):02d}"


@pytest.fixture
def pair(org):
    manager = UserFactory(organisation=org, manager=True, departements=["01"])
    worker = UserFactory(organisation=org, social_worker=True, departements=["01"])
    keep = make_person(
        org=org, actor=worker, last_name="Lefèvre", first_names="Anne", birth_date=BIRTH
    )
    duplicate = make_person(
        org=org,
        actor=worker,
        last_name="LEFEVRE",
        first_names="Anne",
        birth_date=BIRTH,
        phone="0600000001",
        nir=a_nir(),
    )
    return manager, worker, keep, duplicate


def test_merge_moves_history_fills_blanks_and_archives_duplicate(pair):
    manager, worker, keep, duplicate = pair
    case = make_case(person=duplicate, referent=worker)
    AppointmentRequest.objects.create(
        organisation=keep.organisation,
        person=duplicate,
        departement_id="01",
        received_on=BIRTH,
        created_by=worker,
    )
    merged = services.merge_people(actor=manager, keep=keep, duplicate=duplicate)
    assert Case.objects.get(pk=case.pk).person_id == keep.pk
    assert AppointmentRequest.objects.get().person_id == keep.pk
    assert merged.phone == "0600000001"
    assert crypto.decrypt(merged.nir_encrypted) == a_nir()
    archived = Person.objects.get(pk=duplicate.pk)
    assert archived.merged_into_id == keep.pk
    entry = AuditEntry.objects.filter(person_id=keep.pk, summary__startswith="Fusion").get()
    fusion = entry.changes["fusion"]["apres"]
    assert fusion["doublon"] == duplicate.pk and fusion["cases.Case"] == [case.pk]
    assert set(fusion["complete"]) == {"phone", "nir"}


def test_merged_duplicate_disappears_from_search_and_pages(client, pair):
    manager, worker, keep, duplicate = pair
    services.merge_people(actor=manager, keep=keep, duplicate=duplicate)
    assert [p.pk for p in search_people(worker, "lefevre anne")] == [keep.pk]
    login_as(client, worker)
    assert client.get(reverse("personne", args=[duplicate.pk])).status_code == 404


@pytest.mark.parametrize("order", ["124"])
def test_two_different_nirs_are_refused(org, pair, order):
    manager, worker, keep, duplicate = pair
    services.update_person(
        actor=worker,
        person=keep,
        data={},
        expected_version=keep.version,
        nir=a_nir(order),
        change_nir=True,
    )
    with pytest.raises(BusinessError, match="NIR différents"):
        services.merge_people(actor=manager, keep=keep, duplicate=duplicate)
    assert Person.objects.get(pk=duplicate.pk).merged_into_id is None


def test_cannot_merge_across_organisations_or_twice(org, other_org, pair):
    manager, worker, keep, duplicate = pair
    stranger = make_person(org=other_org, last_name="Lefèvre", birth_date=BIRTH)
    with pytest.raises(BusinessError, match="même organisme"):
        services.merge_people(actor=manager, keep=keep, duplicate=stranger)
    services.merge_people(actor=manager, keep=keep, duplicate=duplicate)
    with pytest.raises(BusinessError, match="déjà été fusionnée"):
        services.merge_people(actor=manager, keep=keep, duplicate=duplicate)


def test_merge_page_for_manager(client, pair):
    manager, worker, keep, duplicate = pair
    login_as(client, manager)
    page = unescape(client.get(reverse("personne-fusion", args=[keep.pk])).content.decode())
    assert f"fiche n° {duplicate.pk}" in page
    compare = client.get(reverse("personne-fusion", args=[keep.pk]), {"doublon": duplicate.pk})
    assert "Comparaison des deux fiches" in unescape(compare.content.decode())
    response = client.post(
        reverse("personne-fusion", args=[keep.pk]), {"doublon": duplicate.pk, "confirmer": "1"}
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=duplicate.pk).merged_into_id == keep.pk


@pytest.mark.parametrize("role", ["social_worker", "front_line", "steering", "admin"])
def test_merge_page_404_for_other_roles(client, org, pair, role):
    manager, worker, keep, duplicate = pair
    login_as(client, UserFactory(organisation=org, departements=["01"], **{role: True}))
    response = client.post(
        reverse("personne-fusion", args=[keep.pk]), {"doublon": duplicate.pk, "confirmer": "1"}
    )
    assert response.status_code == 404
    assert Person.objects.get(pk=duplicate.pk).merged_into_id is None


def test_manager_cannot_merge_a_person_out_of_scope(client, org, pair):
    manager, worker, keep, duplicate = pair
    elsewhere = make_person(org=org, last_name="Lefèvre", birth_date=BIRTH, departement="69")
    login_as(client, manager)
    response = client.post(
        reverse("personne-fusion", args=[keep.pk]), {"doublon": elsewhere.pk, "confirmer": "1"}
    )
    assert response.status_code == 404


def test_merge_moves_every_record_that_names_the_duplicate(pair):
    """Inscriptions et invitations aux actions collectives suivent la fiche conservée."""
    from parcours.groups.models import Invitation, Registration
    from tests.groups.factories import make_action, make_registration, make_session

    manager, worker, keep, duplicate = pair
    action = make_action(org=keep.organisation, actor=worker)
    registration = make_registration(
        session=make_session(action=action, actor=worker), person=duplicate, actor=worker
    )
    services.merge_people(actor=manager, keep=keep, duplicate=duplicate)
    assert Registration.objects.get(pk=registration.pk).person_id == keep.pk
    assert set(Invitation.objects.values_list("person_id", flat=True)) <= {keep.pk}


def test_merge_refused_when_both_are_registered_to_the_same_session(pair):
    from parcours.groups.models import Registration
    from tests.groups.factories import make_action, make_registration, make_session

    manager, worker, keep, duplicate = pair
    session = make_session(action=make_action(org=keep.organisation, actor=worker), actor=worker)
    make_registration(session=session, person=keep, actor=worker)
    make_registration(session=session, person=duplicate, actor=worker)
    with pytest.raises(BusinessError, match="inscrites à la même séance"):
        services.merge_people(actor=manager, keep=keep, duplicate=duplicate)
    assert sorted(Registration.objects.values_list("person_id", flat=True)) == sorted(
        [keep.pk, duplicate.pk]
    )
    assert Person.objects.get(pk=duplicate.pk).merged_into_id is None
