"""Consentements : enregistrement, retrait, couverture d'un partage, droits et pages."""

import datetime

import pytest
from django.urls import reverse

from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.sharing import queries
from parcours.sharing.models import Consent, Disclosure
from parcours.sharing.services import consents as services
from tests.conftest import login_as
from tests.factories import UserFactory, make_person
from tests.partners.factories import make_partner

pytestmark = pytest.mark.django_db


def consent(person, worker, partner, **kw):
    args = {
        "actor": worker,
        "person": person,
        "categories": ["IDENTITE", "SITUATION"],
        "purpose": "Maintien dans l'emploi",
        "given_on": datetime.date(2026, 11, 20),
        "method": "ECRIT",
        "given_by": "PERSONNE",
        "partners": [partner],
    } | kw
    return services.record_consent(**args)


def test_record_consent_is_audited(person, worker, partner):
    c = consent(person, worker, partner)
    assert c.categories == ["IDENTITE", "SITUATION"]
    assert list(c.partners.all()) == [partner]
    entry = AuditEntry.objects.get(object_type="consent", object_id=str(c.pk))
    assert entry.action == "CREATE" and entry.person_id == person.pk


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"categories": []}, "categories"),
        ({"categories": ["NIR"]}, "categories"),
        ({"partners": []}, "partners"),
        ({"given_on": datetime.date(2026, 12, 4)}, "given_on"),
        ({"given_by": "REPRESENTANT"}, "representative_name"),
        ({"method": "PIGEON"}, "method"),
        ({"purpose": "  "}, "purpose"),
    ],
)
def test_bad_consents_are_refused_in_french(person, worker, partner, kw, field):
    with pytest.raises(BusinessError) as error:
        consent(person, worker, partner, **kw)
    assert field in error.value.errors
    assert not Consent.objects.exists()


def test_a_partner_of_another_directory_or_the_own_organisation_is_refused(
    person, worker, partner, other_org, org
):
    foreign = make_partner(org=other_org, actor=None, name="Ailleurs")
    with pytest.raises(BusinessError, match="annuaire"):
        consent(person, worker, partner, partners=[foreign])
    with pytest.raises(BusinessError, match="n'a pas à être destinataire"):
        consent(person, worker, partner, partners=[], organisations=[org])


def test_withdrawal_cuts_coverage_the_same_day(person, worker, partner, today):
    c = consent(person, worker, partner)
    services.ensure_covered(
        basis="CONSENTEMENT", categories=["IDENTITE"], consent=c, person=person, partner=partner
    )
    assert list(queries.active_consents(person, today, partner=partner)) == [c]
    services.withdraw_consent(actor=worker, consent=c, reason="À la demande de la personne")
    c.refresh_from_db()
    assert c.withdrawn_on == today
    assert not queries.active_consents(person, today, partner=partner).exists()
    with pytest.raises(BusinessError, match="retiré"):
        services.ensure_covered(
            basis="CONSENTEMENT", categories=["IDENTITE"], consent=c, person=person, partner=partner
        )
    with pytest.raises(BusinessError, match="déjà retiré"):
        services.withdraw_consent(actor=worker, consent=c)


def test_withdrawal_dates(person, worker, partner, today):
    c = consent(person, worker, partner)
    with pytest.raises(BusinessError, match="aujourd'hui au plus tard"):
        services.withdraw_consent(actor=worker, consent=c, on=today + datetime.timedelta(days=1))
    with pytest.raises(BusinessError, match="précéder"):
        services.withdraw_consent(actor=worker, consent=c, on=datetime.date(2026, 11, 19))


def test_coverage_names_the_recipient_and_each_category(person, worker, partner, org):
    other_partner = make_partner(org=org, actor=worker, name="MDPH de l'Ain")
    c = consent(person, worker, partner)
    with pytest.raises(BusinessError, match="ne nomme pas ce destinataire"):
        services.ensure_covered(
            basis="CONSENTEMENT",
            categories=["IDENTITE"],
            consent=c,
            person=person,
            partner=other_partner,
        )
    with pytest.raises(BusinessError, match="ne couvre pas"):
        services.ensure_covered(
            basis="CONSENTEMENT",
            categories=["EVALUATION"],
            consent=c,
            person=person,
            partner=partner,
        )
    someone_else = make_person(org=org, actor=worker)
    with pytest.raises(BusinessError, match="pas celui de cette personne"):
        services.ensure_covered(
            basis="CONSENTEMENT",
            categories=["IDENTITE"],
            consent=c,
            person=someone_else,
            partner=partner,
        )
    assert services.ensure_covered(
        basis="MISSION_LEGALE",
        categories=["EVALUATION"],
        consent=None,
        person=person,
        partner=other_partner,
    ) == ["EVALUATION"]


