"""Inscriptions aux séances : places, liste d'attente, annulations, présences.

Crochets d'inscription : un module plus haut dans les couches (la Détection, qui accepte les
offres de service proposant la réunion) se fait connaître par ``add_registration_hook(fn)``,
depuis le ``ready()`` de son application. ``register`` appelle chaque crochet avec
``(actor=, action=, person=)`` dans la même transaction, après l'écriture de l'inscription
(nouvelle ou reprise) : une erreur d'un crochet annule l'inscription. C'est un appel explicite,
dans l'ordre d'enregistrement, pas un signal Django ; ``groups`` n'importe rien de ``outreach``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction

from parcours.core import audit, clock
from parcours.core.exceptions import BusinessError
from parcours.core.nomenclatures import Fonction, Origine, TypeCollectif
from parcours.groups.models import Invitation, Registration, Session
from parcours.groups.services.links import _invitation
from parcours.rules import collective as rules

if TYPE_CHECKING:
    from parcours.cases.models import Case
    from parcours.core.models import User
    from parcours.groups.models import GroupAction
    from parcours.people.models import Person

REGISTRATION_HOOKS: list[Callable[..., object]] = []


def add_registration_hook(fn: Callable[..., object]) -> Callable[..., object]:
    """Ajoute ``fn(*, actor, action, person)`` aux crochets appelés à chaque inscription.

    Ce que renvoie le crochet est ignoré ; une fonction déjà présente n'est pas ajoutée deux
    fois. Renvoie ``fn``.
    """
    if fn not in REGISTRATION_HOOKS:
        REGISTRATION_HOOKS.append(fn)
    return fn


def _run_registration_hooks(*, actor: User | None, action: GroupAction, person: Person) -> None:
    for hook in list(REGISTRATION_HOOKS):
        hook(actor=actor, action=action, person=person)


def _locked_session(session: Session) -> Session:
    """Verrouille la séance : deux inscriptions simultanées comptent les places tour à tour."""
    return Session.objects.select_for_update().get(pk=session.pk)


def _taken(session: Session) -> int:
    return Registration.objects.filter(session=session, status=Registration.Status.INSCRIT).count()


@transaction.atomic
def register(
    *,
    actor: User | None,
    session: Session,
    person: Person,
    relation: str = Registration.Relation.PERSONNE,
    channel: str = Registration.Channel.AGENT,
) -> tuple[Registration, bool]:
    """Inscrit la personne, ou la met en liste d'attente si la séance est complète.

    Renvoie ``(inscription, créée)`` : une personne déjà inscrite (ou en attente) retrouve son
    inscription, sans doublon ; une inscription annulée est reprise. Une inscription écrite
    (nouvelle ou reprise) appelle les crochets d'inscription dans cette transaction.
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
        _run_registration_hooks(actor=actor, action=action, person=person)
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
    _run_registration_hooks(actor=actor, action=action, person=person)
    return registration, True


def _cancel(*, actor: User | None, registration: Registration) -> list[Registration]:
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


def _promote(*, actor: User | None, session: Session) -> list[Registration]:
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
def cancel_registration(*, actor: User | None, registration: Registration) -> list[Registration]:
    """Annule ; la place libérée revient au premier de la liste d'attente (renvoyé)."""
    if registration.status == rules.CANCELLED:
        raise BusinessError("Cette inscription est déjà annulée.")
    return _cancel(actor=actor, registration=registration)


@transaction.atomic
def mark_attendance(*, actor: User, session: Session, presence: dict[int, bool | None]) -> int:
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
def open_case_for(
    *, actor: User, registration: Registration, referent: User | None = None
) -> tuple[Case, bool]:
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
