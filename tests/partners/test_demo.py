"""L'annuaire de démonstration : partenaires des deux départements, conventions à échéance."""

import pytest
from django.urls import reverse

from parcours.demo import partners as partners_demo
from parcours.partners import queries
from parcours.partners.models import Convention, Partner, PartnerContact
from parcours.rules import conventions as rules
from tests.conftest import login_as

pytestmark = pytest.mark.django_db


def test_demo_directory(client, org, manager, today):
    assert partners_demo.generate(code=org.code) == {"partenaires": 18, "conventions": 9}
    partners_demo.generate(code=org.code)  # régénérée, pas doublée
    partners = Partner.objects.filter(organisation=org)
    assert partners.count() == 18
    assert len(set(partners.values_list("kind", flat=True))) == 11
    assert set(partners.values_list("territories__code", flat=True)) == {
        "01",
        "69",
        None,
    }  # l'ANGDM : nationale
    assert partners.filter(commune__isnull=False).count() == 17  # l'ANGDM : nationale
    assert PartnerContact.objects.filter(partner__organisation=org).count() == 13
    rows = queries.with_status(Convention.objects.filter(partner__organisation=org), today)
    statuses = sorted(r.status for r in rows)
    assert statuses.count(rules.EXPIRING) == 2
    assert statuses.count(rules.EXPIRED) == 1
    assert statuses.count(rules.UPCOMING) == 1
    # la convention d'évaluation du module des aides, sans date de fin
    angdm = Convention.objects.get(partner__name=partners_demo.ANGDM)
    assert (angdm.end, str(angdm.unit_price)) == (None, "152.45")
    assert not partners.filter(to_verify=True).exists()
    login_as(client, manager)
    body = client.get(reverse("equipe")).content.decode()
    assert "CLIC du Bassin burgien" in body and "ADMR de l&#x27;Ain" in body
