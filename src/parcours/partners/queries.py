"""Lectures de l'annuaire : recherche, filtres, conventions à échéance."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from parcours.core.models import Departement
from parcours.partners.models import Convention, Partner
from parcours.rules import conventions as rules

if TYPE_CHECKING:
    from django.db.models import QuerySet


def search_partners(
    partners: QuerySet[Partner], *, text: str = "", kind: str = "", departement: str = ""
) -> QuerySet[Partner]:
    """Par nom (contient, sans casse), type et département couvert."""
    if text:
        partners = partners.filter(name__icontains=text)
    if kind:
        partners = partners.filter(kind=kind)
    if departement:
        partners = partners.filter(territories__code=departement).distinct()
    return partners.select_related("commune").order_by("name", "pk")


@dataclass(frozen=True)
class ConventionRow:
    """Une convention et son état au jour dit (``rules.conventions``)."""

    convention: Convention
    status: str

    @property
    def status_label(self) -> str:
        return rules.LABELS[self.status]


def with_status(conventions: Iterable[Convention], today: datetime.date) -> list[ConventionRow]:
    """Les conventions, chacune avec son état au jour ``today``."""
    return [ConventionRow(c, rules.status(c.start, c.end, today)) for c in conventions]


def expiring_conventions(
    conventions: QuerySet[Convention], today: datetime.date
) -> list[ConventionRow]:
    """Les conventions en cours qui prennent fin dans les 60 jours (la plus proche d'abord) :
    l'état vient de ``rules.conventions``."""
    rows = with_status(
        conventions.filter(end__gte=today).select_related("partner").order_by("end", "pk"), today
    )
    return [row for row in rows if row.status == rules.EXPIRING]


def organisation_departements(organisation_id: int | None) -> QuerySet[Departement]:
    """Les départements couverts par l'organisme (choix des territoires et filtre)."""
    if organisation_id is None:
        return Departement.objects.none()
    return Departement.objects.filter(organisation__pk=organisation_id).order_by("code")
