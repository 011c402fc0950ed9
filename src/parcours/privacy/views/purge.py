"""Les purges sur le web : le panneau (dernière et prochaine purge) et l'essai à blanc, pour les
administrateurs et le DPO de l'organisme ; 404 pour tout autre agent. La purge réelle reste
celle de la tâche quotidienne et de ``parcours rgpd purger``."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe

from parcours.privacy import policies, queries
from parcours.privacy.services import purge


def _allowed(request) -> None:
    if not policies.can_run_purges(request.user):
        raise Http404("Introuvable.")


@login_required
@require_safe
def purges(request):
    _allowed(request)
    return render(
        request,
        "privacy/purges.html",
        {"panel": queries.purge_panel(request.user.organisation), "nav": "administration"},
    )


@login_required
@require_POST
def purge_preview(request):
    """L'essai à blanc au jour même : ce que ferait la purge, par catégorie ; rien n'est écrit."""
    _allowed(request)
    result = purge.purge(organisation=request.user.organisation, dry_run=True)
    context = {"result": result, "lines": purge.summary_lines(result)[1:-1]}
    if request.headers.get("HX-Request"):
        return render(request, "privacy/_purge_preview.html", context)
    return render(
        request,
        "privacy/purges.html",
        {"panel": queries.purge_panel(request.user.organisation), "nav": "administration"}
        | {"preview": context},
    )
