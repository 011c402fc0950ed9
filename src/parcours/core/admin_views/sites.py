"""Lieux d'accueil de l'organisme."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from parcours.core import policies, services
from parcours.core.admin_forms import SiteForm
from parcours.core.admin_views.access import admin_view, crumbs, form_page, render_page
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once


@admin_view
@require_safe
def sites(request, organisation):
    return render_page(
        request,
        "lieux.html",
        title="Lieux d'accueil",
        crumbs=crumbs(),
        sites=policies.visible_sites(request.user)
        .select_related("departement", "commune")
        .annotate(staff_count=Count("user", filter=Q(user__is_active=True))),
    )


@admin_view
@creates_once
def site_edit(request, organisation, pk=None):
    site = policies.get_site_or_404(request.user, pk) if pk is not None else None
    form = SiteForm(
        request.POST or None, organisation=organisation, initial=SiteForm.initial_for(site)
    )
    if request.method == "POST" and form.is_valid():
        try:
            if site is None:
                services.create_site(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
            else:
                services.update_site(actor=request.user, site=site, **form.cleaned_data)
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "Le lieu d'accueil est enregistré.")
            return redirect("administration-lieux")
    return form_page(
        request,
        form=form,
        title=f"Lieu d'accueil : {site.name}" if site else "Nouveau lieu d'accueil",
        back=reverse("administration-lieux"),
        crumbs=crumbs(("Lieux d'accueil", "administration-lieux")),
    )
