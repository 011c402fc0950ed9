"""Ce que partagent les vues de la détection."""

from django.http import Http404
from django.urls import reverse

from parcours.groups import services as group_services
from parcours.outreach import policies
from parcours.people import services as people_services


def personal_link(request):
    """L'adresse complète du lien personnel d'une invitation à une action collective."""

    def link(invitation) -> str:
        token = group_services.make_token(invitation)
        return request.build_absolute_uri(reverse("collectif-lien", args=[token]))

    return link


def manager_only(request):
    if not policies.can_manage_targeting(request.user):
        raise Http404("Introuvable.")


def search_candidates(request, form_q: str):
    from parcours.people.queries import search_people

    if not form_q:
        return []
    found = search_people(request.user, form_q, limit=10)
    people_services.record_export(
        actor=request.user,
        what="Recherche de personnes",
        people=people_services.person_ids(found),
        listing=True,
    )
    return found
