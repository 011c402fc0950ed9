"""Lectures de l'annuaire (recherche, filtres, conventions à échéance) et des subventions
(chiffres des appels, versements, export d'une année, activité des actions financées)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Sum

from parcours.core.models import Departement, Site
from parcours.partners.models import (
    Application,
    Convention,
    Grant,
    Partner,
    Payment,
    ProjectCall,
    YearlyReport,
)
from parcours.rules import conventions as rules
from parcours.rules import subsidies as subsidy_rules

if TYPE_CHECKING:
    from django.db.models import QuerySet


def search_partners(
    partners: QuerySet[Partner],
    *,
    text: str = "",
    kind: str = "",
    departement: str = "",
    to_verify: bool = False,
) -> QuerySet[Partner]:
    """Par nom (contient, sans casse), type, département couvert ; « à vérifier » seulement."""
    if to_verify:
        partners = partners.filter(to_verify=True)
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


# ---------------------------------------------------------------- subventions


@dataclass(frozen=True)
class CallRow:
    """Un appel à projets et ses chiffres : état (``rules.subsidies``), accordé, versé, budget."""

    call: ProjectCall
    status: str
    received: int
    pending: int
    granted: Decimal
    paid: Decimal

    @property
    def status_label(self) -> str:
        return subsidy_rules.CALL_LABELS[self.status]

    @property
    def budget_left(self) -> Decimal:
        return subsidy_rules.remaining(self.call.budget, self.granted)

    @property
    def consumption_pct(self) -> Decimal | None:
        return subsidy_rules.ratio_pct(self.granted, self.call.budget)


def calls_with_figures(calls: Iterable[ProjectCall], today: datetime.date) -> list[CallRow]:
    """Chaque appel avec ses candidatures comptées, le total accordé et le total versé, en trois
    requêtes groupées quel que soit le nombre d'appels."""
    calls = list(calls)
    ids = [c.pk for c in calls]
    received: dict[int, int] = {}
    pending: dict[int, int] = {}
    for row in (
        Application.objects.filter(call_id__in=ids)
        .order_by()
        .values("call_id", "status")
        .annotate(n=Count("id"))
    ):
        received[row["call_id"]] = received.get(row["call_id"], 0) + row["n"]
        if row["status"] not in subsidy_rules.DECISIONS:
            pending[row["call_id"]] = pending.get(row["call_id"], 0) + row["n"]
    granted = dict(
        Grant.objects.filter(application__call_id__in=ids)
        .order_by()
        .values_list("application__call_id")
        .annotate(s=Sum("amount"))
    )
    paid = dict(
        Payment.objects.filter(grant__application__call_id__in=ids)
        .order_by()
        .values_list("grant__application__call_id")
        .annotate(s=Sum("amount"))
    )
    return [
        CallRow(
            call=c,
            status=subsidy_rules.call_status(
                c.opens_on,
                c.closes_on,
                today,
                received=received.get(c.pk, 0),
                pending=pending.get(c.pk, 0),
            ),
            received=received.get(c.pk, 0),
            pending=pending.get(c.pk, 0),
            granted=granted.get(c.pk) or Decimal(0),
            paid=paid.get(c.pk) or Decimal(0),
        )
        for c in calls
    ]


