"""Recherche de personnes et fiche d'une personne : identité (``people``), AS qui la suivent et
chronologie (``cases``, avec les orientations envoyées et leurs réponses, ``sharing``), demandes
et rendez-vous (``outreach``).

Mêmes URL (« personnes », « personne ») et mêmes gabarits (``people/…``) qu'avant.
"""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from parcours.cases import queries as case_queries
from parcours.core import clock
from parcours.outreach.policies import can_book
from parcours.people import policies, services
from parcours.people.forms import SearchForm
from parcours.people.queries import search_people
from parcours.privacy import policies as privacy_policies
from parcours.sharing import policies as sharing_policies
from parcours.sharing import queries as sharing_queries
from parcours.www import queries


@transaction.non_atomic_requests  # une lecture, même en POST : pas de verrou d'écriture
@login_required
def search(request):
    """Recherche en POST : les noms et NIR saisis ne passent jamais dans l'URL ni les journaux."""
    if not policies.can_search_people(request.user):
        raise Http404("Introuvable.")
    form = SearchForm(request.POST or None)
    results, searched = [], False
    if request.method == "POST" and form.is_valid():
        searched = bool(form.cleaned_data["q"].strip())
        results = search_people(request.user, form.cleaned_data["q"])
        services.record_export(
            actor=request.user,
            what="Recherche de personnes",
            people=services.person_ids(results),
            listing=True,
        )
    referents = case_queries.followers([p.pk for p in results])
    context = {
        "form": form,
        "results": results,
        "searched": searched,
        "referents": referents,
        "nav": "personnes",
    }
    status = 422 if form.is_bound and form.errors else 200
    if request.htmx:
        return render(request, "people/partials/resultats.html", context, status=status)
    return render(request, "people/recherche.html", context, status=status)


def with_orientations(items: list, orientations) -> list:
    """La chronologie et, pour chaque orientation, son envoi et chaque réponse du destinataire
    (ou relance), du plus récent au plus ancien."""
    extra = []
    for orientation in orientations:
        for event in orientation.events.all():
            extra.append(
                {
                    "on": timezone.localdate(event.at),
                    "kind": "orientation",
                    "orientation": orientation,
                    "event": event,
                }
            )

    def order(item: dict) -> tuple:
        event = item.get("event")
        return (item["on"], event.at.timestamp() if event is not None else 0.0)

    return sorted([*items, *extra], key=order, reverse=True)


@login_required
def detail(request, pk):
    person = policies.get_person_or_404(request.user, pk)
    services.record_view(actor=request.user, person=person)
    see_cases = policies.can_see_case_contents(request.user)
    today = clock.today()
    context = {
        "person": person,
        "age": services.age(person),
        "see_cases": see_cases,
        "referents": case_queries.followers([person.pk]).get(person.pk, []),
        "can_reveal_nir": policies.can_reveal_nir(request.user, person),
        "pending_requests": queries.pending_requests_of(request.user, person, today),
        "can_book": can_book(request.user),
        "can_merge": policies.can_merge_people(request.user),
        "can_export_access": privacy_policies.can_prepare_access_export(request.user, person),
        "now": clock.now(),
        "appointments": queries.appointments_of(request.user, person),
        "nav": "personnes",
    }
    if see_cases:
        cases = case_queries.cases_of_person(request.user, person)
        contacts = case_queries.contacts_of(cases)
        context["cases"] = cases
        context["timeline"] = with_orientations(
            case_queries.timeline(person, cases, contacts),
            sharing_queries.orientations_of_person(
                sharing_policies.visible_orientations(request.user), person
            ),
        )
    context["can_orient"] = sharing_policies.can_orient(request.user, person)
    return render(request, "people/fiche.html", context)
