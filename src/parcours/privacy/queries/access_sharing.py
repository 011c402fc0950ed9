"""Export d'accès : actions collectives, premiers contacts (demandes, rendez-vous, accueil,
offres, ciblages), signalements reçus, orientations envoyées, consentements et partages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parcours.groups.models import Invitation, Registration
from parcours.outreach.models import (
    Appointment,
    AppointmentRequest,
    FrontLineContact,
    Referral,
    ServiceOffer,
    TargetingEntry,
)
from parcours.privacy.queries.access_cases import name_of
from parcours.sharing.models import Consent, Disclosure, Orientation

if TYPE_CHECKING:
    from parcours.people.models import Person


def group_activity_of(person: Person) -> list[dict]:
    """Inscriptions aux séances (présence comprise) et invitations aux actions."""
    org = person.organisation_id
    rows: list[dict] = [
        {
            "nature": "Inscription",
            "action": r.session.action.title,
            "type": r.session.action.get_type_display(),
            "seance": r.session.date,
            "etat": r.get_status_display(),
            "qualite": r.get_relation_display(),
            "present": r.present,
            "le": r.registered_at,
        }
        for r in Registration.objects.filter(organisation_id=org, person=person)
        .select_related("session__action")
        .order_by("registered_at", "id")
    ]
    rows += [
        {
            "nature": "Invitation",
            "action": i.action.title,
            "type": i.action.get_type_display(),
            "seance": None,
            "etat": i.get_source_display(),
            "qualite": i.get_channel_display(),
            "present": None,
            "le": i.created_at,
        }
        for i in Invitation.objects.filter(organisation_id=org, person=person)
        .select_related("action")
        .order_by("created_at", "id")
    ]
    return rows


def first_contacts_of(person: Person) -> dict[str, list[dict]]:
    """Ce que la détection tient : demandes de rendez-vous, rendez-vous, contacts d'accueil,
    offres de service, ciblages."""
    org = person.organisation_id
    return {
        "demandes_de_rendez_vous": [
            {
                "recue_le": r.received_on,
                "canal": r.get_channel_display(),
                "motif": r.reason,
                "etat": r.get_status_display(),
            }
            for r in AppointmentRequest.objects.filter(organisation_id=org, person=person).order_by(
                "received_on", "id"
            )
        ],
        "rendez_vous": [
            {
                "le": a.starts_at,
                "duree_minutes": a.duration_minutes,
                "mode": a.get_mode_display(),
                "agent": name_of(a.staff),
                "etat": a.get_status_display(),
            }
            for a in Appointment.objects.filter(organisation_id=org, person=person)
            .select_related("staff")
            .order_by("starts_at", "id")
        ],
        "contacts_d_accueil": [
            {
                "le": c.at,
                "canal": c.get_channel_display(),
                "motif": c.reason,
                "reponse": c.get_answer_display(),
                "message_pour_l_as": c.message,
                "agent": name_of(c.agent),
            }
            for c in FrontLineContact.objects.filter(organisation_id=org, person=person)
            .select_related("agent")
            .order_by("at", "id")
        ],
        "offres_de_service": [
            {
                "campagne": o.campaign.name,
                "envoyee_le": o.sent_on,
                "canal": o.get_channel_display(),
                "etat": o.get_status_display(),
                "reponse_le": o.answered_on,
            }
            for o in ServiceOffer.objects.filter(organisation_id=org, person=person)
            .select_related("campaign")
            .order_by("sent_on", "id")
        ],
        "ciblages": [
            {
                "fichier_du": e.run.created_at,
                "debut_de_l_arret": e.sick_leave_start,
                "risque": e.get_risk_display(),
            }
            for e in TargetingEntry.objects.filter(organisation_id=org, person=person)
            .select_related("run")
            .order_by("run__created_at", "id")
        ],
    }


def referrals_of(person: Person) -> list[dict]:
    """Les signalements reçus à propos de la personne."""
    return [
        {
            "reference": r.reference,
            "recu_le": r.received_on,
            "emetteur": r.get_emitter_display(),
            "nom_de_l_emetteur": r.emitter_partner.name if r.emitter_partner else r.emitter_name,
            "motif": r.reason,
            "priorite": r.get_priority_display(),
            "programme": r.get_programme_display(),
            "etat": r.get_status_display(),
            "reponse_a_l_emetteur_le": r.answered_on,
        }
        for r in Referral.objects.filter(organisation_id=person.organisation_id, person=person)
        .select_related("emitter_partner")
        .order_by("received_on", "id")
    ]


def orientations_of(person: Person) -> list[dict]:
    """Les orientations envoyées vers un partenaire ou un autre organisme, et leurs étapes."""
    return [
        {
            "reference": o.reference,
            "envoyee_le": o.sent_on,
            "destinataire": str(o.recipient),
            "motif": o.get_reason_display(),
            "demande": o.request,
            "informations_partagees": o.category_labels(),
            "base": o.get_basis_display(),
            "etat": o.get_status_display(),
            "echeance": o.deadline,
            "reponse_le": o.answered_on,
            "commentaire_du_destinataire": o.answer_comment,
            "etapes": [
                {"etat": ev.get_to_status_display(), "le": ev.at, "commentaire": ev.comment}
                for ev in o.events.all()
            ],
        }
        for o in Orientation.objects.filter(organisation_id=person.organisation_id, person=person)
        .select_related("partner", "recipient_organisation")
        .prefetch_related("events")
        .order_by("sent_at", "id")
    ]


def consents_of(person: Person) -> dict[str, list[dict]]:
    """Les consentements recueillis (destinataires, catégories, retrait) et chaque partage fait
    hors de l'organisme, sur sa base."""
    org = person.organisation_id
    consents = (
        Consent.objects.filter(organisation_id=org, person=person)
        .prefetch_related("partners", "organisations")
        .order_by("given_on", "id")
    )
    disclosures = (
        Disclosure.objects.filter(organisation_id=org, person=person)
        .select_related("partner", "recipient_organisation", "actor")
        .order_by("at", "id")
    )
    return {
        "recueillis": [
            {
                "donne_le": c.given_on,
                "donne_par": c.get_given_by_display(),
                "representant": c.representative_name,
                "comment": c.get_method_display(),
                "but": c.purpose,
                "categories": c.category_labels(),
                "destinataires": sorted(
                    [p.name for p in c.partners.all()] + [o.name for o in c.organisations.all()]
                ),
                "retire_le": c.withdrawn_on,
                "motif_du_retrait": c.withdrawal_reason,
            }
            for c in consents
        ],
        "partages": [
            {
                "le": d.at,
                "destinataire": str(d.recipient),
                "quoi": d.label,
                "categories": d.category_labels(),
                "base": d.get_basis_display(),
                "par": name_of(d.actor),
            }
            for d in disclosures
        ],
    }
