"""Ce que partagent les pages des actions collectives."""

from django.http import Http404
from django.urls import reverse

from parcours.groups import services

NAV = "collectif"


def require(allowed: bool) -> None:
    """Refusé répond comme absent : 404 (la décision vient d'une politique)."""
    if not allowed:
        raise Http404("Introuvable.")


def personal_link(request, invitation) -> str:
    """L'adresse complète du lien personnel de l'invitation."""
    return request.build_absolute_uri(
        reverse("collectif-lien", args=[services.make_token(invitation)])
    )
