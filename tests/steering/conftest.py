import json
from pathlib import Path

import jsonschema
import pytest

from parcours.steering import report

SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[2] / "src/parcours/steering/schema/rapport-activite-1.json"
    ).read_text()
)


def validate(document):
    jsonschema.Draft202012Validator(SCHEMA).validate(document)


@pytest.fixture
def build(org):
    """Le rapport de ``org`` pour une année (organisme, région ou département), validé."""

    def _build(year=2025, region="", departement="", organisation=None):
        organisation = organisation or org
        where = report.territory(organisation, region=region, departement=departement)
        document = report.build(organisation, year, where)
        validate(document)
        json.dumps(document)
        return document

    return _build
