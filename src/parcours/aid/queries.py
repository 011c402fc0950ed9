"""Lectures partagées des pages d'aides : agrégats en SQL."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q, Sum

from parcours.aid.models import (
    Aid,
    AidRequest,
    BudgetLine,
    Evaluation,
    Overpayment,
    Payment,
    Recovery,
)
from parcours.partners.models import Convention
from parcours.rules import aid_workflow as wf
from parcours.rules import evaluation as evaluation_rules

ZERO = Decimal("0")


def aids_in_force(organisation_id, on: date):
    return (
        Aid.objects.filter(organisation_id=organisation_id, regulation__starts_on__lte=on)
        .filter(Q(regulation__ends_on__isnull=True) | Q(regulation__ends_on__gte=on))
        .select_related("regulation")
        .order_by("source", "name")
    )


def budget_status(organisation_id, year: int) -> list[dict]:
    """Par ligne budgétaire : dotation, engagé (aides accordées dans l'année), payé, reste."""
    committed = dict(
        AidRequest.objects.filter(
            organisation_id=organisation_id,
            state__in=[wf.ACCORDEE, wf.PAYEE],
            decided_on__year=year,
        )
        .values_list("aid__budget_code")
        .annotate(total=Sum("decided_amount"))
    )
    paid = dict(
        Payment.objects.filter(organisation_id=organisation_id, paid_on__year=year)
        .values_list("request__aid__budget_code")
        .annotate(total=Sum("amount"))
    )
    rows = []
    for line in BudgetLine.objects.filter(organisation_id=organisation_id, year=year):
        c, p = committed.get(line.code) or ZERO, paid.get(line.code) or ZERO
        rows.append(
            {
                "line": line,
                "committed": c,
                "paid": p,
                "remaining": line.allocated - c,
                "execution_pct": (p * 100 / line.allocated).quantize(Decimal("0.1"))
                if line.allocated
                else None,
            }
        )
    return rows


def convention_counts(organisation_id, start: date, end: date) -> list[dict]:
    """Évaluations pour le compte d'autres organismes, par convention et période, à facturer :
    les conventions de l'annuaire à prix unitaire, par partenaire."""
    conventions = (
        Convention.objects.filter(
            partner__organisation_id=organisation_id, unit_price__isnull=False
        )
        .select_related("partner")
        .annotate(
            count=Count(
                "evaluations",
                filter=Q(evaluations__evaluated_on__gte=start, evaluations__evaluated_on__lte=end),
            )
        )
        .order_by("partner__name", "start", "pk")
    )
    return [
        {
            "convention": c,
            "count": c.count,
            "amount": evaluation_rules.invoice_amount(c.count, c.unit_price or Decimal("0")),
        }
        for c in conventions
    ]


def processing_days(
    organisation_id, start: date, end: date, until: str = "decided_on", departements=None
):
    """Délais (jours) de la demande complète à la décision (ou au paiement), décisions de la
    période (des ``departements`` donnés, sinon de tout l'organisme) ; la suspension « à
    compléter » est hors délai (le délai part de la complétude)."""
    requests = AidRequest.objects.filter(
        organisation_id=organisation_id,
        completed_on__isnull=False,
        decided_on__gte=start,
        decided_on__lte=end,
    )
    if departements is not None:
        requests = requests.filter(departement_id__in=list(departements))
    if until == "paid_on":
        requests = requests.annotate(first_paid=Min("payments__paid_on")).filter(
            first_paid__isnull=False
        )
        end_field = F("first_paid")
    else:
        end_field = F("decided_on")
    durations = requests.annotate(
        delay=ExpressionWrapper(end_field - F("completed_on"), output_field=DurationField())
    ).values_list("delay", flat=True)
    return [d.days for d in durations]


def processing_indicators(organisation_id, start: date, end: date) -> dict:
    decided = AidRequest.objects.filter(
        organisation_id=organisation_id, decided_on__gte=start, decided_on__lte=end
    )
    figures = decided.aggregate(
        total=Count("id", distinct=True),
        completed=Count("id", filter=Q(events__event="demander_pieces"), distinct=True),
        granted=Count("id", filter=Q(state__in=[wf.ACCORDEE, wf.PAYEE]), distinct=True),
        paid=Count("id", filter=Q(state=wf.PAYEE), distinct=True),
    )
    return {
        "decision": wf.processing_times(processing_days(organisation_id, start, end)),
        "payment": wf.processing_times(processing_days(organisation_id, start, end, "paid_on")),
        "decided": figures["total"],
        "needed_completion": figures["completed"],
        "granted": figures["granted"],
        "paid": figures["paid"],
    }


def evaluation_counts(organisation_id, start: date, end: date) -> list[tuple[str, int]]:
    """Évaluations de la période par nature (libellé, nombre), toutes natures listées."""
    counts = dict(
        Evaluation.objects.filter(
            organisation_id=organisation_id, evaluated_on__gte=start, evaluated_on__lte=end
        )
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    return [(label, counts.get(kind, 0)) for kind, label in Evaluation.Kind.choices]


def payments_for_export(requests, start: date, end: date):
    """Les paiements de la période pour les demandes données (périmètre de l'agent)."""
    return (
        Payment.objects.filter(request__in=requests, paid_on__gte=start, paid_on__lte=end)
        .select_related("request__aid", "request__person")
        .order_by("paid_on", "id")
    )


def latest_gir(person) -> int | None:
    return (
        Evaluation.objects.filter(person=person)
        .order_by("-evaluated_on", "-id")
        .values_list("gir", flat=True)
        .first()
    )


def overpayment_figures(organisation_id, year: int) -> dict:
    """Indus constatés dans l'année, recouvrés (à ce jour) et taux de recouvrement."""
    detected = Overpayment.objects.filter(organisation_id=organisation_id, detected_on__year=year)
    total = detected.aggregate(total=Sum("amount"))["total"] or ZERO
    recovered = (
        Recovery.objects.filter(overpayment__in=detected).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    return {
        "count": detected.count(),
        "total": total,
        "recovered": recovered,
        "rate_pct": wf.recovery_rate(total, recovered),
    }
