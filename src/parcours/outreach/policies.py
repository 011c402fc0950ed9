"""Droits de la détection : demandes et rendez-vous (mêmes périmètres que les personnes),
agenda, ciblages, signalements, accueil, campagnes. Le seul endroit des règles de rôle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parcours.core.roles import Role, agent_context
from parcours.outreach.models import (
    Appointment,
    AppointmentRequest,
    Campaign,
    FrontLineContact,
    Permanence,
    Referral,
    ServiceOffer,
    TargetingEntry,
    TargetingRun,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from parcours.core.models import User
    from parcours.people.models import Person


def visible_requests(user: User) -> QuerySet[AppointmentRequest]:
    ctx = agent_context(user)
    if not ctx.sees_people or ctx.organisation_id is None:
        return AppointmentRequest.objects.none()
    return AppointmentRequest.objects.filter(
        organisation_id=ctx.organisation_id, departement_id__in=ctx.departements
    )


def visible_appointments(user: User) -> QuerySet[Appointment]:
    ctx = agent_context(user)
    if not ctx.sees_people or ctx.organisation_id is None:
        return Appointment.objects.none()
    return Appointment.objects.filter(
        organisation_id=ctx.organisation_id, person__departement_id__in=ctx.departements
    )


def can_book(user: User) -> bool:
    """Fixer un rendez-vous : accueil, AS, responsables."""
    return agent_context(user).role in {Role.AS, Role.FRONT_LINE, Role.MANAGER}


def get_appointment_or_404(user: User, pk: int) -> Appointment:
    from parcours.core.policies import get_or_404

    return get_or_404(visible_appointments(user).select_related("person"), pk)


def can_update_appointment(user: User, appointment: Appointment) -> bool:
    """Marquer honoré, manqué ou annulé : l'agent du rendez-vous, l'accueil, un responsable."""
    ctx = agent_context(user)
    return ctx.role in {Role.FRONT_LINE, Role.MANAGER} or appointment.staff_id == ctx.user_id


def can_record_appointment_contact(user: User, appointment: Appointment | None = None) -> bool:
    """« A eu lieu → entretien » : qui peut mettre à jour le rendez-vous
    (``can_update_appointment``) et voit le contenu des accompagnements (AS, responsables) ;
    sans rendez-vous, la seule condition de rôle."""
    if not agent_context(user).sees_cases:
        return False
    return appointment is None or can_update_appointment(user, appointment)


def get_permanence_or_404(user: User, pk: int) -> Permanence:
    from parcours.core.policies import get_or_404

    return get_or_404(visible_permanences(user).select_related("staff", "site"), pk)


def can_hold_appointments(user: User, obj: object = None) -> bool:
    """Tenir soi-même un agenda (l'agenda s'ouvre sur le sien) : une AS."""
    return agent_context(user).role == Role.AS


def can_manage_team_agendas(user: User, obj: object = None) -> bool:
    """Régler les plages de n'importe quelle AS de ses départements : un responsable ; les
    autres agents ne règlent que les leurs."""
    return agent_context(user).role == Role.MANAGER


def can_edit_permanences(user: User, staff: User | None = None) -> bool:
    """Ajouter des plages à l'agenda de ``staff`` : un responsable, ou l'agent lui-même (qui
    voit les agendas : accueil, AS, responsables) ; sans agent choisi, personne."""
    if staff is None:
        return False
    ctx = agent_context(user)
    return ctx.role == Role.MANAGER or (ctx.sees_people and staff.pk == ctx.user_id)


# --- Détection : ciblages, signalements, accueil, campagnes ---------------------------------
#
# - ciblages et campagnes : les responsables de l'organisme (un fichier couvre tout
#   l'organisme) ; les personnes ciblées ne sont listées que dans leurs départements ;
# - signalements : AS et responsables de leurs départements ; l'accueil ne les voit pas (le
#   motif d'un signalement relève du contenu de l'accompagnement) ;
# - contacts d'accueil : accueil, AS et responsables de leurs départements ;
# - pilotage et administrateurs : aucun de ces objets (chiffres agrégés seulement) ;
# - hors périmètre : 404.


def sees_detection(user: User) -> bool:
    """L'entrée « Détection » du menu : AS, accueil, responsables."""
    return agent_context(user).role in {Role.AS, Role.FRONT_LINE, Role.MANAGER}


def can_manage_targeting(user: User) -> bool:
    """Importer un extrait, régler la règle, lancer une campagne : un responsable."""
    return agent_context(user).role == Role.MANAGER


def visible_runs(user: User) -> QuerySet[TargetingRun]:
    ctx = agent_context(user)
    if ctx.role != Role.MANAGER or ctx.organisation_id is None:
        return TargetingRun.objects.none()
    return TargetingRun.objects.filter(organisation_id=ctx.organisation_id)


def get_run_or_404(user: User, pk: int) -> TargetingRun:
    from parcours.core.policies import get_or_404

    return get_or_404(visible_runs(user).select_related("rule", "created_by"), pk)


def visible_entries(user: User, run: TargetingRun) -> QuerySet[TargetingEntry]:
    """Les personnes ciblées par ``run`` dont la fiche relève des départements de l'agent.

    Le département de la fiche fait foi, pas celui que l'extrait indique : une personne suivie
    dans le Rhône qu'un extrait situe dans l'Ain reste hors du périmètre de l'Ain."""
    ctx = agent_context(user)
    if ctx.role != Role.MANAGER or run.organisation_id != ctx.organisation_id:
        return TargetingEntry.objects.none()
    return TargetingEntry.objects.filter(run=run, person__departement_id__in=ctx.departements)


def can_list_referrals(user: User) -> bool:
    """Les signalements de ses départements (ou ceux qui lui sont confiés) : AS et responsables."""
    return agent_context(user).role in {Role.AS, Role.MANAGER}


