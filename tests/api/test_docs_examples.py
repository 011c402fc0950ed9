"""Les exemples ``curl`` de docs/api.md, exécutés tels quels contre un serveur réel."""

import datetime
import os
import re
import subprocess
from pathlib import Path

import pytest

from parcours.groups.models import GroupAction, Session
from parcours.partners.models import Partner
from parcours.sharing.services import consents as consent_services
from parcours.sharing.services import orientations as orientation_services
from parcours.sharing.services import pathways as pathway_services
from tests.aid.factories import ALL_C, make_evaluation
from tests.api.conftest import issue
from tests.factories import UserFactory, make_person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_kept")]
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "api.md"
BLOCK = re.compile(r"```bash\n(.*?)```", re.S)


def examples() -> list[str]:
    return BLOCK.findall(GUIDE.read_text(encoding="utf-8"))


def run(command: str, env: dict) -> str:
    done = subprocess.run(  # noqa: S603
        ["bash", "-c", command + " -w '\\n%{http_code}'"],  # noqa: S607
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return done.stdout


def departement_partner(org):
    return Partner.objects.create(
        organisation=org, kind=Partner.Kind.DEPARTEMENT, name="Département de l'Ain"
    )


def shared_with(org, partner):
    """Une orientation vers ``partner`` (sous mission légale) et une évaluation GIR 1 partagée
    avec lui sous consentement : de quoi exécuter les exemples des orientations et évaluations."""
    from parcours.core import clock

    worker = UserFactory(organisation=org, social_worker=True, departements=["01"])
    person = make_person(org=org, actor=worker, phone="0601020304")
    orientation = orientation_services.send_orientation(
        actor=worker,
        person=person,
        partner=partner,
        reason="EMPLOI",
        request="Étudier un maintien dans l'emploi",
        categories=["IDENTITE"],
        basis="MISSION_LEGALE",
    )
    evaluation = make_evaluation(person=person, actor=worker, grid=ALL_C, on=clock.today())
    consent = consent_services.record_consent(
        actor=worker,
        person=person,
        categories=["EVALUATION"],
        purpose="Reconnaissance de l'évaluation",
        given_on=clock.today(),
        method="ECRIT",
        given_by="PERSONNE",
        partners=[partner],
    )
    share = pathway_services.share_evaluation(
        actor=worker, evaluation=evaluation, consent=consent, partner=partner
    )
    return orientation, share


def test_every_curl_example_of_the_guide_answers_as_documented(live_server, org):
    import json

    from parcours.core import clock

    action = GroupAction.objects.create(
        organisation=org, type="ATELIER", programme="PDP", title="Atelier", departement_id="01"
    )
    Session.objects.create(
        organisation=org,
        action=action,
        date=clock.today() + datetime.timedelta(days=7),
        start_time=datetime.time(9, 0),
        capacity=8,
        partner_place="Mairie",
    )
    departement = departement_partner(org)
    orientation, share = shared_with(org, departement)
    _, secret = issue(org, partner=departement)
    env = {
        **os.environ,
        "PARCOURS_URL": live_server.url,
        "JETON": secret,
        "ORIENTATION": orientation.reference,
        "EVALUATION": share.reference,
    }
    blocks = examples()
    assert len(blocks) == 9
    expected = [201, 200, 200, 200, 200, 200, 200, 200, 422]
    for block, status in zip(blocks, expected, strict=True):
        *body, code = run(block.strip(), env).rsplit("\n", 1)
        assert int(code) == status, (block, body)
        answer = json.loads(body[0])
        if status == 201:
            env["REFERENCE"] = answer["reference"]
            assert answer["statut"] == "RECU"
        if "/orientations?" in block:
            assert [row["reference"] for row in answer] == [orientation.reference]
        if "/reponse" in block:
            assert answer == {"reference": orientation.reference, "statut": "ACCEPTEE"}
        if "/evaluations/" in block:
            assert answer["reference"] == share.reference and answer["gir"] == 1
        if status == 422:
            assert answer["erreurs"][0]["champ"] == "personne.date_naissance"
    assert "REFERENCE" in env
