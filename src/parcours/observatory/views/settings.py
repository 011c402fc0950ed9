"""Les tranches d'âge du score de l'organisme (formats.md §6.1), pour qui peut importer.

Formulaire et service : ``observatory.forms.AgeThresholdsForm`` et
``observatory.services.settings.update_age_thresholds``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.observatory import policies
from parcours.observatory.forms import AgeThresholdsForm
from parcours.observatory.services.settings import update_age_thresholds
from parcours.observatory.views.common import tabs


@login_required
def age_thresholds(request):
    if not policies.can_import_observatory(request.user):
        raise Http404("Introuvable.")
    organisation = request.user.organisation
    form = AgeThresholdsForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            update_age_thresholds(actor=request.user, organisation=organisation, raw=form.raw())
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(
                request, "Tranches d'âge enregistrées : elles valent pour les prochains imports."
            )
            return redirect("observatoire-parametres")
    return render(
        request,
        "observatory/parametres.html",
        {"form": form, **tabs(request)},
        status=422 if form.errors else 200,
    )
