"""Ce que les essais schemathesis de l'API partagent : le document, la portée de chaque
opération, les vérifications écartées, le compte des cas tirés, la machine à états."""

from __future__ import annotations

import datetime
import json
import unicodedata
from collections import Counter
from pathlib import Path

import hypothesis
from schemathesis.generation import GenerationMode
from schemathesis.generation.stateful import run_state_machine_as_test
from schemathesis.specs.openapi.checks import positive_data_acceptance

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
SPEC = json.loads(DOCUMENT.read_text(encoding="utf-8"))

#: La portée de chaque opération (formats.md §7).
SCOPES = {
    ("POST", "/api/v1/signalements"): "signalements:ecrire",
    ("GET", "/api/v1/signalements/{reference}"): "signalements:lire",
    ("GET", "/api/v1/orientations"): "orientations:lire",
    ("POST", "/api/v1/orientations/{reference}/reponse"): "orientations:repondre",
    ("GET", "/api/v1/evaluations/{reference}"): "evaluations:lire",
    ("GET", "/api/v1/collectif/seances"): "collectif:lire",
    ("GET", "/api/v1/rapports/activite"): "rapports:lire",
    ("GET", "/api/v1/referentiel/communes"): "referentiel:lire",
}
#: « Une requête conforme au schéma est acceptée » ne vaut pas ici : 422 répond aussi aux règles
#: que le schéma ne dit pas (commune ou région inconnue, date dans le futur, date du
#: consentement exigée par la base légale, région et département ensemble, orientation déjà
#: close).
EXCLUDED = [positive_data_acceptance]

#: Les cas envoyés par chaque essai (« wsgi », « états », « serveur », « serveur, états »),
#: affichés en fin de session (conftest.py).
CASES: Counter[str] = Counter()


def authorization(case, secret: str) -> dict:
    """Un cas tiré qui porte « Bearer … » reçoit le vrai jeton ; un cas invalide sans en-tête,
    ou avec un en-tête d'une autre forme, le garde tel quel (401 attendu)."""
    if str((case.headers or {}).get("Authorization", "")).startswith("Bearer "):
        return {"Authorization": f"Bearer {secret}"}
    return {}


def _positive(case) -> bool:
    return case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE


def printable_texts(body) -> None:
    """Les caractères de contrôle (refusés, à raison, par l'API) retirés des textes tirés ; un
    texte qui n'en garde rien devient « Martin »."""
    if not isinstance(body, dict):
        return
    for name, value in body.items():
        if isinstance(value, dict):
            printable_texts(value)
        elif isinstance(value, str):
            kept = "".join(c for c in value if not unicodedata.category(c).startswith("C"))
            body[name] = kept if kept.strip() else "Martin"


def plausible_referral(body) -> None:
    """Un signalement tiré du schéma est presque toujours refusé par des règles que le schéma
    ne dit pas (commune connue, naissance passée, date du consentement) : pour que les scénarios
    aillent au-delà, ces champs-là reçoivent des valeurs plausibles, les autres restent tirés."""
    if not isinstance(body, dict) or not isinstance(body.get("personne"), dict):
        return
    person = body["personne"]
    # les caractères de contrôle (refusés, à raison) retirés des textes tirés
    for fields, names in ((person, ("nom", "prenom")), (body, ("motif",))):
        for name in names:
            if isinstance(fields.get(name), str):
                kept = "".join(
                    c for c in fields[name] if not unicodedata.category(c).startswith("C")
                )
                fields[name] = kept if kept.strip() else "Martin"
    person.update(nir="", commune_insee="01053", date_naissance="1970-05-04", email="")
    person.update(telephone="0601020304")
    body.update(
        departement="01",
        base_legale="CONSENTEMENT",
        date_consentement=(datetime.date.today() - datetime.timedelta(days=3)).isoformat(),  # noqa: DTZ011
    )


def run_stateful(
    schema, secret: str, *, label: str, examples: int, steps: int, base_url: str | None = None
) -> Counter:
    """Les scénarios à états : schemathesis enchaîne les opérations par les liens du document
    (signalement créé → son suivi ; orientations listées → la réponse à la première ; réponse →
    une autre réponse à la même). Renvoie le compte des (méthode, chemin, statut) obtenus."""
    seen: Counter = Counter()

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case):
            super().before_call(case)
            if case.path == "/api/v1/signalements" and _positive(case):
                plausible_referral(case.body)
            if case.path == "/api/v1/orientations/{reference}/reponse" and _positive(case):
                printable_texts(case.body)

        def get_call_kwargs(self, case):
            kwargs: dict = {"headers": authorization(case, secret)}
            if base_url is not None:
                kwargs["base_url"] = base_url
            return kwargs

        def after_call(self, response, case):
            super().after_call(response, case)
            CASES[label] += 1
            seen[(case.method.upper(), case.path, response.status_code)] += 1

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response,
                additional_checks=additional_checks,
                excluded_checks=EXCLUDED,
                headers=kwargs.get("headers"),
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    run_state_machine_as_test(
        Workflow,
        settings=hypothesis.settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            database=None,
            # tirage fixe : les scénarios (et les liens suivis) sont les mêmes à chaque essai
            derandomize=True,
            phases=[hypothesis.Phase.generate],
            suppress_health_check=list(hypothesis.HealthCheck),
        ),
    )
    return seen


def assert_links_followed(seen: Counter) -> None:
    """Une référence de signalement ou d'orientation ne se devine pas (16 caractères tirés) :
    un 200 sur leurs adresses vient d'un lien suivi."""
    followed = {
        "suivi d'un signalement créé": seen[("GET", "/api/v1/signalements/{reference}", 200)],
        "réponse à une orientation listée": seen[
            ("POST", "/api/v1/orientations/{reference}/reponse", 200)
        ],
    }
    assert all(followed.values()), f"liens jamais suivis avec succès : {followed} ({seen})"
