"""Les exemples ``curl`` de docs/api.md, exécutés tels quels contre un serveur réel."""

import datetime
import os
import re
import subprocess
from pathlib import Path

import pytest

from parcours.groups.models import GroupAction, Session
from tests.api.conftest import issue

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
    _, secret = issue(org)
    env = {**os.environ, "PARCOURS_URL": live_server.url, "JETON": secret}
    blocks = examples()
    assert len(blocks) == 6
    expected = [201, 200, 200, 200, 200, 422]
    for block, status in zip(blocks, expected, strict=True):
        *body, code = run(block.strip(), env).rsplit("\n", 1)
        assert int(code) == status, (block, body)
        answer = json.loads(body[0])
        if status == 201:
            env["REFERENCE"] = answer["reference"]
            assert answer["statut"] == "RECU"
        if status == 422:
            assert answer["erreurs"][0]["champ"] == "personne.date_naissance"
    assert "REFERENCE" in env
