"""Invitations et lien personnel : jeton signé, envoi par courriel ou SMS, courriers."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from parcours.core import audit, clock, messaging
from parcours.core.exceptions import BusinessError
from parcours.core.nomenclatures import Canal
from parcours.groups.models import GroupAction, Invitation
from parcours.rules import collective as rules

if TYPE_CHECKING:
    from parcours.core.models import User
    from parcours.people.models import Person


TOKEN_SALT = "parcours.groups.lien-personnel"


def _signature(value: str) -> str:
    return salted_hmac(TOKEN_SALT, value, algorithm="sha256").hexdigest()[:24]


def make_token(invitation: Invitation) -> str:
    """Jeton court signé (HMAC) : l'invitation et sa date d'émission, à recopier d'un courrier.

    Un lien renouvelé (nouvelle date d'émission) annule l'ancien.
    """
    value = f"{invitation.pk}-{invitation.issued_on.toordinal()}"
    return f"{value}-{_signature(value)}"


def read_token(token: str) -> Invitation | None:
    """L'invitation du lien, ou ``None`` pour un lien falsifié, périmé ou renouvelé."""
    parts = (token or "").strip().lower().split("-")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    pk, ordinal, signature = parts
    if not constant_time_compare(signature, _signature(f"{pk}-{ordinal}")):
        return None
    try:
        issued = datetime.date.fromordinal(int(ordinal))
    except (ValueError, OverflowError):
        return None
    if rules.link_expired(issued, clock.today()):
        return None
    return (
        Invitation.objects.select_related("action", "person", "action__departement")
        .filter(pk=int(pk), issued_on=issued, person__merged_into__isnull=True)
        .first()
    )


def _invitation(
    *,
    actor: User | None,
    action: GroupAction,
    person: Person,
    source: str,
    channel: str | None = None,
) -> tuple[Invitation, bool]:
    if person.organisation_id != action.organisation_id:
        raise BusinessError({"person": "Personne inconnue dans cet organisme."})
    defaults: dict[str, Any] = {
        "organisation_id": action.organisation_id,
        "source": source,
        "issued_on": clock.today(),
        "created_by": actor,
    }
    if channel:
        defaults["channel"] = channel
    invitation, created = Invitation.objects.get_or_create(
        action=action, person=person, defaults=defaults
    )
    if created:
        audit.record_write(
            actor=actor,
            obj=invitation,
            before=None,
            person_id=person.pk,
            summary="Invitation à une action collective",
        )
    return invitation, created


@transaction.atomic
def invite(
    *,
    actor: User | None,
    action: GroupAction,
    people: Iterable[Person],
    source: str = Invitation.Source.LISTE,
    channel: str | None = None,
) -> tuple[list[Invitation], list[Invitation]]:
    """Invite chaque personne une fois ; renvoie (invitations créées, déjà invitées)."""
    created: list[Invitation] = []
    existing: list[Invitation] = []
    for person in people:
        invitation, new = _invitation(
            actor=actor, action=action, person=person, source=source, channel=channel
        )
        (created if new else existing).append(invitation)
    return created, existing


def is_reachable(person: Person, channel: str) -> bool:
    """Courriel : une adresse ; SMS : un numéro de téléphone mobile."""
    if channel == Canal.EMAIL:
        return bool(person.email)
    return rules.is_mobile(person.phone)


@transaction.atomic
def send_invitations(
    *,
    actor: User,
    invitations: Iterable[Invitation],
    channel: str,
    link: Callable[[Invitation], str],
    sender: messaging.Sender | None = None,
) -> tuple[list[Invitation], list[Invitation]]:
    """Envoie l'invitation par courriel ou SMS (expéditeur interchangeable de
    ``core.messaging``, le même que celui des campagnes) à celles des ``invitations`` qui
    n'ont pas encore été envoyées par ce canal ; ``link(invitation)`` donne l'adresse du lien.

    Renvoie ``(envoyées, injoignables)`` ; les personnes sans courriel (sans mobile) ne
    reçoivent rien et sont listées par l'appelant.

    Les messages partent après la validation de la transaction (``transaction.on_commit``) :
    une écriture annulée n'envoie rien. Un envoi qui échoue alors est journalisé sans empêcher
    les suivants (``robust=True``) ; l'invitation reste marquée envoyée.
    """
    if channel not in {Canal.EMAIL, Canal.SMS}:
        raise BusinessError({"channel": "Choisissez le courriel ou le SMS."})
    sender = sender or messaging.get_sender()
    sent: list[Invitation] = []
    unreachable: list[Invitation] = []
    today = clock.today()
    for invitation in invitations:
        if invitation.channel == channel:
            continue
        person = invitation.person
        if not is_reachable(person, channel):
            unreachable.append(invitation)
            continue
        action = invitation.action
        sessions = [s for s in action.sessions.select_related("site") if s.date >= today]
        dates = "; ".join(f"{s.date:%d/%m/%Y} à {s.start_time:%H:%M}, {s.place}" for s in sessions)
        body = (
            f"Bonjour, le service social vous invite : {action.title}"
            + (f" ({dates})" if dates else "")
            + f". C'est gratuit. Inscrivez-vous avec votre lien personnel : {link(invitation)}"
        )
        message = messaging.Message(
            channel,
            person.email if channel == Canal.EMAIL else person.phone,
            f"Invitation : {action.title}",
            body,
            f"I{invitation.pk}",
        )
        messaging.send_after_commit(sender, [message])
        before = audit.snapshot(invitation)
        invitation.channel = channel
        invitation.save(update_fields=["channel"])
        audit.record_write(
            actor=actor,
            obj=invitation,
            before=before,
            person_id=person.pk,
            summary=f"Invitation envoyée par {Canal(channel).label.lower()}",
        )
        sent.append(invitation)
    return sent, unreachable


@transaction.atomic
def renew_link(*, actor: User, invitation: Invitation) -> Invitation:
    before = audit.snapshot(invitation)
    invitation.issued_on = clock.today()
    invitation.save(update_fields=["issued_on"])
    audit.record_write(
        actor=actor,
        obj=invitation,
        before=before,
        person_id=invitation.person_id,
        summary="Lien personnel renouvelé",
    )
    return invitation


@transaction.atomic
def mark_letters_printed(*, actor: User, invitations: Iterable[Invitation]) -> None:
    today = clock.today()
    for invitation in invitations:
        if invitation.letter_printed_on is None:
            before = audit.snapshot(invitation)
            invitation.letter_printed_on = today
            invitation.save(update_fields=["letter_printed_on"])
            audit.record_write(
                actor=actor,
                obj=invitation,
                before=before,
                person_id=invitation.person_id,
                summary="Courrier d'invitation édité",
            )
