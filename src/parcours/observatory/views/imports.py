"""La liste des imports du fichier des retraités, pour qui peut importer (le fichier lui-même
se passe en ligne de commande : ``parcours observatoire importer``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from parcours.observatory import policies
from parcours.observatory.views.common import tabs

#: motifs de rejet montrés par import (les premiers, gardés à l'import)
ERRORS_SHOWN = 5


@login_required
def import_list(request):
    if not policies.can_import_observatory(request.user):
        raise Http404("Introuvable.")
    imports = list(policies.visible_imports(request.user)[:50])
    return render(
        request,
        "observatory/imports.html",
        {
            **tabs(request),
            "imports": [(i, (i.errors or [])[:ERRORS_SHOWN]) for i in imports],
        },
    )
