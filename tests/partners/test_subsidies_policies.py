"""Chaque rôle de deux organismes face à chaque page et chaque objet des subventions : le
responsable et l'administrateur tiennent, le pilotage lit, AS et accueil ne voient rien (404),
l'autre organisme non plus (404), en lecture comme en écriture."""

import pytest
from django.urls import reverse

from parcours.core.models import AuditEntry
from parcours.partners import policies
from parcours.partners.models import Application, Grant, Payment, ProjectCall, YearlyReport
from tests.conftest import login_as
from tests.factories import UserFactory
from tests.partners.factories import subsidy_world

pytestmark = pytest.mark.django_db

ROLES = ["social_worker", "front_line", "secretary", "manager", "steering", "admin"]
READ = {"manager", "steering", "admin"}
MANAGE = {"manager", "admin"}


@pytest.fixture
def world(org, other_org, manager, foreign_manager):
    return {
        "org": org,
        "other_org": other_org,
        "here": subsidy_world(org=org, actor=manager),
        "there": subsidy_world(org=other_org, actor=foreign_manager),
    }


def urls(objs):
    c, a, g = objs["call"].pk, objs["application"].pk, objs["grant"].pk
    return {
        "call": (reverse("appel", args=[c]), "read", "get"),
        "call_edit": (reverse("appel-modifier", args=[c]), "manage", "get"),
        "application_new": (reverse("candidature-nouvelle", args=[c]), "manage", "get"),
        "application": (reverse("candidature", args=[a]), "read", "get"),
        "decision": (reverse("candidature-decision", args=[a]), "manage", "post"),
        "grant_new": (reverse("subvention-nouvelle", args=[a]), "manage", "post"),
        "grant": (reverse("subvention", args=[g]), "read", "get"),
        "payment_new": (reverse("versement-nouveau", args=[g]), "manage", "post"),
        "report": (reverse("bilan", args=[g]), "manage", "get"),
    }


POST_DATA = {
    "title": "x",
    "year": "2026",
    "status": "INSTRUITE",
    "amount": "1",
    "paid_on": "2026-06-01",
    "participants": "1",
    "sessions": "1",
    "received_on": "2026-12-01",
}


@pytest.mark.parametrize("home", ["org", "other_org"])
@pytest.mark.parametrize("role", ROLES)
def test_predicates_by_role_and_organisation(world, role, home):
    user = UserFactory(organisation=world[home], departements=["01"], **{role: True})
    mine, theirs = ("here", "there") if home == "org" else ("there", "here")
    assert policies.can_read_subsidies(user) is (role in READ)
    assert policies.can_manage_subsidies(user) is (role in MANAGE)
    for visible, key in (
        (policies.visible_calls, "call"),
        (policies.visible_applications, "application"),
        (policies.visible_grants, "grant"),
        (policies.visible_payments, "payment"),
        (policies.visible_reports, "report"),
    ):
        assert list(visible(user)) == ([world[mine][key]] if role in READ else []), key
    for getter, key in (
        (policies.get_call_or_404, "call"),
        (policies.get_application_or_404, "application"),
        (policies.get_grant_or_404, "grant"),
    ):
        if role in READ:
            assert getter(user, world[mine][key].pk) == world[mine][key]
        else:
            with pytest.raises(Exception, match="Introuvable"):
                getter(user, world[mine][key].pk)
        with pytest.raises(Exception, match="Introuvable"):
            getter(user, world[theirs][key].pk)


def _counts():
    return (
        ProjectCall.objects.count(),
        Application.objects.count(),
        Grant.objects.count(),
        Payment.objects.count(),
        YearlyReport.objects.count(),
        list(Application.objects.order_by("pk").values_list("status", flat=True)),
    )


@pytest.mark.parametrize("home", ["org", "other_org"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_by_role_and_organisation(client, world, role, home):
    user = UserFactory(organisation=world[home], departements=["01"], **{role: True})
    login_as(client, user)
    mine, theirs = ("here", "there") if home == "org" else ("there", "here")
    before = _counts()
    expected = 200 if role in READ else 404
    listing = client.get(reverse("subventions"), {"annee": 2026})
    assert listing.status_code == expected
    if role in READ:
        body = listing.content.decode()
        assert world[mine]["call"].title in body and "10\u202f000 €" in body
        assert world[mine]["partner"].name in body
        assert world[theirs]["partner"].name not in body
        assert (reverse("appel-nouveau") in body) is (role in MANAGE)
    for fmt in ("csv", "xlsx"):
        export = client.get(reverse("subventions-export", args=[fmt]), {"annee": 2026})
        assert export.status_code == expected, fmt
    assert client.get(reverse("appel-nouveau")).status_code == (200 if role in MANAGE else 404)
    if role not in MANAGE:
        assert client.post(reverse("appel-nouveau"), POST_DATA).status_code == 404
    for name, (url, need, method) in urls(world[mine]).items():
        allowed = role in READ if need == "read" else role in MANAGE
        if method == "get":
            assert client.get(url).status_code == (200 if allowed else 404), name
        else:
            assert client.get(url).status_code == 405, name  # envoi seulement, pour tous
        if not allowed:
            assert client.post(url, POST_DATA).status_code == 404, name
    for name, (url, _need, method) in urls(world[theirs]).items():
        if method == "get":
            assert client.get(url).status_code == 404, name
        assert client.post(url, POST_DATA).status_code == 404, name
    if role not in MANAGE:
        assert _counts() == before
    partner_page = client.get(reverse("partenaire", args=[world[mine]["partner"].pk]))
    assert partner_page.status_code == 200
    assert ("Candidatures et subventions" in partner_page.content.decode()) is (role in READ)
    directory = client.get(reverse("partenaires")).content.decode()
    assert (reverse("subventions") in directory) is (role in READ)


def test_export_is_audited_for_steering(client, world):
    user = UserFactory(organisation=world["org"], steering=True)
    login_as(client, user)
    client.get(reverse("subventions-export", args=["csv"]), {"annee": 2026})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT, actor=user)
    assert entry.summary == "Subventions accordées 2026 (1 ligne, csv)"


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("subventions"))
    assert response.status_code == 302
    assert "connexion" in response["Location"]
