"""Secteurs : des communes confiées chacune à une AS."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from parcours.core import policies, services
from parcours.core.admin_forms import SectorForm
from parcours.core.admin_views.access import admin_view, crumbs, form_page, render_page
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.nomenclatures import Fonction
from parcours.core.once import creates_once


@admin_view
@require_safe
def sectors(request, organisation):
    return render_page(
        request,
        "secteurs.html",
        title="Secteurs",
        crumbs=crumbs(),
        sectors=policies.visible_sectors(request.user)
        .select_related("departement", "social_worker")
        .annotate(commune_count=Count("communes")),
    )


@admin_view
@creates_once
def sector_edit(request, organisation, pk=None):
    sector = policies.get_sector_or_404(request.user, pk) if pk is not None else None
    workers = policies.visible_staff(request.user).filter(function=Fonction.AS)
    workers = workers.filter(
        Q(is_active=True) | Q(pk=sector.social_worker_id if sector else None)
    ).prefetch_related("departements")
    form = SectorForm(
        request.POST or None,
        organisation=organisation,
        workers=workers,
        initial=SectorForm.initial_for(sector),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if sector is None:
                services.create_sector(
                    actor=request.user, organisation=organisation, **form.service_data()
                )
            else:
                services.update_sector(actor=request.user, sector=sector, **form.service_data())
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "Le secteur est enregistré.")
            return redirect("administration-secteurs")
    return form_page(
        request,
        template="secteur.html",
        form=form,
        title=f"Secteur : {sector.name}" if sector else "Nouveau secteur",
        back=reverse("administration-secteurs"),
        crumbs=crumbs(("Secteurs", "administration-secteurs")),
        communes=sector.communes.order_by("name") if sector else [],
    )