def applications_with_granted(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Les candidatures, leur partenaire et le total accordé (toutes années)."""
    return (
        applications.select_related("partner", "call")
        .annotate(granted=Sum("grants__amount"))
        .order_by("received_on", "pk")
    )


@dataclass(frozen=True)
class GrantRow:
    """Une année de subvention, ce qui est versé et ce qui reste (``rules.subsidies``)."""

    grant: Grant
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        return subsidy_rules.remaining(self.grant.amount, self.paid)

    @property
    def paid_pct(self) -> Decimal | None:
        return subsidy_rules.ratio_pct(self.paid, self.grant.amount)


def grants_with_payments(grants: QuerySet[Grant]) -> list[GrantRow]:
    """Les années de subvention (appel, partenaire, convention) et leur total versé."""
    rows = (
        grants.select_related(
            "application", "application__call", "application__partner", "convention"
        )
        .annotate(paid=Sum("payments__amount"))
        .order_by("year", "application__partner__name", "pk")
    )
    return [GrantRow(g, g.paid or Decimal(0)) for g in rows]


def grant_years(grants: QuerySet[Grant]) -> list[int]:
    """Les années où des subventions sont accordées, la plus récente d'abord."""
    return sorted(set(grants.order_by().values_list("year", flat=True)), reverse=True)


GRANT_EXPORT_HEADER = [
    "Année",
    "Appel à projets",
    "Programme",
    "Partenaire",
    "SIRET",
    "Projet",
    "Convention",
    "Montant accordé (€)",
    "Versé (€)",
    "Reste à verser (€)",
    "Bilan reçu le",
    "Participants déclarés",
    "Séances déclarées",
]


def grant_export_rows(rows: Iterable[GrantRow]) -> list[list[object]]:
    """Les lignes de l'export d'une année : montants en nombres (le tableur les additionne)."""
    reports = {
        r.grant_id: r
        for r in YearlyReport.objects.filter(grant_id__in=[row.grant.pk for row in rows])
    }
    lines: list[list[object]] = []
    for row in rows:
        grant, report = row.grant, reports.get(row.grant.pk)
        lines.append(
            [
                grant.year,
                grant.application.call.title,
                grant.application.call.get_programme_display(),
                grant.application.partner.name,
                grant.application.partner.siret,
                grant.application.project_title,
                grant.convention.object,
                Decimal(grant.amount).quantize(subsidy_rules.CENT),
                Decimal(row.paid).quantize(subsidy_rules.CENT),
                row.remaining,
                report.received_on.strftime("%d/%m/%Y") if report else "",
                report.participants if report else "",
                report.sessions if report else "",
            ]
        )
    return lines


# ---------------------------------------------------------------- activité des actions financées


@dataclass(frozen=True)
class RecordedActivity:
    """Ce que Parcours a enregistré pour les actions qu'une année de subvention finance : une
    ligne par action (intitulé, lien s'il se montre à l'agent, séances, participants) et les
    totaux (participants distincts sur l'ensemble des actions)."""

    actions: list[dict[str, Any]] = field(default_factory=list)
    sessions: int = 0
    participants: int = 0


#: Fonctions ``fn(*, user, grant) -> RecordedActivity`` qu'inscrit une couche plus haute (les
#: actions collectives) depuis le ``ready()`` de son application ; l'annuaire n'en importe rien.
ACTIVITY_SOURCES: list[Callable[..., RecordedActivity]] = []


def add_activity_source(fn: Callable[..., RecordedActivity]) -> Callable[..., RecordedActivity]:
    """Ajoute une source d'activité enregistrée (une seule fois) ; renvoie ``fn``."""
    if fn not in ACTIVITY_SOURCES:
        ACTIVITY_SOURCES.append(fn)
    return fn


def recorded_activity(user: Any, grant: Grant) -> RecordedActivity:
    """L'activité enregistrée de toutes les sources pour l'année de subvention ``grant``."""
    actions: list[dict[str, Any]] = []
    sessions = participants = 0
    for source in ACTIVITY_SOURCES:
        part = source(user=user, grant=grant)
        actions += part.actions
        sessions += part.sessions
        participants += part.participants
    return RecordedActivity(actions, sessions, participants)


def directory_choices(
    partners: QuerySet[Partner], keep: Iterable[object] = ()
) -> QuerySet[Partner]:
    """Les partenaires proposés dans un formulaire : les actifs, et ceux de ``keep`` (déjà
    choisis) même inactifs, par nom."""
    from django.db.models import Q

    kept = [k for k in keep if k]
    return partners.filter(Q(active=True) | Q(pk__in=kept)).order_by("name", "pk")


def partner_sites(organisation_id: int | None) -> QuerySet[Site]:
    """Les lieux de l'organisme qui peuvent être accueillis par un partenaire (permanences)."""
    if organisation_id is None:
        return Site.objects.none()
    return Site.objects.filter(
        organisation_id=organisation_id, kind=Site.Kind.PERMANENCE_PARTENAIRE
    ).order_by("departement", "name")
