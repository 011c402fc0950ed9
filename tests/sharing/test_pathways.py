"""Parcours partagés entre organismes : ouverture sous consentement, ce que lit chaque
participant, étapes des deux côtés, synthèse versionnée, retrait du consentement, journal."""

import datetime

import pytest
from django.urls import reverse

from parcours.core.exceptions import BusinessError, ConflictError
from parcours.core.models import AuditEntry
from parcours.sharing import policies
from parcours.sharing.models import Disclosure, PathwaySynthesis, SharedPathway
from parcours.sharing.services import consents as consent_services
from parcours.sharing.services import pathways as services
from tests.conftest import login_as
from tests.factories import OrganisationFactory, UserFactory, make_case
from tests.partners.factories import make_partner

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 11, 20)
DAY = datetime.date(2026, 12, 3)


@pytest.fixture
def caf(db):
    return OrganisationFactory(code="caf-test", name="CAF de test", kind="CAF")


@pytest.fixture
def caf_worker(caf):
    return UserFactory(organisation=caf, social_worker=True, departements=["01"])


def give_consent(person, worker, organisations, categories=("IDENTITE", "ETAPES"), **kw):
    return consent_services.record_consent(
        actor=worker,
        person=person,
        categories=list(categories),
        purpose="Parcours séparation",
        given_on=ON,
        method="ECRIT",
        given_by="PERSONNE",
        organisations=organisations,
        **kw,
    )


def open_one(person, worker, caf, categories=("IDENTITE", "ETAPES"), consent=None, **kw):
    consent = consent or give_consent(person, worker, [caf])
    args = {
        "actor": worker,
        "person": person,
        "purpose": "SEPARATION",
        "consent": consent,
        "categories": list(categories),
        "referent": worker,
        "organisations": [caf],
    } | kw
    return services.open_pathway(**args)


def test_opening_records_a_disclosure_journaled_on_both_sides(person, worker, caf):
    pathway = open_one(person, worker, caf)
    assert pathway.categories == ["IDENTITE", "ETAPES"]
    disclosure = Disclosure.objects.get(object_type="sharedpathway")
    assert disclosure.recipient_organisation == caf
    assert disclosure.categories == ["IDENTITE", "ETAPES"]
    sides = set(
        AuditEntry.objects.filter(object_type="disclosure").values_list(
            "organisation_id", flat=True
        )
    )
    assert sides == {person.organisation_id, caf.pk}


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"categories": ["IDENTITE", "SYNTHESE"]}, "ne couvre pas"),
        ({"categories": ["IDENTITE", "SITUATION"]}, "ne partage pas"),
        ({"categories": []}, "au moins une catégorie"),
        ({"organisations": []}, "au moins un participant"),
        ({"purpose": "VACANCES"}, "objet du parcours"),
        ({"purpose": "AUTRE"}, "Nommez le parcours"),
    ],
)
def test_bad_openings_are_refused(person, worker, caf, kw, message):
    with pytest.raises(BusinessError, match=message):
        open_one(person, worker, caf, **kw)
    assert not SharedPathway.objects.exists()
    assert not Disclosure.objects.exists()


def test_a_participant_the_consent_does_not_name_is_refused(person, worker, caf):
    third = OrganisationFactory(code="cpam-test", kind="CPAM")
    consent = give_consent(person, worker, [caf])
    with pytest.raises(BusinessError, match="ne nomme pas"):
        open_one(person, worker, caf, consent=consent, organisations=[caf, third])
    assert not SharedPathway.objects.exists()
    pathway = open_one(person, worker, caf, consent=consent)
    with pytest.raises(BusinessError, match="ne nomme pas"):
        services.add_participant(actor=worker, pathway=pathway, organisation=third)
    assert list(pathway.organisations.all()) == [caf]


def test_withdrawn_consent_opens_nothing(person, worker, caf):
    consent = give_consent(person, worker, [caf])
    consent_services.withdraw_consent(actor=worker, consent=consent)
    with pytest.raises(BusinessError, match="retiré"):
        open_one(person, worker, caf, consent=consent)


def test_the_referent_belongs_to_an_organisation_of_the_pathway(person, worker, caf, caf_worker):
    stranger = UserFactory(organisation=OrganisationFactory(code="x"), social_worker=True)
    front = UserFactory(organisation=person.organisation, front_line=True)
    for referent in (stranger, front):
        with pytest.raises(BusinessError, match="référent"):
            open_one(person, worker, caf, referent=referent)
    assert open_one(person, worker, caf, referent=caf_worker).referent == caf_worker


