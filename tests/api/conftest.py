from dataclasses import dataclass

import pytest

from parcours.api import services
from parcours.core.models import Organisation
from parcours.partners.models import Partner
from parcours.rules import api_access


def issue(org: Organisation, *, partner=None, peer=None, scopes=api_access.SCOPES, **kwargs):
    if partner is None and peer is None:
        partner = Partner.objects.create(organisation=org, kind="AUTRE", name="CH de Bourg")
    token, secret = services.issue_token(
        actor=None, organisation=org, partner=partner, peer=peer, scopes=list(scopes), **kwargs
    )
    return token, secret


@pytest.fixture
def _connection_kept():
    """Comme le client de test de Django : l'application appelée en WSGI ne ferme pas la
    connexion de la base à la fin de chaque requête (elle porte la transaction du test)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def partner(org):
    return Partner.objects.create(organisation=org, kind="ETABLISSEMENT_SANTE", name="CH Bourg")


def referral_body(**overrides) -> dict:
    body = {
        "personne": {
            "nir": "",
            "nom": "Martin",
            "prenom": "Claire",
            "sexe": "F",
            "date_naissance": "1970-05-04",
            "commune_insee": "01053",
            "telephone": "0601020304",
            "email": "",
        },
        "emetteur": "ETABLISSEMENT_SANTE",
        "motif": "Sortie d'hospitalisation, isolement",
        "programme": "RETOUR_DOMICILE",
        "departement": "01",
        "base_legale": "CONSENTEMENT",
        "date_consentement": "2026-11-30",
    }
    for key, value in overrides.items():
        if key.startswith("personne."):
            body["personne"][key.split(".", 1)[1]] = value
        else:
            body[key] = value
    return body


@dataclass
class World:
    """Un organisme prêt pour l'API : un partenaire de l'annuaire, ses orientations, une
    évaluation partagée avec lui, une séance à venir, un jeton de toutes les portées."""

    partner: Partner
    token: object
    secret: str
    orientations: list
    evaluation_share: object
    other_orientation: object


def make_world(org: Organisation, *, orientations: int = 6) -> World:
    import datetime

    from parcours.groups.models import GroupAction, Session
    from parcours.sharing.services import consents as consent_services
    from parcours.sharing.services import orientations as orientation_services
    from parcours.sharing.services import pathways as pathway_services
    from tests.aid.factories import ALL_C, make_evaluation
    from tests.factories import UserFactory, make_person
    from tests.partners.factories import make_partner

    worker = UserFactory(organisation=org, social_worker=True, departements=["01"])
    person = make_person(org=org, actor=worker, phone="0601020304")
    partner = make_partner(org=org, actor=worker, name="Département de l'Ain", kind="DEPARTEMENT")
    other = make_partner(org=org, actor=worker, name="Mission locale", kind="AUTRE")

    def orient(recipient):
        return orientation_services.send_orientation(
            actor=worker,
            person=person,
            reason="EMPLOI",
            request="Étudier un maintien dans l'emploi",
            categories=["IDENTITE", "SITUATION"],
            basis="MISSION_LEGALE",
            consent=None,
            partner=recipient,
        )

    sent = [orient(partner) for _ in range(orientations)]
    evaluation = make_evaluation(
        person=person, actor=worker, grid=ALL_C, on=datetime.date(2026, 11, 2)
    )
    consent = consent_services.record_consent(
        actor=worker,
        person=person,
        categories=["EVALUATION"],
        purpose="Accompagnement partagé",
        given_on=datetime.date(2026, 11, 20),
        method="ECRIT",
        given_by="PERSONNE",
        partners=[partner],
    )
    share = pathway_services.share_evaluation(
        actor=worker, evaluation=evaluation, consent=consent, partner=partner
    )
    action = GroupAction.objects.create(
        organisation=org, type="ATELIER", programme="PDP", title="Atelier", departement_id="01"
    )
    Session.objects.create(
        organisation=org,
        action=action,
        date=datetime.date.today(),  # noqa: DTZ011
        start_time=datetime.time(9, 0),
        capacity=8,
        site=None,
        partner_place="Mairie",
    )
    token, secret = issue(org, partner=partner)
    return World(partner, token, secret, sent, share, orient(other))


def pytest_terminal_summary(terminalreporter):
    """Le nombre de cas schemathesis envoyés, par essai (pour la note de clôture)."""
    from tests.api.fuzz import CASES

    if CASES:
        detail = ", ".join(f"{label} {count}" for label, count in sorted(CASES.items()))
        terminalreporter.write_line(f"schemathesis : {sum(CASES.values())} cas ({detail})")