def test_disclosure_to_another_organisation_is_journaled_on_both_sides(
    person, worker, partner, other_org
):
    c = consent(person, worker, partner, partners=[], organisations=[other_org])
    d = services.record_disclosure(
        actor=worker,
        person=person,
        basis="CONSENTEMENT",
        consent=c,
        categories=["IDENTITE"],
        obj=c,
        label="Parcours partagé ouvert",
        organisation=other_org,
    )
    assert d.recipient == other_org
    sides = set(
        AuditEntry.objects.filter(object_type="disclosure", object_id=str(d.pk)).values_list(
            "organisation_id", flat=True
        )
    )
    assert sides == {person.organisation_id, other_org.pk}
    services.record_cross_read(actor=worker, obj=d, person=person, summary="Lecture")
    reads = AuditEntry.objects.filter(action="READ", object_type="disclosure")
    assert {r.organisation_id for r in reads} == {worker.organisation_id, person.organisation_id}


# --- Pages et droits ---------------------------------------------------------------------------


def test_the_sharing_tab_lists_consents_and_disclosures(client, person, worker, partner):
    c = consent(person, worker, partner)
    services.record_disclosure(
        actor=worker,
        person=person,
        basis="CONSENTEMENT",
        consent=c,
        categories=["IDENTITE"],
        obj=c,
        label="Orientation vers Cap emploi",
        partner=partner,
    )
    login_as(client, worker)
    html = client.get(reverse("personne-partages", args=[person.pk])).content.decode()
    assert "Maintien dans l&#x27;emploi" in html or "Maintien dans l'emploi" in html
    assert "Orientation vers Cap emploi" in html
    assert "En vigueur" in html
    assert (
        reverse("personne-partages", args=[person.pk])
        in client.get(reverse("personne", args=[person.pk])).content.decode()
    )


def test_record_and_withdraw_through_the_pages(client, person, worker, partner, today):
    login_as(client, worker)
    url = reverse("consentement-nouveau", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 200
    bad = client.post(url, {"given_by": "PERSONNE", "method": "ECRIT", "given_on": "2026-11-20"})
    assert bad.status_code == 422
    assert "Nommez au moins un destinataire" in bad.content.decode()
    assert not Consent.objects.exists()
    good = client.post(
        url,
        {
            "given_by": "PERSONNE",
            "method": "ORAL",
            "given_on": "2026-11-20",
            "purpose": "Orientation",
            "categories": ["IDENTITE"],
            "partners": [partner.pk],
        },
    )
    assert good.status_code == 302
    c = Consent.objects.get()
    response = client.post(
        reverse("consentement-retirer", args=[c.pk]), {"on": "2026-12-03", "reason": ""}
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.withdrawn_on == today
    late = client.post(reverse("consentement-retirer", args=[c.pk]), {"on": "2026-12-03"})
    assert late.status_code == 422
    assert "déjà retiré" in late.content.decode()


@pytest.mark.parametrize(
    ("traits", "sees"),
    [
        ({"social_worker": True}, True),
        ({"front_line": True}, True),
        ({"manager": True}, True),
        ({"steering": True}, False),
        ({"admin": True}, False),
    ],
)
def test_who_sees_the_sharing_tab(client, org, person, worker, partner, traits, sees):
    c = consent(person, worker, partner)
    user = UserFactory(organisation=org, departements=["01"], **traits)
    login_as(client, user)
    pages = [
        client.get(reverse("personne-partages", args=[person.pk])),
        client.get(reverse("consentement-nouveau", args=[person.pk])),
    ]
    assert all(p.status_code == (200 if sees else 404) for p in pages)
    withdraw = client.post(reverse("consentement-retirer", args=[c.pk]), {"on": "2026-12-03"})
    assert withdraw.status_code == (302 if sees else 404)


def test_out_of_scope_is_404(client, org, other_org, person, worker, partner):
    c = consent(person, worker, partner)
    for user in (
        UserFactory(organisation=other_org, social_worker=True, departements=["01"]),
        UserFactory(organisation=org, social_worker=True, departements=["69"]),
    ):
        login_as(client, user)
        assert client.get(reverse("personne-partages", args=[person.pk])).status_code == 404
        assert (
            client.post(reverse("consentement-retirer", args=[c.pk]), {"on": "2026-12-03"})
        ).status_code == 404
    assert Disclosure.objects.count() == 0
    c.refresh_from_db()
    assert c.withdrawn_on is None


def test_the_tab_lists_incoming_referrals_to_those_who_see_them(client, org, person, worker):
    from parcours.outreach.services.referrals import record_referral

    record_referral(
        actor=worker,
        person=person,
        emitter="SANTE_TRAVAIL",
        received_on=datetime.date(2026, 11, 2),
        reason="Arrêt long, reprise incertaine",
        programme="PDP",
    )
    url = reverse("personne-partages", args=[person.pk])
    login_as(client, worker)
    assert "Arrêt long, reprise incertaine" in client.get(url).content.decode()
    login_as(client, UserFactory(organisation=org, front_line=True, departements=["01"]))
    html = client.get(url).content.decode()
    assert "Arrêt long" not in html
    assert "Aucun signalement reçu visible à votre fonction" in html