def test_partner_participants_are_disclosed_too(person, worker, caf, org):
    partner = make_partner(org=org, actor=worker, name="CCAS de Bourg")
    consent = give_consent(person, worker, [caf], partners=[partner])
    pathway = open_one(person, worker, caf, consent=consent, partners=[partner])
    assert set(Disclosure.objects.values_list("partner_id", flat=True)) == {None, partner.pk}
    assert list(pathway.partners.all()) == [partner]


# --- Qui voit : rôles des deux organismes et d'un troisième ------------------------------------

ROLES = ["social_worker", "front_line", "manager", "steering", "admin"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("side", ["A", "B", "C"])
def test_every_role_of_both_organisations_and_a_third(client, person, worker, caf, side, role):
    pathway = open_one(person, worker, caf)
    organisation = {"A": person.organisation, "B": caf, "C": OrganisationFactory(code="c")}[side]
    user = UserFactory(organisation=organisation, departements=["01"], **{role: True})
    sees = side in "AB" and role in {"social_worker", "manager"}
    assert policies.visible_pathways(user).filter(pk=pathway.pk).exists() is sees
    login_as(client, user)
    urls = [
        reverse("parcours-partage", args=[pathway.pk]),
        reverse("parcours-partage-cloture", args=[pathway.pk]),
    ]
    detail = client.get(urls[0])
    assert detail.status_code == (200 if sees else 404)
    manages = sees and side == "A"
    assert client.get(urls[1]).status_code == (200 if manages else 404)
    step = client.post(
        reverse("parcours-partage-etape", args=[pathway.pk]),
        {"on": "2026-12-03", "kind": "RENDEZ_VOUS", "text": f"RDV {side} {role}"},
    )
    assert step.status_code == (302 if sees else 404)
    synthesis = client.post(
        reverse("parcours-partage-synthese", args=[pathway.pk]), {"text": "x", "version": 0}
    )
    assert synthesis.status_code == 404  # le référent seul
    close = client.post(urls[1], {"closed_on": "2026-12-03", "outcome": "Fin"})
    assert close.status_code == (302 if manages else 404)
    opens = client.get(reverse("parcours-partage-nouveau", args=[person.pk]))
    assert opens.status_code == (200 if manages else 404)
    opened = client.post(
        reverse("parcours-partage-nouveau", args=[person.pk]),
        {"consent": pathway.consent_id, "purpose": "PDP", "categories": ["ETAPES"]},
    )
    assert opened.status_code == (422 if manages else 404)  # sans participant
    participant = client.post(
        reverse("parcours-partage-participant", args=[pathway.pk]), {"organisation": caf.pk}
    )
    assert participant.status_code == 404  # clos (A), ou hors du périmètre
    assert SharedPathway.objects.count() == 1
    listing = client.get(reverse("parcours-partages"))
    assert listing.status_code == (200 if role in {"social_worker", "manager"} else 404)
    if listing.status_code == 200:
        assert (reverse("parcours-partage", args=[pathway.pk]) in listing.content.decode()) is sees


def test_departements_bound_what_b_sees_except_for_the_referent(person, worker, caf):
    far = UserFactory(organisation=caf, social_worker=True, departements=["69"])
    pathway = open_one(person, worker, caf)
    assert not policies.visible_pathways(far).filter(pk=pathway.pk).exists()
    other = open_one(person, worker, caf, referent=far)
    assert list(policies.visible_pathways(far)) == [other]


def test_b_reads_only_what_the_pathway_shares_never_the_case(
    client, person, worker, caf, caf_worker
):
    case = make_case(person=person, referent=worker, opened_on=datetime.date(2026, 1, 10))
    consent_services_synth = give_consent(person, worker, [caf], ["IDENTITE", "ETAPES", "SYNTHESE"])
    pathway = open_one(person, worker, caf, categories=["ETAPES"], consent=consent_services_synth)
    services.add_step(actor=worker, pathway=pathway, on=DAY,
                      kind="RENDEZ_VOUS", text="RDV CAF fixé")  # fmt: skip
    services.write_synthesis(
        actor=worker, pathway=pathway, text="Synthèse confidentielle", expected_version=0
    )
    login_as(client, caf_worker)
    html = client.get(reverse("parcours-partage", args=[pathway.pk])).content.decode()
    assert "RDV CAF fixé" in html
    assert "Synthèse confidentielle" not in html  # SYNTHESE non partagée par ce parcours
    assert person.last_name.upper() not in html  # IDENTITE non partagée
    assert (
        "Identité et coordonnées ne sont pas partagées" in html or "ne sont pas partagées" in html
    )
    assert client.get(reverse("accompagnement", args=[case.pk])).status_code == 404
    assert client.get(reverse("personne", args=[person.pk])).status_code == 404
    reads = AuditEntry.objects.filter(action="READ", object_type="sharedpathway")
    assert {r.organisation_id for r in reads} == {caf.pk, person.organisation_id}
    assert reads.get(organisation_id=person.organisation_id).person_id == person.pk
    assert reads.get(organisation_id=caf.pk).person_id is None


def test_withdrawal_cuts_b_at_once_and_a_keeps_the_pathway(client, person, worker, caf, caf_worker):
    pathway = open_one(person, worker, caf)
    login_as(client, caf_worker)
    url = reverse("parcours-partage", args=[pathway.pk])
    assert client.get(url).status_code == 200
    consent_services.withdraw_consent(actor=worker, consent=pathway.consent)
    assert client.get(url).status_code == 404
    assert url not in client.get(reverse("parcours-partages")).content.decode()
    step = client.post(
        reverse("parcours-partage-etape", args=[pathway.pk]),
        {"on": "2026-12-03", "kind": "AUTRE", "text": "après le retrait"},
    )
    assert step.status_code == 404
    assert not policies.visible_pathways(caf_worker).exists()
    assert list(policies.visible_pathways(worker)) == [pathway]
    login_as(client, worker)
    assert client.get(url).status_code == 200


def test_steps_from_both_sides_journaled_on_both_sides(person, worker, caf, caf_worker):
    pathway = open_one(person, worker, caf)
    a = services.add_step(actor=worker, pathway=pathway, on=DAY, kind="DEMARCHE", text="Appel")
    b = services.add_step(
        actor=caf_worker, pathway=pathway, on=DAY, kind="RENDEZ_VOUS", text="RDV CAF fixé"
    )
    assert (a.organisation_id, b.organisation_id) == (person.organisation_id, caf.pk)
    sides = set(
        AuditEntry.objects.filter(object_type="pathwaystep", object_id=str(b.pk)).values_list(
            "organisation_id", flat=True
        )
    )
    assert sides == {caf.pk, person.organisation_id}
    with pytest.raises(BusinessError, match="précéder"):
        services.add_step(
            actor=worker, pathway=pathway, on=datetime.date(2026, 1, 1), kind="AUTRE", text="x"
        )
    with pytest.raises(BusinessError, match="pas après"):
        services.add_step(
            actor=worker, pathway=pathway, on=datetime.date(2026, 12, 4), kind="AUTRE", text="x"
        )


def test_synthesis_is_versioned_by_the_referent_and_a_stale_save_conflicts(
    client, person, worker, caf, caf_worker
):
    consent = give_consent(person, worker, [caf], ["IDENTITE", "SYNTHESE"])
    pathway = open_one(person, worker, caf, consent=consent, categories=["IDENTITE", "SYNTHESE"])
    first = services.write_synthesis(actor=worker, pathway=pathway, text="V1", expected_version=0)
    second = services.write_synthesis(actor=worker, pathway=pathway, text="V2", expected_version=1)
    assert (first.version, second.version) == (1, 2)
    with pytest.raises(ConflictError) as conflict:
        services.write_synthesis(actor=worker, pathway=pathway, text="V2 bis", expected_version=1)
    assert conflict.value.current == second
    with pytest.raises(BusinessError, match="référent"):
        services.write_synthesis(actor=caf_worker, pathway=pathway, text="B", expected_version=2)
    login_as(client, worker)
    stale = client.post(
        reverse("parcours-partage-synthese", args=[pathway.pk]),
        {"text": "Ma version périmée", "version": 1},
    )
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "Ma version périmée" in html and "V2" in html
    assert PathwaySynthesis.objects.filter(pathway=pathway).count() == 2
    ok = client.post(
        reverse("parcours-partage-synthese", args=[pathway.pk]), {"text": "V3", "version": 2}
    )
    assert ok.status_code == 302
    login_as(client, caf_worker)
    page = client.get(reverse("parcours-partage", args=[pathway.pk])).content.decode()
    assert "V3" in page and "Version 2" in page and "Versions précédentes (2)" in page


def test_closing(person, worker, caf):
    pathway = open_one(person, worker, caf)
    with pytest.raises(BusinessError, match="issue"):
        services.close_pathway(actor=worker, pathway=pathway, closed_on=DAY, outcome=" ")
    with pytest.raises(BusinessError, match="précéder"):
        services.close_pathway(
            actor=worker, pathway=pathway, closed_on=datetime.date(2026, 1, 1), outcome="x"
        )
    closed = services.close_pathway(
        actor=worker, pathway=pathway, closed_on=datetime.date(2026, 12, 3), outcome="Relogée"
    )
    assert closed.state == "CLOS"
    with pytest.raises(BusinessError, match="clos"):
        services.add_step(actor=worker, pathway=closed, on=DAY, kind="AUTRE", text="x")


def test_open_pathway_pages(client, person, worker, caf, caf_worker):
    consent = give_consent(person, worker, [caf], ["IDENTITE", "ETAPES"])
    login_as(client, worker)
    url = reverse("parcours-partage-nouveau", args=[person.pk])
    choose = client.get(url)
    assert choose.status_code == 200
    assert f"?consentement={consent.pk}" in choose.content.decode()
    form = client.get(url, {"consentement": consent.pk}).content.decode()
    assert 'value="ETAPES"' in form and 'value="SYNTHESE"' not in form  # non couvert
    data = {
        "consent": consent.pk,
        "purpose": "SEPARATION",
        "categories": ["IDENTITE", "ETAPES"],
        "organisations": [caf.pk],
        "referent": caf_worker.pk,
    }
    bad = client.post(url, data | {"categories": ["SYNTHESE"]})
    assert bad.status_code == 422
    assert not SharedPathway.objects.exists()
    good = client.post(url, data)
    assert good.status_code == 302
    pathway = SharedPathway.objects.get()
    assert pathway.referent == caf_worker
    tab = client.get(reverse("personne-partages", args=[person.pk])).content.decode()
    assert reverse("parcours-partage", args=[pathway.pk]) in tab
    assert "Parcours séparation" in tab
    assert client.get(url, {"consentement": "abc"}).status_code == 400


def test_adding_a_participant_the_consent_names(client, person, worker, caf):
    cpam = OrganisationFactory(code="cpam-test", name="CPAM de test", kind="CPAM")
    consent = give_consent(person, worker, [caf, cpam])
    pathway = open_one(person, worker, caf, consent=consent)
    login_as(client, worker)
    page = client.get(reverse("parcours-partage", args=[pathway.pk])).content.decode()
    assert "CPAM de test" in page  # proposé : le consentement le nomme
    response = client.post(
        reverse("parcours-partage-participant", args=[pathway.pk]), {"organisation": cpam.pk}
    )
    assert response.status_code == 302
    assert set(pathway.organisations.all()) == {caf, cpam}
    assert Disclosure.objects.filter(recipient_organisation=cpam).count() == 1
    again = client.post(
        reverse("parcours-partage-participant", args=[pathway.pk]), {"organisation": cpam.pk}
    )
    assert again.status_code == 422
    cpam_worker = UserFactory(organisation=cpam, social_worker=True, departements=["01"])
    assert list(policies.visible_pathways(cpam_worker)) == [pathway]


def test_a_refused_step_from_b_is_a_journaled_read_too(client, person, worker, caf, caf_worker):
    pathway = open_one(person, worker, caf)
    login_as(client, caf_worker)
    refused = client.post(
        reverse("parcours-partage-etape", args=[pathway.pk]),
        {"on": "2026-12-03", "kind": "", "text": ""},
    )
    assert refused.status_code == 422
    reads = AuditEntry.objects.filter(action="READ", object_type="sharedpathway")
    assert {r.organisation_id for r in reads} == {caf.pk, person.organisation_id}
    assert not pathway.steps.exists()


def test_pathway_pages_do_not_query_per_row(client, person, worker, caf, caf_worker):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pathway = open_one(person, worker, caf)
    login_as(client, caf_worker)
    url = reverse("parcours-partage", args=[pathway.pk])

    def count(target):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(target).status_code == 200
        return len(queries)

    few_page, few_list = count(url), count(reverse("parcours-partages"))
    for i in range(8):
        services.add_step(actor=caf_worker, pathway=pathway, on=DAY, kind="AUTRE", text=f"{i}")
        open_one(person, worker, caf)
    assert count(url) == few_page
    # La liste journalise chaque parcours lu par un autre organisme (deux lignes chacun).
    assert count(reverse("parcours-partages")) == few_list + 8 * 2


def test_a_consent_recorded_from_the_opening_comes_back_to_it(client, person, worker, caf):
    login_as(client, worker)
    url = reverse("consentement-nouveau", args=[person.pk]) + "?suite=parcours"
    response = client.post(
        url,
        {
            "given_by": "PERSONNE",
            "method": "ORAL",
            "given_on": "2026-12-03",
            "purpose": "Parcours séparation",
            "categories": ["IDENTITE", "ETAPES"],
            "organisations": [caf.pk],
        },
    )
    consent = person.consents.get()
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("parcours-partage-nouveau", args=[person.pk]) + f"?consentement={consent.pk}"
    )
