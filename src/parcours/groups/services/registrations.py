"""Inscriptions aux séances : places, liste d'attente, annulations, présences."""

from django.db import transaction

from parcours.core import audit, clock
from parcours.core.exceptions import BusinessError
from parcours.core.nomenclatures import Fonction, Origine, TypeCollectif
from parcours.groups.models import Invitation, Registration, Session
from parcours.groups.services.links import _invitation
from parcours.rules import collective as rules


def _locked_session(session: Session) -> Session:
    """Verrouille la séance : deux inscriptions simultanées comptent les places tour à tour."""
    return Session.objects.select_for_update().get(pk=session.pk)


def _taken(session: Session) -> int:
    return Registration.objects.filter(session=session, status=Registration.Status.INSCRIT).count()


@transaction.atomic
def register(
    *,
    actor,
    session: Session,
    person,
    relation=Registration.Relation.PERSONNE,
    channel=Registration.Channel.AGENT,
) -> tuple[Registration, bool]:
    """Inscrit la personne, ou la met en liste d'attente si la séance est complète.

    Renvoie ``(inscription, créée)`` : une personne déjà inscrite (ou en attente) retrouve son
    inscription, sans doublon ; une inscription annulée est reprise.
    """
    session = _locked_session(session)
    action = session.action
    if session.date < clock.today():
        raise BusinessError({"session": "Cette séance a déjà eu lieu."})
    _invitation(
        actor=actor,
        action=action,
        person=person,
        source=Invitation.Source.INSCRIPTION if actor else Invitation.Source.LISTE,
    )
    active = Registration.objects.filter(
        session__action=action,
        person=person,
        status__in=[rules.REGISTERED, rules.WAITING],
        session__date__gte=clock.today(),
    ).exclude(session=session)
    if action.type == TypeCollectif.INFO_COLLECTIVE and active.exists():
        # Une réunion d'information : une seule séance à la fois ; changer de date annule l'autre.
        for other in active:
            _cancel(actor=actor, registration=other)
    status = rules.status_for_new_registration(session.capacity, _taken(session))
    existing = Registration.objects.filter(session=session, person=person).first()
    if existing is not None:
        if existing.status != rules.CANCELLED:
            return existing, False
        before = audit.snapshot(existing)
        existing.status = rules.next_status(
            existing.status, "reinscrire" if status == rules.REGISTERED else "mettre_en_attente"
        )
        existing.channel, existing.relation = channel, relation
        existing.registered_at = clock.now()
        existing.save()
        audit.record_write(
            actor=actor,
            obj=existing,
            before=before,
            person_id=person.pk,
            summary="Réinscription à une séance",
        )
        _accept_offers(actor=actor, action=action, person=person)
        return existing, True
    registration = Registration.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        person=person,
        status=status,
        relation=relation,
        channel=channel,
        registered_at=clock.now(),
        created_by=actor,
    )
    audit.record_write(
        actor=actor,
        obj=registration,
        before=None,
        person_id=person.pk,
        summary="Inscription à une séance"
        if status == rules.REGISTERED
        else "Mise en liste d'attente",
    )
    _accept_offers(actor=actor, action=action, person=person)
    return registration, True


def _accept_offers(*, actor, action, person) -> None:
    """Une offre de service (module Détection) qui proposait cette réunion devient « acceptée »
    dès l'inscription, par le lien personnel ou par un agent ; appel explicite, pas de signal."""
    from parcours.outreach import services as outreach_services  # import croisé

    outreach_services.accept_offers_on_registration(actor=actor, action=action, person=person)


def _cancel(*, actor, registration: Registration) -> list[Registration]:
    session = _locked_session(registration.session)
    registration.refresh_from_db()
    before = audit.snapshot(registration)
    registration.status = rules.next_status(registration.status, "annuler")
    registration.save(update_fields=["status"])
    audit.record_write(
        actor=actor,
        obj=registration,
        before=before,
        person_id=registration.person_id,
        summary="Inscription annulée",
    )
    return _promote(actor=actor, session=session)


def _promote(*, actor, session: Session) -> list[Registration]:
    waiting = list(
        Registration.objects.filter(session=session, status=rules.WAITING).order_by(
            "registered_at", "id"
        )
    )
    count = rules.places_to_promote(session.capacity, _taken(session), len(waiting))
    promoted = waiting[:count]
    for registration in promoted:
        before = audit.snapshot(registration)
        registration.status = rules.next_status(registration.status, "promouvoir")
        registration.save(update_fields=["status"])
        audit.record_write(
            actor=actor,
            obj=registration,
            before=before,
            person_id=registration.person_id,
            summary="Place libérée : inscription confirmée",
        )
    return promoted


@transaction.atomic
def cancel_registration(*, actor, registration: Registration) -> list[Registration]:
    """Annule ; la place libérée revient au premier de la liste d'attente (renvoyé)."""
    if registration.status == rules.CANCELLED:
        raise BusinessError("Cette inscription est déjà annulée.")
    return _cancel(actor=actor, registration=registration)


@transaction.atomic
def mark_attendance(*, actor, session: Session, presence: dict[int, bool | None]) -> int:
    """Présences d'une séance en une fois : ``{inscription: vrai, faux ou None}``.

    Seules les inscriptions non annulées de la séance ; pas avant le jour de la séance.
    Renvoie le nombre d'inscriptions modifiées.
    """
    if session.date > clock.today():
        raise BusinessError("Les présences se marquent le jour de la séance ou après.")
    registrations = {
        r.pk: r
        for r in Registration.objects.select_for_update()
        .filter(session=session)
        .exclude(status=rules.CANCELLED)
    }
    unknown = set(presence) - set(registrations)
    if unknown:
        raise BusinessError("Inscription inconnue pour cette séance.")
    changed = 0
    for pk, present in presence.items():
        registration = registrations[pk]
        if registration.present is present:
            continue
        before = audit.snapshot(registration)
        registration.present = present
        registration.save(update_fields=["present"])
        audit.record_write(
            actor=actor,
            obj=registration,
            before=before,
            person_id=registration.person_id,
            summary="Présence à une séance",
        )
        changed += 1
    return changed


@transaction.atomic
def open_case_for(*, actor, registration: Registration, referent=None):
    """Un participant devient un accompagnement (origine : information collective)."""
    from parcours.cases import services as case_services
    from parcours.cases.models import Case

    action = registration.session.action
    existing = Case.objects.filter(
        person=registration.person, programme=action.programme, state=Case.State.OUVERT
    ).first()
    if existing is not None:
        return existing, False
    case = case_services.open_case(
        actor=actor,
        person=registration.person,
        programme=action.programme,
        origin=Origine.INFORMATION_COLLECTIVE,
        referent=referent or (actor if actor.function == Fonction.AS else None),
        opened_on=clock.today(),
    )
    return case, True
