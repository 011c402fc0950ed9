"""L'accueil de la détection : chiffres du jour selon le rôle."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from parcours.outreach import policies, queries


@login_required
def home(request):
    if not policies.sees_detection(request.user):
        raise Http404("Introuvable.")
    return render(
        request,
        "outreach/detection.html",
        {"figures": queries.detection_figures(request.user), "nav": "detection"},
    )
