"""Le partage de démonstration : une CAF à côté de la Carsat, quatre parcours partagés, une
évaluation partagée, un consentement retiré (la CAF voit un parcours de moins que la Carsat)."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from parcours.core import clock
from parcours.core.models import Organisation, User
from parcours.sharing import policies
from parcours.sharing.models import EvaluationShare, PathwayStep, SharedPathway
from tests.conftest import login_as

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(datetime.datetime(2026, 11, 22, 9, 0, tzinfo=PARIS)):
        yield


def test_demo_holds_a_caf_and_shared_pathways(call, client):
    out = call("demo", personnes=40, seed=5)
    assert "4 parcours partagés" in out and "caf-demo" in out
    assert "1 évaluation partagée," in out or "1 évaluation partagée " in out
    caf = Organisation.objects.get(code="caf-demo")
    assert caf.kind == "CAF"
    assert set(User.objects.filter(organisation=caf).values_list("username", flat=True)) == {
        "caf.as.ain",
        "caf.as.rhone",
        "caf.manager",
        "caf.accueil",
    }
    pathways = SharedPathway.objects.all()
    assert sorted(pathways.values_list("purpose", flat=True)) == [
        "AUTRE",
        "PDP",
        "PERTE_AUTONOMIE",
        "SEPARATION",
    ]
    separation = pathways.get(purpose="SEPARATION")
    assert separation.organisation == caf and separation.syntheses.count() == 2
    assert set(
        PathwayStep.objects.filter(pathway=separation).values_list("organisation__code", flat=True)
    ) == {"caf-demo", "carsat-demo"}
    assert EvaluationShare.objects.filter(recipient_organisation=caf).count() == 1
    carsat_as = User.objects.get(username="as.ain")
    caf_as = User.objects.get(username="caf.as.ain")
    assert policies.visible_pathways(carsat_as).count() == 4
    assert policies.visible_pathways(caf_as).count() == 3  # consentement retiré : un de moins
    login_as(client, caf_as)
    assert client.get(reverse("parcours-partages")).status_code == 200
    assert client.get(reverse("evaluations-partagees")).status_code == 200
    logins = call("demo", "--identifiants")
    assert "caf.as.ain" in logins and "caf.manager" in logins and "caf.accueil" in logins
    call("demo", "--reinitialiser", personnes=40, seed=5)
    assert SharedPathway.objects.count() == 4
    assert Organisation.objects.filter(code="caf-demo").count() == 1