def visible_referrals(user: User) -> QuerySet[Referral]:
    ctx = agent_context(user)
    if not can_list_referrals(user) or ctx.organisation_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(
        organisation_id=ctx.organisation_id, departement_id__in=ctx.departements
    )


def get_referral_or_404(user: User, pk: int) -> Referral:
    from parcours.core.policies import get_or_404

    return get_or_404(
        visible_referrals(user).select_related(
            "person", "assigned_to", "departement", "emitter_partner"
        ),
        pk,
    )


def can_record_referral(user: User) -> bool:
    """Enregistrer un signalement : AS et responsables."""
    return agent_context(user).role in {Role.AS, Role.MANAGER}


def can_assign_referral(user: User, referral: Referral) -> bool:
    """Attribuer (ou réattribuer) un signalement : un responsable de son département."""
    ctx = agent_context(user)
    return ctx.role == Role.MANAGER and referral.departement_id in ctx.departements


def can_dispatch_referrals(user: User, obj: object = None) -> bool:
    """Voir la file des signalements à attribuer et tous les signalements de ses départements :
    un responsable (une AS ne liste que ceux qui lui sont attribués)."""
    return agent_context(user).role == Role.MANAGER


def can_take_referral(user: User, referral: Referral | None = None) -> bool:
    """Prendre soi-même un signalement en charge : une AS, qui peut le faire avancer
    (``can_update_referral``) ; sans signalement, la seule condition de rôle."""
    if agent_context(user).role != Role.AS:
        return False
    return referral is None or can_update_referral(user, referral)


def can_update_referral(user: User, referral: Referral) -> bool:
    """Faire avancer un signalement : l'AS à qui il est attribué, ou un responsable."""
    ctx = agent_context(user)
    if referral.organisation_id != ctx.organisation_id:
        return False
    if referral.departement_id not in ctx.departements:
        return False
    return ctx.role == Role.MANAGER or (
        ctx.role == Role.AS and referral.assigned_to_id in {None, ctx.user_id}
    )


def visible_front_line_contacts(user: User) -> QuerySet[FrontLineContact]:
    ctx = agent_context(user)
    if not ctx.sees_people or ctx.organisation_id is None:
        return FrontLineContact.objects.none()
    return FrontLineContact.objects.filter(
        organisation_id=ctx.organisation_id, departement_id__in=ctx.departements
    )


def can_record_front_line_contact(user: User) -> bool:
    """Noter un contact d'accueil : accueil (CSAM, secrétaires), AS et responsables."""
    return agent_context(user).sees_people


def visible_campaigns(user: User) -> QuerySet[Campaign]:
    ctx = agent_context(user)
    if ctx.role != Role.MANAGER or ctx.organisation_id is None:
        return Campaign.objects.none()
    return Campaign.objects.filter(organisation_id=ctx.organisation_id)


def get_campaign_or_404(user: User, pk: int) -> Campaign:
    from parcours.core.policies import get_or_404

    return get_or_404(visible_campaigns(user), pk)


def visible_offers(user: User) -> QuerySet[ServiceOffer]:
    """Offres de service : responsables et AS, dans leurs départements."""
    ctx = agent_context(user)
    if ctx.role not in {Role.AS, Role.MANAGER} or ctx.organisation_id is None:
        return ServiceOffer.objects.none()
    return ServiceOffer.objects.filter(
        organisation_id=ctx.organisation_id, departement_id__in=ctx.departements
    )


def get_offer_or_404(user: User, pk: int) -> ServiceOffer:
    from parcours.core.policies import get_or_404

    return get_or_404(visible_offers(user).select_related("person", "campaign"), pk)


def visible_permanences(user: User) -> QuerySet[Permanence]:
    """Plages de rendez-vous des AS de l'organisme (accueil, AS, responsables)."""
    ctx = agent_context(user)
    if not ctx.sees_people or ctx.organisation_id is None:
        return Permanence.objects.none()
    return Permanence.objects.filter(
        organisation_id=ctx.organisation_id, staff__departements__code__in=ctx.departements
    ).distinct()


def offer_by_reference(user: User, reference: str) -> ServiceOffer | None:
    """L'offre de service dont la personne donne la référence (accueil, AS, responsables de
    son département) ; ``None`` si elle n'existe pas dans le périmètre."""
    ctx = agent_context(user)
    if not ctx.sees_people or not reference or ctx.organisation_id is None:
        return None
    return (
        ServiceOffer.objects.filter(
            organisation_id=ctx.organisation_id,
            departement_id__in=ctx.departements,
            reference=reference,
        )
        .select_related("person")
        .first()
    )


def invitable_runs(user: User) -> QuerySet[TargetingRun]:
    """Les ciblages réels terminés dont on peut inviter les personnes (responsables)."""
    return (
        visible_runs(user)
        .filter(dry_run=False, status=TargetingRun.Status.TERMINE)
        .defer(*TargetingRun.HEAVY_FIELDS)
    )


def people_of_run(user: User, run: TargetingRun) -> QuerySet[Person]:
    """Les personnes ciblées par ``run`` dans le périmètre de l'agent (fiches non fusionnées)."""
    from parcours.people.models import Person

    return Person.objects.filter(
        pk__in=visible_entries(user, run).values("person_id"), merged_into__isnull=True
    )


def people_of_campaign(user: User, campaign: Campaign) -> QuerySet[Person]:
    """Les personnes qui ont reçu une offre de ``campaign``, dans le périmètre de l'agent."""
    from parcours.people.models import Person

    return Person.objects.filter(
        pk__in=visible_offers(user).filter(campaign=campaign).values("person_id"),
        merged_into__isnull=True,
    )
