"""Les organismes : l'affaire de l'opérateur de la plateforme (superutilisateur)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from parcours.core import policies, services
from parcours.core.admin_forms import NewOrganisationForm
from parcours.core.admin_views.access import operator_view
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once


@operator_view
@require_safe
def organisations(request):
    return render(
        request,
        "administration/organismes.html",
        {
            "nav": "administration",
            "organisations": policies.visible_organisations(request.user)
            .select_related("region")
            .prefetch_related("departements")
            .annotate(
                staff_count=Count("agents", filter=Q(agents__is_active=True), distinct=True),
                site_count=Count("sites", distinct=True),
            )
            .order_by("name"),
        },
    )


@operator_view
@creates_once
def organisation_create(request):
    form = NewOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(actor=request.user, **form.service_data())
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, f"L'organisme {organisation.name} est créé.")
            return redirect("administration-organismes")
    return render(
        request,
        "administration/organisme_nouveau.html",
        {
            "nav": "administration",
            "form": form,
            "title": "Nouvel organisme",
            "crumbs": [("Organismes", reverse("administration-organismes"))],
        },
    )
