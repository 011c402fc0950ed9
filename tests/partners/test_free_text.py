"""Reprise des textes libres vers l'annuaire (``partners.free_text.link_free_texts``, la
fonction qu'appelle la migration ``partners/0003``), sur de vraies lignes."""

import datetime

import pytest
from django.apps import apps

from parcours.aid.models import Transmission
from parcours.core import clock
from parcours.core.models import Site
from parcours.groups.models import GroupAction, Session
from parcours.outreach import services as outreach
from parcours.outreach.models import FrontLineContact, Referral
from parcours.partners.free_text import link_free_texts
from parcours.partners.models import Partner
from tests.aid.factories import make_evaluation
from tests.factories import UserFactory, make_person
from tests.groups.factories import make_action, make_session

pytestmark = pytest.mark.django_db

ALL_C = dict.fromkeys(["COH", "ORI", "TOI", "HAB", "ALI", "ELI", "TRA", "DPI", "DPE", "COM"], "C")


def _rows(org, *, emitter="", orientation="", action_partners="", facilitators="", place=""):
    """Une ligne par champ libre de ``org``, chacune avec le texte donné."""
    worker = UserFactory(organisation=org, social_worker=True, departements=["01"])
    person = make_person(org=org, actor=worker, departement="01", last_name="Texte")
    with clock.frozen(datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)):
        referral = outreach.record_referral(
            actor=worker,
            person=person,
            emitter="CCAS",
            received_on=datetime.date(2026, 1, 2),
            reason="Isolement",
            programme="BIEN_VIEILLIR",
            emitter_name=emitter,
        )
        contact = outreach.record_front_line_contact(
            actor=worker,
            channel="TELEPHONE",
            reason="Question",
            answer="ORIENTATION" if orientation else "INFORMATION",
            departement_id="01",
            person=person,
            partner=orientation,
        )
        evaluation = make_evaluation(person=person, actor=worker, grid=ALL_C)
    action = make_action(org=org, actor=worker)
    GroupAction.objects.filter(pk=action.pk).update(
        partners=action_partners, partner_facilitators=facilitators
    )
    session = make_session(action=action, actor=worker)
    Session.objects.filter(pk=session.pk).update(partner_place=place)
    transmission = Transmission.objects.create(
        organisation=org,
        evaluation=evaluation,
        recipient="Conseil départemental — Ain",
        sent_on=datetime.date(2026, 6, 15),
        deadline=datetime.date(2026, 8, 15),
        sent_by=worker,
    )
    site = Site.objects.create(
        organisation=org,
        name="Permanence Belley",
        kind=Site.Kind.PERMANENCE_PARTENAIRE,
        departement_id="01",
        partner="France Services  de Belley",
    )
    return {
        "referral": referral,
        "contact": contact,
        "action": action,
        "session": session,
        "transmission": transmission,
        "site": site,
    }


def _reload(rows):
    return {
        "referral": Referral.objects.get(pk=rows["referral"].pk),
        "contact": FrontLineContact.objects.get(pk=rows["contact"].pk),
        "action": GroupAction.objects.get(pk=rows["action"].pk),
        "session": Session.objects.get(pk=rows["session"].pk),
        "transmission": Transmission.objects.get(pk=rows["transmission"].pk),
        "site": Site.objects.get(pk=rows["site"].pk),
    }


