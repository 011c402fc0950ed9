"""Outils communs des pages des aides : gabarit, journal des affichages, accès aux dossiers."""

from django.http import Http404
from django.shortcuts import render

from parcours.aid import policies
from parcours.people.policies import get_person_or_404

NAV = "aides"


def render_page(request, template, context, status=200):
    """Une page des aides (menu « Aides »)."""
    return render(request, template, {"nav": NAV, **context}, status=status)


def record_view(request, person):
    """Chaque affichage d'un dossier d'aide est journalisé, comme la fiche (qui, quand)."""
    from parcours.people import services as people_services

    people_services.record_view(actor=request.user, person=person)


def person_for_files(request, pk):
    """La personne, si l'agent la voit et travaille sur les dossiers d'aide ; sinon 404."""
    person = get_person_or_404(request.user, pk)
    if not policies.can_work_on_files(request.user):
        raise Http404("Introuvable.")
    return person


def manager_only(request):
    """404 pour qui n'est pas responsable."""
    if not policies.is_manager(request.user):
        raise Http404("Introuvable.")
