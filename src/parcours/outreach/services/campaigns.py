"""Campagnes d'offres de service : création (courrier, courriel, SMS, téléphone), réponses,
relances ; courriels et SMS partent une fois la transaction validée."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from parcours.core import audit, clock, messaging
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.core.nomenclatures import Canal, StatutOffre, TypeCollectif
from parcours.core.roles import organisation_of
from parcours.groups import services as group_services
from parcours.groups.models import Invitation
from parcours.outreach import letters, queries
from parcours.outreach.models import Campaign, LetterBatch, ServiceOffer, TargetingRun
from parcours.people.models import Person
from parcours.rules import offers as offer_rules

if TYPE_CHECKING:
    from parcours.core.models import User
    from parcours.groups.models import GroupAction

Link = Callable[[Invitation], str]


@transaction.atomic
def create_campaign(
    *,
    actor: User,
    name: str,
    channel: str,
    proposal: str,
    programme: str,
    people: Iterable[Person],
    run: TargetingRun | None = None,
    phone: str = "",
    sent_on: datetime.date | None = None,
    sender: messaging.Sender | None = None,
    group_action: GroupAction | None = None,
    link: Link | None = None,
) -> Campaign:
    """Une campagne et une offre « envoyée » par personne (référence personnelle unique).

    Courriel et SMS : seules les personnes qui ont un courriel (un téléphone) sont retenues et
    le message part par l'expéditeur configuré (``core.messaging``), une fois la campagne
    validée (rien ne part si la transaction est annulée) ; courrier : les lettres
    sont le PDF de la campagne ; téléphone : la liste d'appels est la page de la campagne.

    Proposition « réunion d'information collective » : ``group_action`` (une réunion
    d'information de l'organisme) reçoit une invitation par personne (``groups.services.invite``,
    origine « ciblage ou campagne ») ; courriels et SMS portent le lien personnel d'inscription
    (``link(invitation)`` donne l'adresse complète du lien). Par courrier, les invitations sont
    créées quand l'agent prépare les courriers (``prepare_campaign_letters``).
    """
    people = list(people)
    if proposal == Campaign.Proposal.REUNION:
        if group_action is None:
            raise BusinessError({"group_action": "Choisissez la réunion d'information proposée."})
        if (
            group_action.organisation_id != actor.organisation_id
            or group_action.type != TypeCollectif.INFO_COLLECTIVE
        ):
            raise BusinessError(
                {"group_action": "Cette action n'est pas une réunion d'information de l'organisme."}
            )
    else:
        group_action = None
    if channel == Canal.EMAIL:
        people = [p for p in people if p.email]
    elif channel == Canal.SMS:
        people = [p for p in people if p.phone]
    if not people:
        raise BusinessError(
            "La campagne ne concerne aucune personne"
            + (" joignable par ce canal." if channel in {Canal.EMAIL, Canal.SMS} else ".")
        )
    sent_on = sent_on or clock.today()
    campaign = Campaign.objects.create(
        organisation_id=organisation_of(actor),
        name=name,
        run=run,
        channel=channel,
        proposal=proposal,
        group_action=group_action,
        programme=programme,
        phone=phone,
        sent_on=sent_on,
        created_by=actor,
    )
    offers = ServiceOffer.objects.bulk_create(
        [
            ServiceOffer(
                organisation_id=organisation_of(actor),
                campaign=campaign,
                person=person,
                reference=f"OS{campaign.pk:04d}-{i:05d}",
                sent_on=sent_on,
                channel=channel,
                programme=programme,
                departement_id=person.departement_id,
            )
            for i, person in enumerate(people, 1)
        ]
    )
    audit.record_write(
        actor=actor, obj=campaign, before=None, person_id=None, summary="Campagne créée"
    )
    if group_action is not None and channel != Canal.COURRIER:
        # Courrier : les invitations naissent quand l'agent prépare les courriers (POST).
        group_services.invite(
            actor=actor,
            action=group_action,
            people=people,
            source=Invitation.Source.CIBLAGE,
            channel=channel,
        )
    if channel in {Canal.EMAIL, Canal.SMS}:
        messaging.send_after_commit(
            sender or messaging.get_sender(), _offer_messages(campaign, offers, link=link)
        )
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                organisation_id=organisation_of(actor),
                actor=actor,
                at=clock.now(),
                action=AuditEntry.Action.CREATE,
                object_type="serviceoffer",
                object_id=str(offer.pk),
                person_id=offer.person_id,
                summary=f"Offre de service {offer.reference} (campagne n°{campaign.pk})",
            )
            for offer in offers
        ]
    )
    return campaign


@transaction.atomic
def set_offer_status(*, actor: User | None, offer: ServiceOffer, status: str) -> ServiceOffer:
    message = offer_rules.transition_error(offer.status, status)
    if message:
        raise BusinessError({"status": message})
    before = audit.snapshot(offer)
    offer.status = status
    if status in {StatutOffre.ACCEPTEE, StatutOffre.REFUSEE}:
        offer.answered_on = clock.today()
    offer.save(update_fields=["status", "answered_on"])
    audit.record_write(
        actor=actor,
        obj=offer,
        before=before,
        person_id=offer.person_id,
        summary=f"Offre {offer.reference} : {StatutOffre(status).label.lower()}",
    )
    return offer


@transaction.atomic
def accept_offers_on_registration(
    *, actor: User | None, action: GroupAction, person: Person
) -> int:
    """La personne s'inscrit à une séance de ``action`` : ses offres de service sans réponse
    qui proposaient cette réunion passent « acceptée ». Appelé par ``groups.services.register``
    dans la même transaction ; renvoie le nombre d'offres acceptées."""
    offers = ServiceOffer.objects.filter(
        campaign__group_action=action,
        person=person,
        status__in=[StatutOffre.ENVOYEE, StatutOffre.SANS_REPONSE],
    )
    accepted = 0
    for offer in offers:
        set_offer_status(actor=actor, offer=offer, status=StatutOffre.ACCEPTEE)
        accepted += 1
    return accepted


@transaction.atomic
def remind_offer(*, actor: User, offer: ServiceOffer) -> ServiceOffer:
    if not offer_rules.can_remind(offer.status):
        raise BusinessError("Une offre qui a reçu une réponse ne se relance pas.")
    before = audit.snapshot(offer)
    offer.reminders += 1
    offer.last_reminder_on = clock.today()
    offer.save(update_fields=["reminders", "last_reminder_on"])
    audit.record_write(
        actor=actor,
        obj=offer,
        before=before,
        person_id=offer.person_id,
        summary=f"Relance de l'offre {offer.reference}",
    )
    return offer


@transaction.atomic
def prepare_campaign_letters(
    *, actor: User, campaign: Campaign, offers: Sequence[ServiceOffer]
) -> int:
    """« Préparer les courriers » : pour une campagne qui propose une réunion d'information,
    l'invitation (et donc le lien personnel) de chaque personne des ``offers`` qui recevra un
    courrier (adresse postale utilisable) ; sans effet pour les autres propositions et pour les
    personnes déjà invitées. Renvoie le nombre d'invitations créées. Le PDF des courriers, lui,
    ne fait que lire."""
    if campaign.group_action is None:
        return 0
    addressed, _ = letters.split_by_address(offers)
    created, _ = group_services.invite(
        actor=actor,
        action=campaign.group_action,
        people=[o.person for o in addressed],
        source=Invitation.Source.CIBLAGE,
        channel=campaign.channel,
    )
    return len(created)


@transaction.atomic
def start_letter_batch(
    *, actor: User, campaign: Campaign, reminder: bool, site_url: str
) -> LetterBatch:
    """Un gros lot de courriers à préparer en tâche de fond (``tasks.render_letters_after_commit``)
    pour ``actor`` ; ses lots précédents de la même campagne (et du même type) sont supprimés."""
    LetterBatch.objects.filter(campaign=campaign, created_by=actor, reminder=reminder).delete()
    batch = LetterBatch.objects.create(
        organisation_id=campaign.organisation_id,
        campaign=campaign,
        reminder=reminder,
        site_url=site_url,
        created_by=actor,
    )
    audit.record_write(
        actor=actor,
        obj=batch,
        before=None,
        person_id=None,
        summary=f"Courriers {'de relance ' if reminder else ''}en préparation (campagne "
        f"n°{campaign.pk})",
        fields=["campaign", "reminder", "status"],  # jamais le PDF
    )
    return batch


def finish_letter_batch(*, batch_id: int, pdf: bytes | None, count: int = 0) -> None:
    """Fin de la tâche : le PDF prêt, ou l'échec (``pdf`` vide)."""
    LetterBatch.objects.filter(pk=batch_id).update(
        status=LetterBatch.Status.PRET if pdf else LetterBatch.Status.ECHEC,
        pdf=pdf or b"",
        count=count,
        finished_at=clock.now(),
    )


def campaign_invitations(
    campaign: Campaign, offers: Sequence[ServiceOffer]
) -> dict[int, Invitation]:
    """Les invitations à la réunion proposée par ``campaign``, par personne des ``offers``."""
    if campaign.group_action_id is None:
        return {}
    return {
        i.person_id: i
        for i in Invitation.objects.filter(
            action_id=campaign.group_action_id, person_id__in=[o.person_id for o in offers]
        )
    }


def _offer_messages(
    campaign: Campaign, offers: Sequence[ServiceOffer], link: Link | None = None
) -> list[messaging.Message]:
    """Le courriel ou SMS de chaque offre (invitation et lien personnel pour une réunion)."""
    messages = []
    by_id = {o.pk: o for o in offers}
    people = Person.objects.in_bulk([o.person_id for o in offers])
    invitations = campaign_invitations(campaign, offers)
    sessions = queries.upcoming_sessions(campaign)
    dates = "; ".join(f"{s.date:%d/%m/%Y} à {s.start_time:%H:%M}, {s.place}" for s in sessions)
    for offer in by_id.values():
        person = people[offer.person_id]
        invitation = invitations.get(offer.person_id)
        if (
            campaign.proposal == Campaign.Proposal.REUNION
            and campaign.group_action is not None
            and invitation is not None
        ):
            body = (
                f"Bonjour, le service social de {campaign.organisation.name} vous invite à une "
                f"réunion d'information collective, gratuite : {campaign.group_action.title}"
                + (f" ({dates})" if dates else "")
                + ". Inscrivez-vous avec votre lien personnel : "
                + (link(invitation) if link else group_services.make_token(invitation))
                + (f" ou appelez le {campaign.phone}" if campaign.phone else "")
                + f" (référence {offer.reference})."
            )
            to = person.email if campaign.channel == Canal.EMAIL else person.phone
            messages.append(
                messaging.Message(
                    campaign.channel,
                    to,
                    "Une réunion d'information pour vous",
                    body,
                    offer.reference,
                )
            )
            continue
        if campaign.proposal == Campaign.Proposal.RENDEZ_VOUS:
            ask = "vous propose un rendez-vous pour faire le point avec vous"
        else:
            ask = "peut vous aider"
        body = (
            f"Bonjour, le service social de {campaign.organisation.name} {ask}. "
            f"C'est gratuit et confidentiel. Appelez-nous"
            + (f" au {campaign.phone}" if campaign.phone else "")
            + f" en donnant la référence {offer.reference}."
        )
        to = person.email if campaign.channel == Canal.EMAIL else person.phone
        messages.append(
            messaging.Message(
                campaign.channel, to, "Le service social peut vous aider", body, offer.reference
            )
        )
    return messages


@transaction.atomic
def remind_campaign(
    *,
    actor: User,
    campaign: Campaign,
    offers: Sequence[ServiceOffer],
    sender: messaging.Sender | None = None,
    link: Link | None = None,
) -> int:
    """Relance les offres sans réponse de ``offers`` (déjà filtrées par les droits de l'agent) :
    les offres envoyées depuis 30 jours passent d'abord « sans réponse » ; courriel et SMS
    repartent par l'expéditeur une fois la relance validée ; pour le courrier, la relance est
    notée (nouveau PDF)."""
    today = clock.today()
    to_remind = [o for o in offers if offer_rules.can_remind(o.status)]
    for offer in to_remind:
        if offer_rules.is_overdue(offer.status, offer.sent_on, today):
            set_offer_status(actor=actor, offer=offer, status=StatutOffre.SANS_REPONSE)
        remind_offer(actor=actor, offer=offer)
    if campaign.channel in {Canal.EMAIL, Canal.SMS} and to_remind:
        messaging.send_after_commit(
            sender or messaging.get_sender(), _offer_messages(campaign, to_remind, link=link)
        )
    return len(to_remind)
