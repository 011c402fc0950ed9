"""Chaque rôle face aux objets des aides : ce qui est visible, ce qui répond 404."""

import pytest
from django.urls import reverse

from parcours.aid import policies, services
from tests.aid.factories import ALL_C, aid, make_evaluation, make_request, ready_request
from tests.conftest import login_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["social_worker", "front_line", "secretary", "manager", "steering", "admin", "foreign"]
FILES = {"social_worker", "manager"}


def make_role(world, role):
    if role == "foreign":
        return UserFactory(organisation=world["other_org"], manager=True, departements=["01"])
    return UserFactory(organisation=world["org"], departements=["01"], **{role: True})


@pytest.fixture
def objects(world):
    evaluations = {
        "here": make_evaluation(person=world["here"], actor=world["as01"], grid=ALL_C),
        "there": make_evaluation(person=world["there"], actor=world["as69"]),
        "foreign": make_evaluation(person=world["foreign"], actor=world["foreign_as"]),
    }
    services.record_transmission(actor=world["as01"], evaluation=evaluations["here"])
    requests = {
        "here": ready_request(person=world["here"], actor=world["as01"]),
        "there": ready_request(person=world["there"], actor=world["as69"]),
        "foreign": ready_request(person=world["foreign"], actor=world["foreign_as"]),
    }
    return {"evaluations": evaluations, "requests": requests}


@pytest.mark.parametrize("role", ROLES)
def test_visibility_of_evaluations_and_requests(world, objects, role):
    user = make_role(world, role)
    seen_e = set(policies.visible_evaluations(user).values_list("person__last_name", flat=True))
    seen_r = set(policies.visible_requests(user).values_list("person__last_name", flat=True))
    expected = {"Ici"} if role in FILES else ({"Ailleurs"} if role == "foreign" else set())
    assert seen_e == expected and seen_r == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["here", "there", "foreign"])
def test_file_pages_scope(client, world, objects, role, where):
    login_as(client, make_role(world, role))
    evaluation, request = objects["evaluations"][where], objects["requests"][where]
    allowed = (where == "here" and role in FILES) or (where == "foreign" and role == "foreign")
    for url in (
        reverse("aide-evaluation", args=[evaluation.pk]),
        reverse("aide-transmission-pdf", args=[evaluation.pk])
        if where == "here"
        else reverse("aide-evaluation", args=[evaluation.pk]),
        reverse("aide-demande", args=[request.pk]),
        reverse("aides-personne", args=[request.person_id]),
        reverse("aide-evaluation-nouvelle", args=[request.person_id]),
        reverse("aide-demande-nouvelle", args=[request.person_id]),
    ):
        assert client.get(url).status_code == (200 if allowed else 404), url


@pytest.mark.parametrize("role", ROLES)
def test_post_endpoints_out_of_scope_answer_404(client, world, objects, role):
    login_as(client, make_role(world, role))
    foreign = objects["requests"]["foreign" if role != "foreign" else "here"]
    for name in (
        "aide-pieces",
        "aide-complete",
        "aide-avis",
        "aide-decision",
        "aide-vers-commission",
        "aide-paiement",
        "aide-indu",
        "aide-notifiee",
    ):
        assert client.post(reverse(name, args=[foreign.pk]), {}).status_code == 404, name
    evaluation = objects["evaluations"]["foreign" if role != "foreign" else "here"]
    assert client.post(reverse("aide-transmission", args=[evaluation.pk])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(client, world, objects, role):
    login_as(client, make_role(world, role))
    expectations = {
        "aides": True,
        "aides-simulateur": True,
        "aides-catalogue": True,
        "aides-commissions": role in {"manager", "foreign"},
        "aides-chiffres": role in {"manager", "steering", "admin", "foreign"},
        "aides-paiements-csv": role in {"manager", "foreign"},
    }
    for name, allowed in expectations.items():
        assert client.get(reverse(name)).status_code == (200 if allowed else 404), name


@pytest.mark.parametrize("role", ROLES)
def test_front_line_steering_and_admin_never_see_evaluation_contents(client, world, objects, role):
    login_as(client, make_role(world, role))
    page = client.get(reverse("aides")).content.decode()
    assert ("Vit seule, escaliers difficiles." in page) is False
    shown = "Ici" in page or "ICI" in page
    assert shown is (role in FILES)


@pytest.mark.parametrize("role", ROLES)
def test_decision_rights(world, objects, role):
    user = make_role(world, role)
    request = objects["requests"]["here"]  # 500 € > plafond : commission
    assert policies.can_decide_delegated(user, request) is False
    small = ready_request(
        person=world["here"],
        actor=world["as01"],
        code="cpam-aide-precarite",
        facts={"monthly_income": 800},
    )
    assert policies.can_decide_delegated(user, small) is (role in {"manager", "foreign"})
    assert policies.can_edit_catalogue(user) is (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_catalogue_edition_only_by_org_admin(client, world, role):
    login_as(client, make_role(world, role))
    target = aid(world["org"], "msa-prime-naissance")
    status = client.get(reverse("aides-aide-edition", args=[target.pk])).status_code
    assert status == (200 if role == "admin" else 404)


def test_session_of_another_departement_is_404(client, world):
    session = services.create_session(
        actor=world["manager01"],
        organisation_id=world["org"].pk,
        departement_id="69",
        held_on=world["here"].birth_date,
    )
    login_as(client, world["manager01"])
    assert client.get(reverse("aide-commission", args=[session.pk])).status_code == 404
    login_as(client, UserFactory(organisation=world["org"], manager=True, departements=["69"]))
    assert client.get(reverse("aide-commission", args=[session.pk])).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_send_to_commission_right_by_role(world, objects, role):
    """Inscrire à une commission : un responsable qui voit la demande, une fois l'avis rendu."""
    user = make_role(world, role)
    request = objects["requests"]["foreign" if role == "foreign" else "here"]
    assert policies.can_send_to_commission(user, request) is (role in {"manager", "foreign"})
    received = make_request(person=world["here"], actor=world["as01"])
    assert policies.can_send_to_commission(user, received) is False


def test_session_request_only_when_on_the_agenda_and_pending(world, objects):
    import datetime

    from django.http import Http404

    manager = world["manager01"]
    session = services.create_session(
        actor=manager,
        organisation_id=world["org"].pk,
        departement_id="01",
        held_on=datetime.date(2026, 6, 30),
    )
    request = objects["requests"]["here"]
    with pytest.raises(Http404):
        policies.get_session_request_or_404(manager, session, request.pk)
    assert services.build_agenda(actor=manager, session=session) == 1  # 500 € : commission
    assert policies.get_session_request_or_404(manager, session, request.pk) == request
    other_session = services.create_session(
        actor=manager,
        organisation_id=world["org"].pk,
        departement_id="01",
        held_on=datetime.date(2026, 7, 30),
    )
    with pytest.raises(Http404):
        policies.get_session_request_or_404(manager, other_session, request.pk)
    with pytest.raises(Http404):  # hors périmètre : comme absente
        policies.get_session_request_or_404(manager, session, objects["requests"]["there"].pk)
