"""Qui voit et enregistre les consentements et les partages d'une personne.

- Les consentements et partages d'une personne se lisent là où se lit sa fiche : AS, accueil
  et responsables de l'organisme qui la suit, dans leurs départements ;
- AS, accueil et responsables enregistrent un consentement (l'accueil oriente aussi) et le
  retirent quand la personne le demande ;
- pilotage et administrateurs ne voient aucune personne, donc aucun consentement ;
- hors périmètre, 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from parcours.core.policies import get_or_404
from parcours.people.policies import visible_people
from parcours.sharing.models import Consent, Disclosure

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from parcours.core.models import User
    from parcours.people.models import Person


def visible_consents(user: User) -> QuerySet[Consent]:
    return Consent.objects.filter(person__in=visible_people(user))


def visible_disclosures(user: User) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(person__in=visible_people(user))


def can_see_sharing(user: User, person: Person) -> bool:
    """Les partages d'une personne : qui voit sa fiche."""
    return visible_people(user).filter(pk=person.pk).exists()


def can_record_consent(user: User, person: Person) -> bool:
    """Enregistrer ou retirer un consentement : qui voit la fiche (AS, accueil, responsable)."""
    return can_see_sharing(user, person)


def get_consent_or_404(user: User, pk: object) -> Consent:
    return get_or_404(visible_consents(user).select_related("person"), pk)
