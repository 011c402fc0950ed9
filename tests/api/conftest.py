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
