"""Accueil : contacts d'accueil (CSAM, secrétaires), dont ceux qui répondent à une offre."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from parcours.core import audit, clock
from parcours.core.exceptions import BusinessError
from parcours.core.nomenclatures import StatutOffre
from parcours.core.roles import organisation_of
from parcours.outreach.models import FrontLineContact, ServiceOffer
from parcours.outreach.services.campaigns import set_offer_status
from parcours.rules import offers as offer_rules

if TYPE_CHECKING:
    from parcours.core.models import Site, User
    from parcours.partners.models import Partner
    from parcours.people.models import Person


@transaction.atomic
def record_front_line_contact(
    *,
    actor: User,
    channel: str,
    reason: str,
    answer: str,
    departement_id: str,
    person: Person | None = None,
    new_person: dict | None = None,
    partner: str = "",
    oriented_to: Partner | None = None,
    message: str = "",
    recipient: User | None = None,
    duration_minutes: int = 5,
    site: Site | None = None,
    offer: ServiceOffer | None = None,
) -> FrontLineContact:
    """Un contact d'accueil ; ``new_person`` crée la fiche dans la même transaction.

    Avec ``offer`` (la personne rappelle avec la référence de son courrier), le contact porte
    sur la personne de l'offre, et un rendez-vous fixé rend l'offre « acceptée ».
    """
    from parcours.people.services import create_person

    if offer is not None:
        person, new_person = offer.person, None
    errors = {}
    if oriented_to is not None and oriented_to.organisation_id != organisation_of(actor):
        errors["oriented_to"] = "Partenaire inconnu dans l'annuaire de l'organisme."
    elif answer == FrontLineContact.Answer.ORIENTATION and not (partner.strip() or oriented_to):
        errors["partner"] = "Indiquez le partenaire vers lequel la personne est orientée."
    if oriented_to is not None:
        partner = ""
    if answer == FrontLineContact.Answer.MESSAGE_AS and recipient is None:
        errors["recipient"] = "Choisissez l'AS à qui transmettre le message."
    if answer == FrontLineContact.Answer.RENDEZ_VOUS and person is None and not new_person:
        errors["person"] = "Un rendez-vous se fixe pour une personne identifiée."
    if errors:
        raise BusinessError(errors)
    if new_person:
        person = create_person(
            actor=actor, organisation_id=organisation_of(actor), data=new_person, nir=None
        )
    now = clock.now()
    contact = FrontLineContact.objects.create(
        organisation_id=organisation_of(actor),
        at=now,
        date=timezone.localdate(now),
        departement_id=person.departement_id if person is not None else departement_id,
        site=site if site is not None else getattr(actor, "site", None),
        agent=actor,
        person=person,
        channel=channel,
        reason=reason,
        answer=answer,
        partner=partner.strip(),
        oriented_to=oriented_to,
        message=message,
        recipient=recipient,
        duration_minutes=duration_minutes,
    )
    audit.record_write(
        actor=actor,
        obj=contact,
        before=None,
        person_id=person.pk if person is not None else None,
        summary="Contact d'accueil noté"
        + (f" (offre de service {offer.reference})" if offer is not None else ""),
    )
    if (
        offer is not None
        and answer == FrontLineContact.Answer.RENDEZ_VOUS
        and offer_rules.transition_error(offer.status, StatutOffre.ACCEPTEE) is None
    ):
        set_offer_status(actor=actor, offer=offer, status=StatutOffre.ACCEPTEE)
    return contact
