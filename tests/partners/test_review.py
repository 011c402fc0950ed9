"""Les partenaires repris des textes libres : filtre « À vérifier », confirmation, fusion
(``services.merge_partners`` : chaque lien reporté, une ligne au journal, jamais entre deux
organismes), droits de chaque rôle."""

import datetime

import pytest
from django.urls import reverse

from parcours.aid.models import Transmission
from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry, Site
from parcours.groups.models import Session
from parcours.outreach import services as outreach
from parcours.outreach.models import FrontLineContact, Referral
from parcours.partners import services
from parcours.partners.models import Convention, Partner, PartnerContact
from tests.aid.factories import make_evaluation
from tests.conftest import login_as
from tests.factories import UserFactory, make_person
from tests.groups.factories import make_action, make_session
from tests.partners.factories import make_convention, make_partner

pytestmark = pytest.mark.django_db

ROLES = ["social_worker", "front_line", "secretary", "manager", "steering", "admin"]
REVIEW = {"manager", "admin"}
ALL_C = dict.fromkeys(["COH", "ORI", "TOI", "HAB", "ALI", "ELI", "TRA", "DPI", "DPE", "COM"], "C")


def _to_verify(org, name, kind="AUTRE", origin=""):
    return Partner.objects.create(
        organisation=org, kind=kind, name=name, to_verify=True, origin_text=origin or name
    )


@pytest.fixture
def linked(org, manager):
    """Un partenaire repris (« C.C.A.S. Belley ») désigné par chaque sorte de lien, et le
    partenaire de l'annuaire qu'il désigne vraiment."""
    source = _to_verify(org, "C.C.A.S. Belley", "CCAS", "C.C.A.S. Belley\nccas belley")
    target = make_partner(org=org, actor=manager, name="CCAS de Belley", territories=["01"])
    worker = UserFactory(organisation=org, social_worker=True, departements=["01"])
    person = make_person(org=org, actor=worker, departement="01")
    services.create_contact(actor=manager, partner=source, data={"name": "Mme Roux"})
    convention = make_convention(partner=source, actor=manager)
    site = Site.objects.create(
        organisation=org, name="Permanence", kind="PERMANENCE_PARTENAIRE", departement_id="01"
    )
    source.hosted_sites.add(site)
    with clock.frozen(datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)):
        referral = outreach.record_referral(
            actor=worker,
            person=person,
            emitter="CCAS",
            received_on=datetime.date(2026, 1, 2),
            reason="Isolement",
            programme="BIEN_VIEILLIR",
            emitter_partner=source,
        )
        contact = outreach.record_front_line_contact(
            actor=worker,
            channel="TELEPHONE",
            reason="Question",
            answer="ORIENTATION",
            departement_id="01",
            person=person,
            oriented_to=source,
        )
        evaluation = make_evaluation(person=person, actor=worker, grid=ALL_C)
    transmission = Transmission.objects.create(
        organisation=org,
        evaluation=evaluation,
        recipient="CCAS",
        recipient_partner=source,
        sent_on=datetime.date(2026, 6, 15),
        deadline=datetime.date(2026, 8, 15),
        sent_by=worker,
    )
    action = make_action(org=org, actor=worker)
    action.directory_partners.add(source, target)  # déjà les deux : une seule ligne après
    action.facilitator_partners.add(source)
    session = make_session(action=action, actor=worker)
    Session.objects.filter(pk=session.pk).update(partner=source)
    return {
        "source": source,
        "target": target,
        "convention": convention,
        "site": site,
        "referral": referral,
        "contact": contact,
        "transmission": transmission,
        "action": action,
        "session": session,
    }


def test_merge_repoints_every_link_and_writes_one_audit_row(manager, linked):
    source, target = linked["source"], linked["target"]
    source_pk = source.pk
    services.merge_partners(actor=manager, source=source, target=target)
    assert not Partner.objects.filter(pk=source_pk).exists()
    assert list(PartnerContact.objects.filter(partner=target).values_list("name", flat=True)) == [
        "Mme Roux"
    ]
    assert Convention.objects.get(pk=linked["convention"].pk).partner == target
    assert list(target.hosted_sites.all()) == [linked["site"]]
    assert Referral.objects.get(pk=linked["referral"].pk).emitter_partner == target
    assert FrontLineContact.objects.get(pk=linked["contact"].pk).oriented_to == target
    assert Transmission.objects.get(pk=linked["transmission"].pk).recipient_partner == target
    assert Session.objects.get(pk=linked["session"].pk).partner == target
    assert list(linked["action"].directory_partners.all()) == [target]
    assert list(linked["action"].facilitator_partners.all()) == [target]
    target.refresh_from_db()
    assert target.origin_text.splitlines() == ["C.C.A.S. Belley", "ccas belley"]
    assert not target.to_verify
    entry = AuditEntry.objects.get(
        object_type="partner", object_id=str(target.pk), summary__startswith="Partenaire « C."
    )
    assert entry.actor == manager
    assert entry.summary == (
        f"Partenaire « C.C.A.S. Belley » (n° {source_pk}) fusionné dans celui-ci (actions "
        "collectives : 2, contacts : 1, contacts d'accueil : 1, conventions : 1, séances : 1, "
        "signalements : 1, transmissions : 1)"
    )


