"""« Mon activité » de l'AS : ses accompagnements (``cases``), ses demandes de rendez-vous en
attente et ses rendez-vous de la semaine (``outreach``), ses orientations relancées ou qui ont
reçu une réponse (``sharing``), ses chiffres du mois.

Même URL (« mon-activite ») et même gabarit (``cases/mon_activite.html``) qu'avant. Les
accompagnements ouverts se lisent par pages de 25 (``core.pagination``), les plus anciens sans
activité d'abord ; « À traiter » en nomme les 10 premiers sans activité depuis 4 mois.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from parcours.cases import policies
from parcours.cases import queries as case_queries
from parcours.core import clock
from parcours.core.pagination import paginate
from parcours.people import services as people_services
from parcours.rules import timers
from parcours.sharing import policies as sharing_policies
from parcours.sharing import queries as sharing_queries
from parcours.www import queries

CASES_PER_PAGE = 25
INACTIVE_SHOWN = 10


@login_required
def my_activity(request):
    if not policies.can_view_my_activity(request.user):
        raise Http404("Introuvable.")
    today = clock.today()
    open_cases = case_queries.my_open_cases(request.user)
    threshold = timers.without_activity_cutoff(today)
    inactive = open_cases.filter(last_activity_on__lte=threshold)
    inactive_count = inactive.count()
    page, query = paginate(request, open_cases, per_page=CASES_PER_PAGE)
    inactive_shown = list(inactive[:INACTIVE_SHOWN])
    waiting = queries.waiting_requests(request.user, today)
    appointments = list(queries.week_appointments(request.user, today))
    orientations = list(
        sharing_queries.sender_alerts(request.user, today).filter(
            pk__in=sharing_policies.visible_orientations(request.user).values("pk")
        )
    )
    people_services.record_export(
        actor=request.user,
        what="Mon activité (accompagnements, demandes, rendez-vous)",
        people=people_services.person_ids(
            [*page, *inactive_shown, *(r for r, _ in waiting), *appointments, *orientations]
        ),
        listing=True,
    )
    return render(
        request,
        "cases/mon_activite.html",
        {
            "today": today,
            "page": page,
            "query": query,
            "threshold": threshold,
            "inactive": inactive_shown,
            "inactive_count": inactive_count,
            "inactive_more": max(0, inactive_count - INACTIVE_SHOWN),
            "waiting": waiting,
            "appointments": appointments,
            "orientations": orientations,
            "figures": case_queries.month_figures(request.user, today),
            "nav": "activite",
        },
    )
