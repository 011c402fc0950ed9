"""L'API des orientations et des évaluations partagées (formats.md §7) : chaque portée ×
ressource × organisme ; un jeton ne lit que ce qui est adressé à son partenaire (ou organisme),
sous un partage qui tient encore ; la réponse passe par le service de la page du lien."""

import datetime
import json

import pytest

from parcours.api.services import revoke_token
from parcours.core import clock
from parcours.core.models import AuditEntry
from parcours.partners.models import Partner
from parcours.sharing.models import EvaluationShare, Orientation, OrientationEvent
from parcours.sharing.services import consents as consent_services
from parcours.sharing.services import orientations as orientation_services
from parcours.sharing.services import pathways as pathway_services
from tests.aid.factories import ALL_C
from tests.aid.factories import make_evaluation as record_evaluation
from tests.api.conftest import bearer, issue
from tests.factories import OrganisationFactory, UserFactory, make_person
from tests.partners.factories import make_partner

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 3)


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(datetime.datetime(2026, 12, 3, 10, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def worker(org):
    return UserFactory(organisation=org, social_worker=True, departements=["01"])


@pytest.fixture
def person(org, worker):
    return make_person(
        org=org,
        actor=worker,
        phone="0601020304",
        email="claire.martin@example.org",
        address="3 rue des Lilas",
        postal_code="01000",
    )


@pytest.fixture
def cap(org, worker):
    return make_partner(org=org, actor=worker, name="Cap emploi de l'Ain", kind=Partner.Kind.AUTRE)


@pytest.fixture
def other_partner(org, worker):
    return make_partner(org=org, actor=worker, name="Mission locale", kind=Partner.Kind.AUTRE)


def consent_for(person, worker, categories, **recipients):
    return consent_services.record_consent(
        actor=worker,
        person=person,
        categories=list(categories),
        purpose="Accompagnement partagé",
        given_on=datetime.date(2026, 11, 20),
        method="ECRIT",
        given_by="PERSONNE",
        **recipients,
    )


def orient(person, worker, categories=("IDENTITE",), consent=None, **recipient):
    return orientation_services.send_orientation(
        actor=worker,
        person=person,
        reason="EMPLOI",
        request="Étudier un maintien dans l'emploi",
        categories=list(categories),
        basis="CONSENTEMENT" if consent else "MISSION_LEGALE",
        consent=consent,
        **recipient,
    )


def listing(client, secret, query=""):
    return client.get(f"/api/v1/orientations{query}", **bearer(secret))


def answer(client, secret, reference, body):
    return client.post(
        f"/api/v1/orientations/{reference}/reponse",
        data=json.dumps(body),
        content_type="application/json",
        **bearer(secret),
    )


# --- GET /orientations ---------------------------------------------------------------------


def test_lists_the_orientations_addressed_to_the_token_partner_only(
    client, org, worker, person, cap, other_partner
):
    mine = orient(person, worker, partner=cap)
    orient(person, worker, partner=other_partner)
    _, secret = issue(org, partner=cap, scopes=["orientations:lire"])
    response = listing(client, secret)
    assert response.status_code == 200
    rows = response.json()
    assert [r["reference"] for r in rows] == [mine.reference]
    row = rows[0]
    assert row["statut"] == "ENVOYEE"
    assert row["date_envoi"] == "2026-12-03" and row["echeance"] == str(mine.deadline)
    assert row["motif"] == "EMPLOI" and row["demande"] == "Étudier un maintien dans l'emploi"
    assert row["categories"] == ["IDENTITE"]
    assert row["identite"] == {
        "nom": "Martin",
        "prenom": "Claire",
        "date_naissance": "1970-05-17",
        "adresse": "3 rue des Lilas",
        "code_postal": "01000",
        "commune": None,
        "telephone": "0601020304",
        "email": "claire.martin@example.org",
    }
    assert row["situation"] is None and row["evaluation"] is None


def test_only_the_shared_categories_leave(client, org, worker, person, cap):
    record_evaluation(person=person, actor=worker, grid=ALL_C, on=datetime.date(2026, 11, 2))
    orient(person, worker, categories=["SITUATION", "EVALUATION"], partner=cap)
    _, secret = issue(org, partner=cap, scopes=["orientations:lire"])
    row = listing(client, secret).json()[0]
    assert row["identite"] is None
    assert row["evaluation"] == {"date": "2026-11-02", "gir": 1}
    assert isinstance(row["situation"], list)
    body = json.dumps(row)
    assert "Martin" not in body and "0601020304" not in body
    assert "escaliers" not in body  # la situation décrite de l'évaluation ne part jamais


def test_status_filter_and_unknown_status_names_the_field(client, org, worker, person, cap):
    sent = orient(person, worker, partner=cap)
    other = orient(person, worker, partner=cap)
    orientation_services.answer_by_link(orientation=other, status="ACCEPTEE")
    _, secret = issue(org, partner=cap, scopes=["orientations:lire"])
    assert [r["reference"] for r in listing(client, secret, "?statut=ENVOYEE").json()] == [
        sent.reference
    ]
    assert [r["reference"] for r in listing(client, secret, "?statut=ACCEPTEE").json()] == [
        other.reference
    ]
    assert len(listing(client, secret).json()) == 2
    bad = listing(client, secret, "?statut=PERDUE")
    assert bad.status_code == 422
    assert bad["Content-Type"].startswith("application/problem+json")
    assert [e["champ"] for e in bad.json()["erreurs"]] == ["statut"]
    assert listing(client, secret, "?etat=ENVOYEE").status_code == 422


def test_withdrawn_consent_hides_the_orientation(client, org, worker, person, cap):
    consent = consent_for(person, worker, ["IDENTITE"], partners=[cap])
    orientation = orient(person, worker, consent=consent, partner=cap)
    _, secret = issue(org, partner=cap, scopes=["orientations:lire", "orientations:repondre"])
    assert len(listing(client, secret).json()) == 1
    consent_services.withdraw_consent(actor=worker, consent=consent, on=TODAY)
    assert listing(client, secret).json() == []
    gone = answer(client, secret, orientation.reference, {"statut": "ACCEPTEE"})
    assert gone.status_code == 404
    assert Orientation.objects.get().status == "ENVOYEE"


def test_orientations_to_another_organisation_are_read_by_its_token(
    client, org, worker, person, cap
):
    caf = OrganisationFactory(code="caf-test", name="CAF de test", kind="CAF")
    to_caf = orient(person, worker, organisation=caf)
    orient(person, worker, partner=cap)
    _, secret = issue(org, peer=caf, scopes=["orientations:lire"])
    assert [r["reference"] for r in listing(client, secret).json()] == [to_caf.reference]


def test_a_token_of_another_organisation_never_reads_them(
    client, org, other_org, worker, person, cap
):
    orient(person, worker, partner=cap)
    _, theirs = issue(other_org, scopes=["orientations:lire"])
    assert listing(client, theirs).json() == []


def test_revoked_401_and_missing_scope_403(client, org, worker, person, cap):
    orient(person, worker, partner=cap)
    token, secret = issue(org, partner=cap, scopes=["evaluations:lire"])
    refused = listing(client, secret)
    assert refused.status_code == 403 and "orientations:lire" in refused.json()["detail"]
    revoke_token(actor=None, token=token)
    assert listing(client, secret).status_code == 401


def test_the_read_is_journaled_with_the_number_of_people(client, org, worker, person, cap):
    someone = make_person(org=org, actor=worker, last_name="Durand", first_names="Paul")
    orient(person, worker, partner=cap)
    orient(person, worker, partner=cap)
    orient(someone, worker, partner=cap)
    token, secret = issue(org, partner=cap, scopes=["orientations:lire"])
    listing(client, secret, "?statut=ENVOYEE")
    entry = AuditEntry.objects.filter(action="LIST").latest("id")
    assert entry.organisation_id == org.pk
    assert entry.changes == {"jeton": token.pk, "personnes": 2, "criteres": {"statut": "ENVOYEE"}}
    assert "orientations reçues (3)" in entry.summary and "(2 personnes)" in entry.summary
    assert "Martin" not in entry.summary


# --- POST /orientations/{reference}/reponse ------------------------------------------------


def test_the_answer_goes_through_the_partner_service(client, org, worker, person, cap):
    orientation = orient(person, worker, partner=cap)
    _, secret = issue(org, partner=cap, scopes=["orientations:repondre"])
    response = answer(client, secret, orientation.reference, {"statut": "ACCEPTEE"})
    assert response.status_code == 200
    assert response.json() == {"reference": orientation.reference, "statut": "ACCEPTEE"}
    orientation.refresh_from_db()
    assert orientation.status == "ACCEPTEE" and orientation.answered_on == TODAY
    event = OrientationEvent.objects.filter(orientation=orientation).latest("pk")
    assert event.by_partner and event.to_status == "ACCEPTEE"
    closed = answer(client, secret, orientation.reference, {"statut": "CLOTUREE"})
    assert closed.json()["statut"] == "CLOTUREE"
    # CLOTUREE est final : les règles refusent, le champ est nommé
    again = answer(client, secret, orientation.reference, {"statut": "REFUSEE", "commentaire": "x"})
    assert again.status_code == 422
    assert again["Content-Type"].startswith("application/problem+json")
    assert "statut" in again.json()["detail"]
    assert [e["champ"] for e in again.json()["erreurs"]] == ["statut"]


def test_closing_before_any_answer_is_refused(client, org, worker, person, cap):
    orientation = orient(person, worker, partner=cap)
    _, secret = issue(org, partner=cap, scopes=["orientations:repondre"])
    refused = answer(client, secret, orientation.reference, {"statut": "CLOTUREE"})
    assert refused.status_code == 422
    assert refused.json()["erreurs"][0]["champ"] == "statut"
    assert Orientation.objects.get().status == "ENVOYEE"


def test_refusal_needs_a_comment(client, org, worker, person, cap):
    orientation = orient(person, worker, partner=cap)
    _, secret = issue(org, partner=cap, scopes=["orientations:repondre"])
    refused = answer(client, secret, orientation.reference, {"statut": "REFUSEE"})
    assert refused.status_code == 422
    assert [e["champ"] for e in refused.json()["erreurs"]] == ["commentaire"]
    assert "commentaire" in refused.json()["detail"]
    done = answer(
        client, secret, orientation.reference, {"statut": "REFUSEE", "commentaire": "Hors zone"}
    )
    assert done.json()["statut"] == "REFUSEE"
    assert Orientation.objects.get().answer_comment == "Hors zone"


@pytest.mark.parametrize("statut", ["RECUE", "RELANCEE", "ENVOYEE", "", None])
def test_only_the_three_answers_of_the_contract(client, org, worker, person, cap, statut):
    orientation = orient(person, worker, partner=cap)
    _, secret = issue(org, partner=cap, scopes=["orientations:repondre"])
    refused = answer(client, secret, orientation.reference, {"statut": statut})
    assert refused.status_code == 422
    assert refused.json()["erreurs"][0]["champ"] == "statut"


def test_another_partners_reference_is_404(
    client, org, other_org, worker, person, cap, other_partner
):
    theirs = orient(person, worker, partner=other_partner)
    _, secret = issue(org, partner=cap, scopes=["orientations:repondre"])
    for reference in (theirs.reference, "0" * 16, "pas-une-reference"):
        missing = answer(client, secret, reference, {"statut": "ACCEPTEE"})
        assert missing.status_code == 404, reference
        assert missing["Content-Type"].startswith("application/problem+json")
    _, foreign = issue(other_org, scopes=["orientations:repondre"])
    assert answer(client, foreign, theirs.reference, {"statut": "ACCEPTEE"}).status_code == 404
    assert Orientation.objects.get().status == "ENVOYEE"


def test_answer_needs_its_own_scope(client, org, worker, person, cap):
    orientation = orient(person, worker, partner=cap)
    token, secret = issue(org, partner=cap, scopes=["orientations:lire"])
    assert answer(client, secret, orientation.reference, {"statut": "ACCEPTEE"}).status_code == 403
    revoke_token(actor=None, token=token)
    assert answer(client, secret, orientation.reference, {"statut": "ACCEPTEE"}).status_code == 401
    assert Orientation.objects.get().status == "ENVOYEE"


# --- GET /evaluations/{reference} ----------------------------------------------------------


@pytest.fixture
def caf(db):
    return OrganisationFactory(code="caf-test", name="CAF de test", kind="CAF")


@pytest.fixture
def evaluation(person, worker):
    return record_evaluation(person=person, actor=worker, grid=ALL_C, on=datetime.date(2026, 11, 2))


def share_with_caf(person, worker, caf, evaluation):
    consent = consent_for(person, worker, ["EVALUATION"], organisations=[caf])
    share = pathway_services.share_evaluation(
        actor=worker, evaluation=evaluation, consent=consent, organisation=caf
    )
    return share, consent


def read(client, secret, reference):
    return client.get(f"/api/v1/evaluations/{reference}", **bearer(secret))


def test_reference_is_public_and_not_guessable(person, worker, caf, evaluation):
    share, _ = share_with_caf(person, worker, caf, evaluation)
    assert share.reference.startswith("EVA-") and len(share.reference) == 20
    other = EvaluationShare.objects.create(
        evaluation=evaluation,
        recipient_organisation=caf,
        basis="MISSION_LEGALE",
        shared_at=clock.now(),
        by=worker,
    )
    assert other.reference != share.reference


def test_the_shared_evaluation_reads_date_author_grid_and_gir(
    client, org, worker, person, caf, evaluation
):
    share, _ = share_with_caf(person, worker, caf, evaluation)
    token, secret = issue(org, peer=caf, scopes=["evaluations:lire"])
    response = read(client, secret, share.reference)
    assert response.status_code == 200
    assert response.json() == {
        "reference": share.reference,
        "date": "2026-11-02",
        "organisme": {"code": org.code, "nom": org.name},
        "variables": dict.fromkeys(
            ["COH", "ORI", "TOI", "HAB", "ALI", "ELI", "TRA", "DPI", "DPE", "COM"], "C"
        ),
        "gir": 1,
        "partagee_le": "2026-12-03",
    }
    assert "escaliers" not in response.content.decode()
    entry = AuditEntry.objects.filter(action="READ", object_type="evaluationshare").latest("id")
    assert entry.person_id == person.pk and entry.organisation_id == org.pk
    assert entry.changes["jeton"] == token.pk and entry.changes["personnes"] == 1


def test_shared_with_the_departement_partner(client, org, worker, person, evaluation):
    departement = make_partner(
        org=org, actor=worker, name="Département de l'Ain", kind=Partner.Kind.DEPARTEMENT
    )
    consent = consent_for(person, worker, ["EVALUATION"], partners=[departement])
    share = pathway_services.share_evaluation(
        actor=worker, evaluation=evaluation, consent=consent, partner=departement
    )
    _, secret = issue(org, partner=departement, scopes=["evaluations:lire"])
    assert read(client, secret, share.reference).json()["gir"] == 1
    _, other = issue(org, scopes=["evaluations:lire"])  # un autre partenaire de l'annuaire
    assert read(client, other, share.reference).status_code == 404


def test_only_shares_addressed_to_the_token(
    client, org, other_org, worker, person, caf, evaluation
):
    share, _ = share_with_caf(person, worker, caf, evaluation)
    msa = OrganisationFactory(code="msa-test", name="MSA de test", kind="MSA")
    _, to_msa = issue(org, peer=msa, scopes=["evaluations:lire"])
    _, foreign = issue(other_org, peer=caf, scopes=["evaluations:lire"])
    for secret in (to_msa, foreign):
        missing = read(client, secret, share.reference)
        assert missing.status_code == 404
        assert missing["Content-Type"].startswith("application/problem+json")
    _, mine = issue(org, peer=caf, scopes=["evaluations:lire"])
    assert read(client, mine, "EVA-" + "2" * 16).status_code == 404
    assert read(client, mine, "inconnue").status_code == 404


def test_withdrawn_consent_closes_the_evaluation(client, org, worker, person, caf, evaluation):
    share, consent = share_with_caf(person, worker, caf, evaluation)
    _, secret = issue(org, peer=caf, scopes=["evaluations:lire"])
    assert read(client, secret, share.reference).status_code == 200
    consent_services.withdraw_consent(actor=worker, consent=consent, on=TODAY)
    assert read(client, secret, share.reference).status_code == 404


def test_evaluation_revoked_401_missing_scope_403(client, org, worker, person, caf, evaluation):
    share, _ = share_with_caf(person, worker, caf, evaluation)
    token, secret = issue(org, peer=caf, scopes=["orientations:lire"])
    assert read(client, secret, share.reference).status_code == 403
    revoke_token(actor=None, token=token)
    assert read(client, secret, share.reference).status_code == 401
