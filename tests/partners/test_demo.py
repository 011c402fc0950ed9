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
    assert partners_demo.generate(code=org.code) == {"partenaires": 19, "conventions": 9}
    partners_demo.generate(code=org.code)  # régénérée, pas doublée
    partners = Partner.objects.filter(organisation=org)
    assert partners.count() == 19
    assert len(set(partners.values_list("kind", flat=True))) == 12
    assert set(partners.values_list("territories__code", flat=True)) == {
        "01",
        "69",
        None,
    }  # l'ANGDM : nationale
    assert partners.filter(commune__isnull=False).count() == 18  # l'ANGDM : nationale
    assert PartnerContact.objects.filter(partner__organisation=org).count() == 14
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


def test_demo_links_go_through_the_directory(call, today):
    from parcours.aid.models import Evaluation, Transmission
    from parcours.core.models import Site
    from parcours.groups.models import GroupAction, Session
    from parcours.outreach.models import FrontLineContact, Referral

    call("demo", personnes=150, seed=7)
    demo = Partner.objects.filter(organisation__code="carsat-demo")
    assert not demo.filter(to_verify=True).exists()  # tout ce qu'écrit la démo est dans l'annuaire
    belley = Site.objects.get(name="Permanence France Services Belley")
    assert [p.name for p in belley.host_partners.all()] == [
        "France Services de Belley (bureau de poste)"
    ]
    assert Site.objects.filter(host_partners__isnull=False).count() == 2
    ccas = demo.get(name="CCAS de Bourg-en-Bresse")
    assert GroupAction.objects.filter(directory_partners=ccas).exists()
    cpam = demo.get(name="CPAM du Rhône – service social")
    journee = GroupAction.objects.get(directory_partners=cpam, type="JOURNEE_SANTE")
    assert journee.partners == "mutuelles, centre d'examens de santé"  # le reste, en texte
    assert Session.objects.filter(partner=ccas, partner_place="Salle 2").exists()
    assert Referral.objects.filter(emitter_partner__isnull=False).exists()
    assert Referral.objects.filter(emitter_partner__isnull=True).exclude(emitter_name="").exists()
    assert FrontLineContact.objects.filter(oriented_to__kind="CCAS").exists()
    assert not FrontLineContact.objects.filter(answer="ORIENTATION", oriented_to=None).exists()
    evaluations = Evaluation.objects.filter(convention__partner__name=partners_demo.ANGDM)
    assert evaluations.exists()
    assert Transmission.objects.filter(recipient_partner__name=partners_demo.ANGDM).exists() or (
        not Transmission.objects.filter(evaluation__in=evaluations).exists()
    )
