"""Ce que partagent les pages des partenaires."""

from django.http import Http404

NAV = "partenaires"


def require(allowed: bool) -> None:
    """Refusé répond comme absent : 404 (la décision vient d'une politique)."""
    if not allowed:
        raise Http404("Introuvable.")