def test_distinct_texts_become_one_partner_each_deduplicated_across_fields(org):
    existing = Partner.objects.create(organisation=org, kind="CLIC", name="CLIC du Bugey")
    rows = _rows(
        org,
        emitter="C.C.A.S. de Belley",
        orientation="ccas de  belley",
        action_partners="CCAS de Belley, clic du bugey ; Hôpital de Belley",
        facilitators="Dr Martin (service médical)",
        place="Maison des services",
    )
    counts = link_free_texts(apps)
    assert counts == {
        "partenaires_crees": 6,
        "lieux": 1,
        "actions_partenaires": 1,
        "actions_intervenants": 1,
        "seances": 1,
        "signalements": 1,
        "contacts_accueil": 1,
        "transmissions": 1,
        "conventions": 0,  # le modèle des aides n'existe plus dans le registre courant
    }
    created = Partner.objects.filter(organisation=org, to_verify=True)
    # le nom : la première écriture rencontrée (lieux, actions, séances, signalements…)
    assert sorted(created.values_list("name", "kind")) == [
        ("CCAS de Belley", "CCAS"),
        ("Conseil départemental — Ain", "DEPARTEMENT"),
        ("Dr Martin (service médical)", "AUTRE"),
        ("France Services de Belley", "FRANCE_SERVICES"),
        ("Hôpital de Belley", "ETABLISSEMENT_SANTE"),
        ("Maison des services", "AUTRE"),
    ]
    ccas = created.get(kind="CCAS")
    # les écritures qui ont mené à lui, une par ligne, sans doublon
    assert set(ccas.origin_text.splitlines()) == {
        "C.C.A.S. de Belley",
        "ccas de belley",
        "CCAS de Belley",
    }
    existing.refresh_from_db()
    assert not existing.to_verify and existing.origin_text == ""  # l'annuaire : intact
    after = _reload(rows)
    assert (after["referral"].emitter_partner, after["referral"].emitter_name) == (ccas, "")
    assert (after["contact"].oriented_to, after["contact"].partner) == (ccas, "")
    assert set(after["action"].directory_partners.all()) == {
        ccas,
        existing,
        created.get(kind="ETABLISSEMENT_SANTE"),
    }
    assert after["action"].partners == ""
    assert [p.name for p in after["action"].facilitator_partners.all()] == [
        "Dr Martin (service médical)"
    ]
    assert after["session"].partner.name == "Maison des services"
    assert after["session"].partner.kind == "AUTRE"
    assert after["session"].partner_place == ""
    # le destinataire d'une transmission reste ce qu'a porté le courrier
    assert after["transmission"].recipient == "Conseil départemental — Ain"
    assert after["transmission"].recipient_partner.kind == "DEPARTEMENT"
    # le lieu garde son texte (``core`` ignore l'annuaire), le lien est du côté du partenaire
    assert after["site"].partner == "France Services  de Belley"
    assert list(after["site"].host_partners.all()) == [created.get(kind="FRANCE_SERVICES")]
    assert created.get(kind="FRANCE_SERVICES").name == "France Services de Belley"


def test_empty_texts_link_nothing_and_a_second_run_changes_nothing(org):
    rows = _rows(org)
    Site.objects.filter(pk=rows["site"].pk).update(partner="")
    Transmission.objects.filter(pk=rows["transmission"].pk).update(recipient="")
    counts = link_free_texts(apps)
    assert counts["partenaires_crees"] == 0 and sum(counts.values()) == 0
    after = _reload(rows)
    assert after["referral"].emitter_partner is None and after["referral"].emitter_name == ""
    assert after["session"].partner is None
    assert not Partner.objects.exists()
    rows2 = _rows(org, emitter="Centre hospitalier")
    link_free_texts(apps)
    first = list(Partner.objects.values_list("pk", "name", "origin_text"))
    assert link_free_texts(apps)["partenaires_crees"] == 0
    assert list(Partner.objects.values_list("pk", "name", "origin_text")) == first
    assert Referral.objects.get(pk=rows2["referral"].pk).emitter_partner.name == (
        "Centre hospitalier"
    )


def test_each_organisation_gets_its_own_partners(org, other_org):
    mine = _rows(org, emitter="CCAS de Belley")
    theirs = _rows(other_org, emitter="CCAS de Belley", orientation="Cap emploi 01")
    Partner.objects.create(organisation=other_org, kind="CCAS", name="CCAS  de BELLEY")
    link_free_texts(apps)
    my_ccas = Referral.objects.get(pk=mine["referral"].pk).emitter_partner
    their_ccas = Referral.objects.get(pk=theirs["referral"].pk).emitter_partner
    assert my_ccas.organisation_id == org.pk and my_ccas.to_verify
    # l'autre organisme avait déjà ce partenaire : il est repris, pas recréé
    assert their_ccas.organisation_id == other_org.pk and not their_ccas.to_verify
    assert their_ccas.name == "CCAS  de BELLEY"
    assert Partner.objects.filter(organisation=org).count() == 3  # CCAS, département, France S.
    cap = FrontLineContact.objects.get(pk=theirs["contact"].pk).oriented_to
    assert (cap.organisation_id, cap.kind) == (other_org.pk, "CAP_EMPLOI")
    assert not Partner.objects.filter(organisation=org, kind="CAP_EMPLOI").exists()


def test_only_the_organisations_asked(org, other_org):
    _rows(org, emitter="CCAS de Belley")
    _rows(other_org, emitter="CCAS de Belley")
    link_free_texts(apps, organisation_ids=[other_org.pk])
    assert set(Partner.objects.values_list("organisation_id", flat=True)) == {other_org.pk}
