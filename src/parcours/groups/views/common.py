"""Ce que partagent les pages des actions collectives."""

from django.urls import reverse

from parcours.groups import services

NAV = "collectif"


def personal_link(request, invitation) -> str:
    """L'adresse complète du lien personnel de l'invitation."""
    return request.build_absolute_uri(
        reverse("collectif-lien", args=[services.make_token(invitation)])
    )
