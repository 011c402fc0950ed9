"""« Mon activité » de l'AS : ses accompagnements (``cases``), ses demandes de rendez-vous en
attente et ses rendez-vous de la semaine (``outreach``), ses chiffres du mois.

Même URL (« mon-activite ») et même gabarit (``cases/mon_activite.html``) qu'avant.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from parcours.cases import policies
from parcours.cases import queries as case_queries
from parcours.core import clock
from parcours.www import queries


@login_required
def my_activity(request):
    if not policies.can_view_my_activity(request.user):
        raise Http404("Introuvable.")
    today = clock.today()
    open_cases = list(case_queries.my_open_cases(request.user))
    return render(
        request,
        "cases/mon_activite.html",
        {
            "today": today,
            "open_cases": open_cases,
            "inactive": case_queries.cases_without_activity(open_cases, today),
            "waiting": queries.waiting_requests(request.user, today),
            "appointments": queries.week_appointments(request.user, today),
            "figures": case_queries.month_figures(request.user, today),
            "nav": "activite",
        },
    )
