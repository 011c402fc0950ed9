"""Pages des aides : parcours complet au client de test, PDF relus, export CSV."""

import datetime
import io
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from pypdf import PdfReader

from parcours.aid import services
from parcours.aid.models import AidRequest, Evaluation
from parcours.rules import aid_workflow as wf
from tests.aid.factories import ALL_C, aid, make_evaluation, ready_request
from tests.conftest import login_as
from tests.pdf_checks import assert_tagged_pdf

pytestmark = pytest.mark.django_db
D = Decimal


def html(response):
    return unescape(response.content.decode())


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    assert_tagged_pdf(response.content)  # PDF/UA-1 : balisé, langue du document
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    return " ".join(text.split())


GRID_POST = {
    v.lower(): "A" for v in ["COH", "ORI", "TOI", "HAB", "ALI", "ELI", "TRA", "DPI", "DPE", "COM"]
}


def test_full_journey_evaluation_request_decision_letter(client, world):
    person = world["here"]
    login_as(client, world["as01"])
    assert "Aides et évaluations" in html(client.get(reverse("aides")))
    found = html(client.post(reverse("aides"), {"q": "Ici"}))
    assert reverse("aides-personne", args=[person.pk]) in found

    page = client.get(reverse("aide-evaluation-nouvelle", args=[person.pk]))
    assert "Cohérence : converser et se comporter de façon sensée" in html(page)
    response = client.post(
        reverse("aide-evaluation-nouvelle", args=[person.pk]),
        GRID_POST
        | {
            "toi": "B",
            "evaluated_on": "2026-06-10",
            "kind": "PREMIERE_DEMANDE",
            "place": "DOMICILE",
            "situation": "Vit seule.",
            "plan_AIDE_MENAGERE": "10",
            "plan_PORTAGE_REPAS": "3",
        },
    )
    evaluation = Evaluation.objects.get(person=person)
    assert response.status_code == 302 and evaluation.gir == 5
    detail = html(client.get(response["Location"]))
    assert (
        "GIR 5 (rang 12)" in detail and "Caisse de retraite (plan d'actions personnalisé)" in detail
    )
    assert "Portage de repas (repas par semaine)" in detail

    response = client.post(
        reverse("aide-demande-nouvelle", args=[person.pk]),
        {
            "aid": aid(world["org"], "carsat-pap").pk,
            "received_on": "2026-06-11",
            "channel": "TRAVAILLEUR_SOCIAL",
            "evaluation": evaluation.pk,
            "regime": "REGIME_GENERAL",
            "monthly_income": "1450",
            "hours": "10",
            "children": "0",
        },
    )
    assert response.status_code == 302, html(response)
    request = AidRequest.objects.get(person=person)
    assert (request.eligible, request.proposed_amount) == (True, D("161.85"))  # 249 − 35 %
    page = html(client.get(response["Location"]))
    assert "éligible, 161,85 €" in page
    assert "10 h × 24,90 € = 249 €, moins la participation de 35 % (87,15 €) : 161,85 €." in page

    assert client.post(reverse("aide-complete", args=[request.pk])).status_code == 302
    bad = client.post(reverse("aide-avis", args=[request.pk]), {"favourable": "1"})
    assert bad.status_code == 422 and "Ce champ est obligatoire." in html(bad)
    client.post(
        reverse("aide-avis", args=[request.pk]), {"favourable": "1", "opinion": "Besoin réel."}
    )
    request.refresh_from_db()
    assert (request.state, request.route) == (wf.AVIS_RENDU, wf.DELEGATION)
    # l'AS ne décide pas
    assert client.post(reverse("aide-decision", args=[request.pk]), {}).status_code == 404

    login_as(client, world["manager01"])
    page = html(client.get(reverse("aide-demande", args=[request.pk])))
    assert "Décision déléguée (plafond : 1\u202f500 €)" in page
    over = client.post(
        reverse("aide-decision", args=[request.pk]),
        {"decision": "accorder", "amount": "1600", "reason": "Trop."},
    )
    assert over.status_code == 422
    assert "Au-delà du plafond de délégation (1 500 €)" in html(over).replace("\u202f", " ")
    response = client.post(
        reverse("aide-decision", args=[request.pk]),
        {"decision": "accorder", "amount": "161.85", "reason": "Plan validé."},
    )
    assert response.status_code == 302
    letter = pdf_text(client.get(reverse("aide-notification-pdf", args=[request.pk])))
    assert "Notification de décision" in letter
    assert "accordée pour un montant de 161,85 €" in letter
    assert "Voies de recours" in letter and "deux mois" in letter
    client.post(reverse("aide-notifiee", args=[request.pk]))
    response = client.post(
        reverse("aide-paiement", args=[request.pk]),
        {"amount": "161.85", "paid_on": "2026-06-15", "payee": "PRESTATAIRE", "payee_name": "ADMR"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.notified_on) == (wf.PAYEE, datetime.date(2026, 6, 15))
    export = client.get(reverse("aides-paiements-csv") + "?annee=2026").content.decode()
    assert export.splitlines() == [
        "date_paiement;demande_id;aide_code;ligne_budgetaire;montant;paye_a;nom;prenom;prestataire",
        f"2026-06-15;{request.pk};carsat-pap;MAINTIEN_DOMICILE;161.85;PRESTATAIRE;Ici;Claire;ADMR",
    ]


def test_transmission_letter(client, world):
    evaluation = make_evaluation(person=world["here"], actor=world["as01"], grid=ALL_C)
    login_as(client, world["as01"])
    assert "Conseil départemental — Ain" in html(
        client.get(reverse("aide-evaluation", args=[evaluation.pk]))
    )
    assert client.get(reverse("aide-transmission-pdf", args=[evaluation.pk])).status_code == 404
    client.post(reverse("aide-transmission", args=[evaluation.pk]))
    text = pdf_text(client.get(reverse("aide-transmission-pdf", args=[evaluation.pk])))
    assert "GIR 1" in text and "jusqu'au 15/08/2026" in text
    assert "Aide à domicile (heures par mois)" in text


def test_commission_pages_and_pdfs(client, world):
    request = ready_request(person=world["here"], actor=world["as01"])  # 500 € : commission
    login_as(client, world["manager01"])
    response = client.post(
        reverse("aides-commissions"), {"departement": "01", "held_on": "2026-06-30"}
    )
    assert response.status_code == 302
    session_url = response["Location"]
    page = html(client.get(session_url))
    assert "1 dossier(s) à l'ordre du jour" in page
    session_pk = int(session_url.rstrip("/").split("/")[-1])
    agenda = pdf_text(
        client.get(reverse("aide-commission-pdf", args=[session_pk, "ordre-du-jour"]))
    )
    assert "ordre du jour" in agenda and "Secours d'urgence" in agenda
    response = client.post(
        reverse("aide-commission-decision", args=[session_pk, request.pk]),
        {f"d{request.pk}-decision": "refuser", f"d{request.pk}-reason": "Autres aides mobilisées."},
    )
    assert response.status_code == 302
    client.post(reverse("aide-commission-cloture", args=[session_pk]))
    minutes = pdf_text(
        client.get(reverse("aide-commission-pdf", args=[session_pk, "proces-verbal"]))
    )
    assert "Refusée" in minutes and "Autres aides mobilisées." in minutes
    letter = pdf_text(client.get(reverse("aide-notification-pdf", args=[request.pk])))
    assert "commission d'action sanitaire et sociale" in letter and "n'est pas accordée" in letter


def test_simulator_lists_every_aid_with_reasons(client, world):
    login_as(client, world["as01"])
    page = html(
        client.post(
            reverse("aides-simulateur"),
            {
                "on": "2026-06-15",
                "age": "30",
                "channel": "TRAVAILLEUR_SOCIAL",
                "regime": "MSA",
                "family_quotient": "450",
                "children": "2",
                "severe_poverty": "on",
                "event": "NAISSANCE",
                "event_on": "2026-05-20",
                "births": "1",
            },
        )
    )
    assert "1\u202f300 €" in page
    assert "Prime de naissance" in page and "Naissance le 20/05/2026, dans les 6 mois." in page
    assert "Mutualité sociale agricole : l'aide est réservée à : Régime général." in page
    missing_date = client.post(
        reverse("aides-simulateur"),
        {"on": "2026-06-15", "event": "NAISSANCE", "regime": "MSA", "channel": "PERSONNE"},
    )
    assert "Indiquez la date de l'événement." in html(missing_date)


def test_catalogue_edition_with_preview_by_org_admin(client, world):
    from tests.factories import UserFactory

    admin = UserFactory(organisation=world["org"], admin=True, departements=[])
    login_as(client, admin)
    target = aid(world["org"], "msa-prime-naissance")
    url = reverse("aides-aide-edition", args=[target.pk])
    assert client.get(url).status_code == 200
    data = {
        "aide-code": target.code,
        "aide-name": target.name,
        "aide-source": "MSA",
        "aide-form": "SUBVENTION",
        "aide-conditions": '{"regimes": ["MSA"]}',
        "aide-amount_rule": '{"type": "fixe", "montant": "300"}',
        "aide-documents": "Acte",
        "aide-budget_code": "FAMILLE",
        "aide-delegation_ceiling": "300",
        "apercu-on": "2026-06-15",
        "apercu-regime": "MSA",
        "apercu-channel": "PERSONNE",
        "apercu": "1",
    }
    page = html(client.post(url, data))
    assert "Cette personne obtiendrait 300 €, parce que :" in page
    target.refresh_from_db()
    assert target.amount_rule["montant"] == "250"  # l'aperçu n'enregistre rien
    bad = html(client.post(url, data | {"aide-amount_rule": "{pas du json"}))
    assert "JSON invalide (ligne 1, colonne 2)." in bad
    del data["apercu"]
    assert client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert target.amount_rule == {"type": "fixe", "montant": "300"}
    overlap = client.post(
        reverse("aides-reglement-nouveau"), {"label": "X", "starts_on": "2026-03-01"}
    )
    assert overlap.status_code == 422 and "chevauchent la version du 01/01/2026" in html(overlap)


def test_figures_page(client, world):
    request = ready_request(
        person=world["here"],
        actor=world["as01"],
        code="cpam-aide-precarite",
        facts={"monthly_income": D("800")},
    )
    services.decide(
        actor=world["manager01"], request=request, decision="accorder", amount=D("300"), reason="ok"
    )
    login_as(client, world["manager01"])
    page = html(client.get(reverse("aides-chiffres") + "?annee=2026"))
    assert (
        "Secours et aides financières" in page and '<td class="fr-cell--right">300 €</td>' in page
    )
    assert "Jusqu'à la décision" in page


def test_overpayment_pages_and_new_version(client, world):
    request = ready_request(
        person=world["here"],
        actor=world["as01"],
        code="cpam-aide-precarite",
        facts={"monthly_income": D("800")},
    )
    services.decide(
        actor=world["manager01"], request=request, decision="accorder", amount=D("300"), reason="ok"
    )
    services.record_payment(
        actor=world["manager01"],
        request=request,
        amount=D("300"),
        paid_on=datetime.date(2026, 6, 15),
        payee="PERSONNE",
    )
    login_as(client, world["manager01"])
    response = client.post(
        reverse("aide-indu", args=[request.pk]), {"amount": "100", "reason": "Doublon"}
    )
    assert response.status_code == 302
    overpayment = request.overpayments.get()
    client.post(reverse("aide-recouvrement", args=[request.pk, overpayment.pk]), {"amount": "40"})
    page = html(client.get(reverse("aide-demande", args=[request.pk])))
    assert "indu de 100 € (Doublon) — recouvré : 40 €" in page
    assert "recouvrés à ce jour : 40 € (40,0 %)" in html(client.get(reverse("aides-chiffres")))
    # l'AS ne gère pas les indus
    login_as(client, world["as01"])
    assert client.post(reverse("aide-indu", args=[request.pk]), {}).status_code == 404

    from tests.factories import UserFactory

    login_as(client, UserFactory(organisation=world["org"], admin=True, departements=[]))
    current = request.aid.regulation
    response = client.post(
        reverse("aides-version-suivante", args=[current.pk]),
        {"suivante-label": "Règlement du 1er juillet", "suivante-starts_on": "2026-07-01"},
    )
    assert response.status_code == 302
    page = html(client.get(reverse("aides-catalogue")))
    assert "Règlement du 1er juillet (du 01/07/2026)" in page
    assert "(du 01/01/2026 au 30/06/2026)" in page


def test_org_admin_adds_an_aid_to_a_version(client, world):
    from parcours.aid.models import Aid, Regulation
    from tests.factories import UserFactory

    regulation = Regulation.objects.get(organisation=world["org"], ends_on__isnull=True)
    login_as(client, UserFactory(organisation=world["org"], admin=True, departements=[]))
    url = reverse("aides-aide-nouvelle", args=[regulation.pk])
    assert client.get(url).status_code == 200
    data = {
        "aide-code": "ccas-energie",
        "aide-name": "Aide à l'énergie",
        "aide-form": "SUBVENTION",
        "aide-conditions": '{"revenu_max": "1000"}',
        "aide-amount_rule": '{"type": "tranches", "tranches": [{"max": null, "montant": "150"}]}',
        "aide-documents": "Facture\nAvis d'imposition",
    }
    bad = client.post(url, data | {"aide-code": "caf-equipement-menager"})
    assert "Ce code existe déjà dans cette version du règlement." in html(bad)
    assert client.post(url, data).status_code == 302
    created = Aid.objects.get(regulation=regulation, code="ccas-energie")
    assert created.documents == ["Facture", "Avis d'imposition"]
    assert created.amount_rule["tranches"] == [{"max": None, "montant": "150"}]
    login_as(client, world["manager01"])
    assert client.get(url).status_code == 404


def test_displays_of_aid_files_are_logged(client, world):
    from parcours.core.models import AuditEntry

    evaluation = make_evaluation(person=world["here"], actor=world["as01"])
    login_as(client, world["as01"])
    client.get(reverse("aide-evaluation", args=[evaluation.pk]))
    client.get(reverse("aides-personne", args=[world["here"].pk]))
    reads = AuditEntry.objects.filter(action="READ", person_id=world["here"].pk)
    assert reads.count() == 2 and {e.actor_id for e in reads} == {world["as01"].pk}
