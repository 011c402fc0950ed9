"""Reconnaissance mutuelle des évaluations : une évaluation partagée avec un autre organisme
se lit en lecture seule (auteur, date, grille, GIR), sous un consentement qui couvre
l'évaluation ; vers le département, GIR 1 à 4 seulement ; retrait : plus d'accès."""

import datetime

import pytest
from django.urls import reverse

from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.partners.models import Partner
from parcours.sharing.models import Disclosure, EvaluationShare
from parcours.sharing.services import consents as consent_services
from parcours.sharing.services import pathways as services
from tests.aid.factories import ALL_C, GIR5
from tests.aid.factories import make_evaluation as record_evaluation
from tests.conftest import login_as
from tests.factories import OrganisationFactory, UserFactory
from tests.partners.factories import make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def caf(db):
    return OrganisationFactory(code="caf-test", name="CAF de test", kind="CAF")


@pytest.fixture
def evaluation(person, worker):
    return record_evaluation(person=person, actor=worker, on=datetime.date(2026, 11, 2))


def give(person, worker, caf, categories=("IDENTITE", "EVALUATION")):
    return consent_services.record_consent(
        actor=worker,
        person=person,
        categories=list(categories),
        purpose="Reconnaissance de l'évaluation",
        given_on=datetime.date(2026, 11, 20),
        method="ORAL",
        given_by="PERSONNE",
        organisations=[caf],
    )


def test_share_and_read_only_page_journaled_on_both_sides(client, person, worker, caf, evaluation):
    share = services.share_evaluation(
        actor=worker, evaluation=evaluation, consent=give(person, worker, caf), organisation=caf
    )
    assert Disclosure.objects.get().categories == ["EVALUATION"]
    reader = UserFactory(organisation=caf, social_worker=True, departements=["01"])
    login_as(client, reader)
    listing = client.get(reverse("evaluations-partagees")).content.decode()
    assert reverse("evaluation-partagee", args=[share.pk]) in listing
    page = client.get(reverse("evaluation-partagee", args=[share.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert f"GIR {evaluation.gir}" in html and str(worker) in html and "02/11/2026" in html
    assert all(v in html for v in ("COH", "ORI", "TOI", "HAB", "ALI", "ELI", "TRA", "DPI"))
    assert "Vit seule" not in html  # la situation n'est pas partagée
    reads = AuditEntry.objects.filter(action="READ", object_type="evaluationshare")
    assert {r.organisation_id for r in reads} == {caf.pk, person.organisation_id}
    # Le dossier d'aide de l'organisme A reste fermé.
    assert client.get(reverse("aide-evaluation", args=[evaluation.pk])).status_code == 404


def test_sharing_needs_evaluation_covered_and_the_recipient_named(person, worker, caf, evaluation):
    with pytest.raises(BusinessError, match="ne couvre pas"):
        services.share_evaluation(
            actor=worker,
            evaluation=evaluation,
            consent=give(person, worker, caf, ["IDENTITE"]),
            organisation=caf,
        )
    other = OrganisationFactory(code="msa-test", kind="MSA")
    with pytest.raises(BusinessError, match="ne nomme pas"):
        services.share_evaluation(
            actor=worker, evaluation=evaluation, consent=give(person, worker, caf),
            organisation=other,
        )  # fmt: skip
    with pytest.raises(BusinessError, match="mission légale"):
        services.share_evaluation(
            actor=worker, evaluation=evaluation, consent=None, basis="MISSION_LEGALE",
            organisation=caf,
        )  # fmt: skip
    assert not EvaluationShare.objects.exists()


@pytest.mark.parametrize(("grid", "allowed"), [(ALL_C, True), (GIR5, False)])
def test_the_departement_receives_gir_1_to_4_only(client, person, worker, org, grid, allowed):
    evaluation = record_evaluation(person=person, actor=worker, grid=grid)
    departement = make_partner(
        org=org, actor=worker, name="Département de l'Ain", kind=Partner.Kind.DEPARTEMENT
    )
    args = {
        "actor": worker,
        "evaluation": evaluation,
        "consent": None,
        "basis": "MISSION_LEGALE",
        "partner": departement,
    }
    if allowed:
        share = services.share_evaluation(**args)
        assert share.recipient == departement
        # la référence que le département lit par l'API, donnée depuis l'onglet « Partages »
        login_as(client, worker)
        tab = client.get(reverse("personne-partages", args=[person.pk])).content.decode()
        assert f"<code>{share.reference}</code>" in tab
    else:
        with pytest.raises(BusinessError, match="GIR 1 à 4"):
            services.share_evaluation(**args)


def test_withdrawal_closes_the_shared_evaluation(client, person, worker, caf, evaluation):
    consent = give(person, worker, caf)
    share = services.share_evaluation(
        actor=worker, evaluation=evaluation, consent=consent, organisation=caf
    )
    reader = UserFactory(organisation=caf, manager=True, departements=["01"])
    login_as(client, reader)
    url = reverse("evaluation-partagee", args=[share.pk])
    assert client.get(url).status_code == 200
    consent_services.withdraw_consent(actor=worker, consent=consent)
    assert client.get(url).status_code == 404
    assert url not in client.get(reverse("evaluations-partagees")).content.decode()


@pytest.mark.parametrize("role", ["social_worker", "front_line", "manager", "steering", "admin"])
@pytest.mark.parametrize("side", ["A", "B", "C"])
def test_every_role_against_evaluation_shares(client, person, worker, caf, evaluation, side, role):
    share = services.share_evaluation(
        actor=worker, evaluation=evaluation, consent=give(person, worker, caf), organisation=caf
    )
    organisation = {"A": person.organisation, "B": caf, "C": OrganisationFactory(code="c")}[side]
    user = UserFactory(organisation=organisation, departements=["01"], **{role: True})
    login_as(client, user)
    reads = role in {"social_worker", "manager"} and side == "B"
    shares = role in {"social_worker", "manager"} and side == "A"
    assert client.get(reverse("evaluation-partagee", args=[share.pk])).status_code == (
        200 if reads else 404
    )
    assert client.get(reverse("evaluation-partager", args=[evaluation.pk])).status_code == (
        200 if shares else 404
    )
    post = client.post(reverse("evaluation-partager", args=[evaluation.pk]), {"recipient": "x"})
    assert post.status_code == (422 if shares else 404)
    assert EvaluationShare.objects.count() == 1


def test_share_page_offers_only_covered_recipients(client, person, worker, caf, evaluation):
    give(person, worker, caf, ["IDENTITE"])  # ne couvre pas l'évaluation
    login_as(client, worker)
    url = reverse("evaluation-partager", args=[evaluation.pk])
    assert "Aucun destinataire possible" in client.get(url).content.decode()
    consent = give(person, worker, caf)
    html = client.get(url).content.decode()
    key = f"o{caf.pk}-c{consent.pk}"
    assert f'value="{key}"' in html
    assert client.post(url, {"recipient": key}).status_code == 302
    tab = client.get(reverse("personne-partages", args=[person.pk])).content.decode()
    assert "partagée avec CAF de test" in tab
    assert (
        "partager" in client.get(reverse("aide-evaluation", args=[evaluation.pk])).content.decode()
    )
