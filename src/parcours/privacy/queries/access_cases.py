"""Export d'accès : ce que l'organisme tient des accompagnements et des entretiens d'une
personne (objectifs, événements, notes privées), des évaluations et des aides."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parcours.aid.models import AidRequest, Evaluation
from parcours.cases.models import Case, Contact, PrivateNote
from parcours.rules import aggir

if TYPE_CHECKING:
    from parcours.people.models import Person


def name_of(user) -> str:
    """Un agent par son nom ; « — » si le compte n'existe plus ou si c'est une commande."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def cases_of(person: Person, *, with_private_notes: bool) -> list[dict]:
    cases = (
        Case.objects.filter(organisation_id=person.organisation_id, person=person)
        .select_related("referent", "departement")
        .prefetch_related("objectives", "events__by")
        .order_by("opened_on", "id")
    )
    notes: dict[int, list[dict]] = {}
    if with_private_notes:
        # Droit d'accès : l'exception consignée à « notes privées visibles de leur seul auteur »
        # (decisions.md) ; la lecture se fait pour l'export, jamais pour un écran de travail.
        for note in (
            PrivateNote.objects.filter(case__in=cases)
            .select_related("author")
            .order_by("created_at", "id")
        ):
            notes.setdefault(note.case_id, []).append(
                {"le": note.created_at, "auteur": name_of(note.author), "texte": note.text}
            )
    rows = []
    for case in cases:
        row = {
            "id": case.pk,
            "programme": case.get_programme_display(),
            "origine": case.get_origin_display(),
            "departement": case.departement.name,
            "referent": name_of(case.referent),
            "ouvert_le": case.opened_on,
            "etat": case.get_state_display(),
            "clos_le": case.closed_on,
            "issue": case.get_outcome_display(),
            "risque": case.get_risk_display(),
            "secteur": case.get_sector_display(),
            "contrat_a_l_entree": case.get_employment_contract_display(),
            "synthese": case.synthesis,
            "objectifs": [
                {
                    "objectif": o.label,
                    "echeance": o.due_on,
                    "etat": o.get_status_display(),
                    "fixe_le": o.created_at,
                }
                for o in case.objectives.all()
            ],
            "evenements": [
                {"evenement": e.get_kind_display(), "le": e.on, "par": name_of(e.by)}
                for e in case.events.all()
            ],
        }
        if with_private_notes:
            row["notes_privees"] = notes.get(case.pk, [])
        rows.append(row)
    return rows


def contacts_of(person: Person) -> list[dict]:
    contacts = (
        Contact.objects.filter(organisation_id=person.organisation_id, case__person=person)
        .select_related("staff", "site")
        .prefetch_related("actions", "problems")
        .order_by("on", "id")
    )
    return [
        {
            "id": c.pk,
            "accompagnement": c.case_id,
            "date": c.on,
            "mode": c.get_mode_display(),
            "duree_minutes": c.duration_minutes,
            "agent": name_of(c.staff),
            "lieu": c.site.name if c.site else "",
            "actions": [a.get_code_display() for a in c.actions.all()],
            "problematiques": [p.get_code_display() for p in c.problems.all()],
            "note": c.note,
        }
        for c in contacts
    ]


def evaluations_of(person: Person) -> list[dict]:
    evaluations = (
        Evaluation.objects.filter(organisation_id=person.organisation_id, person=person)
        .select_related("evaluator", "transmission")
        .prefetch_related("plan_lines")
        .order_by("evaluated_on", "id")
    )
    rows = []
    for e in evaluations:
        transmission = getattr(e, "transmission", None)
        rows.append(
            {
                "id": e.pk,
                "date": e.evaluated_on,
                "nature": e.get_kind_display(),
                "lieu": e.get_place_display(),
                "evaluateur": name_of(e.evaluator),
                "situation": e.situation,
                "grille_aggir": {v: e.grid[v] for v in aggir.VARIABLES},
                "gir": e.gir,
                "rang": e.rank,
                "organisme_competent": e.get_competent_body_display(),
                "plan_d_aide": [
                    {
                        "service": line.get_service_display(),
                        "quantite": line.quantity,
                        "precision": line.note,
                    }
                    for line in e.plan_lines.all()
                ],
                "transmission": None
                if transmission is None
                else {
                    "destinataire": transmission.recipient,
                    "le": transmission.sent_on,
                    "date_limite": transmission.deadline,
                },
            }
        )
    return rows


def aid_requests_of(person: Person) -> list[dict]:
    requests = (
        AidRequest.objects.filter(organisation_id=person.organisation_id, person=person)
        .select_related("aid", "opinion_by", "decided_by")
        .prefetch_related("events", "payments", "instalments", "overpayments__recoveries")
        .order_by("received_on", "id")
    )
    rows = []
    for r in requests:
        rows.append(
            {
                "id": r.pk,
                "aide": r.aid.name,
                "forme": r.aid.get_form_display(),
                "recue_le": r.received_on,
                "canal": r.get_channel_display(),
                "etat": r.state_label,
                "situation_declaree": r.facts,
                "pieces_manquantes": r.missing_documents,
                "montant_calcule": r.proposed_amount,
                "eligible": r.eligible,
                "motifs_du_calcul": r.reasons,
                "avis": r.opinion,
                "avis_favorable": r.opinion_favourable,
                "avis_par": name_of(r.opinion_by) if r.opinion_by_id else "",
                "montant_accorde": r.decided_amount,
                "mensualite": r.monthly_repayment,
                "motif_de_la_decision": r.decision_reason,
                "decidee_le": r.decided_on,
                "notifiee_le": r.notified_on,
                "etapes": [{"etape": ev.label, "le": ev.on} for ev in r.events.all()],
                "paiements": [
                    {
                        "montant": p.amount,
                        "le": p.paid_on,
                        "beneficiaire": p.get_payee_display(),
                        "prestataire": p.payee_name,
                    }
                    for p in r.payments.all()
                ],
                "echeances": [
                    {
                        "numero": i.number,
                        "echeance": i.due_on,
                        "montant": i.amount,
                        "remboursee_le": i.repaid_on,
                    }
                    for i in r.instalments.all()
                ],
                "indus": [
                    {
                        "montant": o.amount,
                        "constate_le": o.detected_on,
                        "motif": o.reason,
                        "recouvrements": [
                            {"montant": rec.amount, "le": rec.on} for rec in o.recoveries.all()
                        ],
                    }
                    for o in r.overpayments.all()
                ],
            }
        )
    return rows
