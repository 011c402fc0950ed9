"""Chiffres des aides : budgets, délais, conventions, indus ; export des paiements."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404

from parcours.aid import policies, queries
from parcours.aid.views.common import render_page
from parcours.core import clock
from parcours.core.params import year_param
from parcours.core.tabular import csv_response
from parcours.people import services as people_services
from parcours.rules import aid_rules


@login_required
def figures(request):
    if not policies.can_see_figures(request.user):
        raise Http404("Introuvable.")
    year = year_param(request, "annee", clock.today().year)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    organisation_id = request.agent.organisation_id
    indicators = queries.processing_indicators(organisation_id, start, end)
    return render_page(
        request,
        "aid/chiffres.html",
        {
            "year": year,
            "years": list(range(clock.today().year, clock.today().year - 4, -1)),
            "budgets": queries.budget_status(organisation_id, year),
            "conventions": queries.convention_counts(organisation_id, start, end),
            "overpayments": queries.overpayment_figures(organisation_id, year),
            "evaluation_counts": queries.evaluation_counts(organisation_id, start, end),
            "ind": indicators,
            "euros": aid_rules.euros,
            "can_export_payments": policies.can_export_payments(request.user),
        },
    )


@login_required
def payments_csv(request):
    """Les paiements de l'année pour la comptabilité : un responsable, ses départements."""
    if not policies.can_export_payments(request.user):
        raise Http404("Introuvable.")
    year = year_param(request, "annee", clock.today().year)
    rows = list(
        queries.payments_for_export(
            policies.visible_requests(request.user),
            datetime.date(year, 1, 1),
            datetime.date(year, 12, 31),
        )
    )
    people_services.record_export(
        actor=request.user,
        what=f"Export des paiements {year}",
        people=(p.request.person_id for p in rows),
        criteria={"annee": year},
    )
    response, _count = csv_response(
        f"paiements-{year}.csv",
        ["date_paiement", "demande_id", "aide_code", "ligne_budgetaire", "montant", "paye_a",
         "nom", "prenom", "prestataire"],
        (
            [p.paid_on.isoformat(), p.request_id, p.request.aid.code, p.request.aid.budget_code,
             f"{p.amount:.2f}", p.payee, p.request.person.last_name,
             p.request.person.first_names, p.payee_name]
            for p in rows
        ),
    )  # fmt: skip
    return response