def test_merge_refused_across_organisations_and_onto_itself(manager, foreign_manager, org):
    mine = _to_verify(org, "Mien")
    theirs = make_partner(org=foreign_manager.organisation, actor=foreign_manager, name="Autre")
    with pytest.raises(BusinessError) as error:
        services.merge_partners(actor=manager, source=mine, target=theirs)
    assert error.value.errors == {"target": "Les deux partenaires doivent être du même organisme."}
    with pytest.raises(BusinessError) as error:
        services.merge_partners(actor=manager, source=mine, target=mine)
    assert error.value.errors == {"target": "Choisissez un autre partenaire que celui-ci."}
    assert Partner.objects.filter(pk__in=[mine.pk, theirs.pk]).count() == 2
    assert not AuditEntry.objects.filter(summary__contains="fusionné").exists()


def test_confirm_writes_audit(manager, org):
    partner = _to_verify(org, "Mairie de Belley")
    services.confirm_partner(actor=manager, partner=partner)
    partner.refresh_from_db()
    assert not partner.to_verify
    entry = AuditEntry.objects.get(object_type="partner", summary="Partenaire vérifié")
    assert entry.changes == {"to_verify": {"avant": True, "apres": False}}


def test_filter_to_verify(client, manager, org):
    _to_verify(org, "Mairie de Belley")
    make_partner(org=org, actor=manager, name="CCAS de Bourg")
    login_as(client, manager)
    everything = client.get(reverse("partenaires"))
    assert {p.name for p in everything.context["page"]} == {"Mairie de Belley", "CCAS de Bourg"}
    assert "À vérifier seulement (1)" in everything.content.decode()
    only = client.get(reverse("partenaires"), {"a_verifier": "1"})
    assert [p.name for p in only.context["page"]] == ["Mairie de Belley"]
    assert client.get(reverse("partenaires"), {"a_verifier": "oui"}).status_code == 400


def test_merge_page_and_foreign_target_refused_with_422(client, manager, foreign_manager, org):
    source = _to_verify(org, "C.C.A.S. Bourg")
    target = make_partner(org=org, actor=manager, name="CCAS de Bourg")
    theirs = make_partner(org=foreign_manager.organisation, actor=foreign_manager, name="Autre")
    login_as(client, manager)
    url = reverse("partenaire-fusionner", args=[source.pk])
    page = client.get(url)
    assert page.status_code == 200
    options = {p.pk for p in page.context["form"].fields["target"].queryset}
    assert options == {target.pk}  # ni lui-même, ni l'autre organisme
    refused = client.post(url, {"target": theirs.pk})
    assert refused.status_code == 422
    assert refused.context["form"].errors["target"] == ["Choisissez un partenaire de l'annuaire."]
    assert Partner.objects.filter(pk=source.pk).exists()
    done = client.post(url, {"target": target.pk})
    assert done.status_code == 302 and done["Location"] == reverse("partenaire", args=[target.pk])
    assert not Partner.objects.filter(pk=source.pk).exists()
    # le partenaire d'un autre organisme : 404, en lecture comme en écriture
    other = reverse("partenaire-fusionner", args=[theirs.pk])
    assert client.get(other).status_code == 404
    assert client.post(other, {"target": target.pk}).status_code == 404
    assert client.post(reverse("partenaire-verifier", args=[theirs.pk])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_review_rights_by_role(client, org, manager, role):
    source = _to_verify(org, "C.C.A.S. Bourg")
    target = make_partner(org=org, actor=manager, name="CCAS de Bourg")
    user = UserFactory(organisation=org, departements=["01"], **{role: True})
    login_as(client, user)
    detail = client.get(reverse("partenaire", args=[source.pk])).content.decode()
    allowed = role in REVIEW
    assert ("Confirmer ce partenaire" in detail) is allowed
    assert (reverse("partenaire-fusionner", args=[source.pk]) in detail) is allowed
    merge = reverse("partenaire-fusionner", args=[source.pk])
    confirm = reverse("partenaire-verifier", args=[source.pk])
    assert client.get(merge).status_code == (200 if allowed else 404)
    if not allowed:
        assert client.post(merge, {"target": target.pk}).status_code == 404
        assert client.post(confirm).status_code == 404
        source.refresh_from_db()
        assert source.to_verify
    else:
        assert client.get(confirm).status_code == 405  # un envoi seulement
        assert client.post(confirm).status_code == 302
        source.refresh_from_db()
        assert not source.to_verify


def test_every_link_to_a_partner_is_known_to_the_merge():
    """Chaque clé étrangère ou relation vers ``Partner`` hors de l'annuaire est inscrite
    (``register_partner_reference``) : une nouvelle clé oubliée ferait échouer la fusion
    (PROTECT) ou perdre le lien (SET_NULL)."""
    from django.apps import apps

    found = {
        (model, field.name)
        for model in apps.get_models()
        if model._meta.app_label != "partners"
        for field in model._meta.get_fields()
        if getattr(field, "related_model", None) is Partner
        and (field.many_to_many or field.many_to_one)
        and not field.auto_created
    }
    registered = set(services.PARTNER_FOREIGN_KEYS) | set(services.PARTNER_MANY_TO_MANY)
    assert found == registered
    assert len(found) >= 10  # groups 3, outreach 2, aid 1, sharing 4
