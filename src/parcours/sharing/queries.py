"""Lectures du partage : les consentements d'une personne, ceux qui couvrent un destinataire."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q

from parcours.rules import sharing as rules
from parcours.sharing.models import Consent

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from parcours.core.models import Organisation
    from parcours.partners.models import Partner
    from parcours.people.models import Person


def active_consents(
    person: Person,
    today: date,
    *,
    partner: Partner | None = None,
    organisation: Organisation | None = None,
) -> QuerySet[Consent]:
    """Les consentements de ``person`` en vigueur ``today`` (donnés, non retirés), pour ce
    destinataire s'il est nommé."""
    found = Consent.objects.filter(person=person, given_on__lte=today).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today)
    )
    if partner is not None:
        found = found.filter(partners=partner)
    if organisation is not None:
        found = found.filter(organisations=organisation)
    return found.distinct()


def with_status(consents, today: date) -> list[Consent]:
    """Les consentements, chacun avec son état du jour (``state``, ``state_label``)."""
    rows = list(consents)
    for consent in rows:
        consent.state = rules.status(consent.given_on, consent.withdrawn_on, today)
        consent.state_label = rules.STATUS_LABELS[consent.state]
    return rows
