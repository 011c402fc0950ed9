"""Accueil de l'administration et fiche de l'organisme."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from parcours.core import policies, queries, services
from parcours.core.admin_forms import OrganisationForm
from parcours.core.admin_views.access import admin_view, crumbs, form_page, plural, render_page
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.nomenclatures import Fonction


@login_required
@require_safe
def index(request):
    if not policies.can_administer(request.user):
        if policies.can_operate_platform(request.user):
            return redirect("administration-organismes")
        raise Http404("Introuvable.")
    organisation = request.user.organisation
    sites = policies.visible_sites(request.user)
    sectors = policies.visible_sectors(request.user)
    staff = policies.visible_staff(request.user).filter(is_active=True)
    by_function = {
        row["function"]: row
        for row in staff.values("function").annotate(count=Count("id"), fte=Sum("fte"))
    }
    counts = {
        "sites": sites.count(),
        "open_sites": sites.filter(active=True).count(),
        "sectors": sectors.count(),
        "sectors_without_worker": sectors.filter(social_worker__isnull=True).count(),
        "communes_without_sector": queries.communes_without_sector(organisation).count(),
        "staff": staff.count(),
    }
    tiles = [
        (
            "Lieux d'accueil",
            "administration-lieux",
            f"{plural(counts['sites'], 'lieu', 'lieux')}, dont {counts['open_sites']} "
            f"ouvert{'s' if counts['open_sites'] > 1 else ''}",
        ),
        (
            "Secteurs",
            "administration-secteurs",
            f"{plural(counts['sectors'], 'secteur', 'secteurs')} : des communes confiées "
            "chacune à une AS",
        ),
        (
            "Agents",
            "administration-agents",
            f"{plural(counts['staff'], 'compte actif', 'comptes actifs')} : fonction, ETP, "
            "lieu, droits",
        ),
        ("Journal d'audit", "administration-journal", "Qui a fait quoi, quand : lecture seule"),
        (
            "Jetons d'API",
            "api-jetons",
            "Les accès des systèmes partenaires : émettre, suivre, révoquer",
        ),
    ]
    if policies.can_operate_platform(request.user):
        tiles.append(("Organismes", "administration-organismes", "Opérateur : liste et création"))
    return render_page(
        request,
        "index.html",
        tiles=[{"title": t, "url": reverse(name), "text": text} for t, name, text in tiles],
        counts=counts,
        organisation=organisation,
        departements=organisation.departements.all(),
        functions=[
            {"label": label, "count": by_function[code]["count"], "fte": by_function[code]["fte"]}
            for code, label in [*Fonction.choices, ("", "Administration seulement")]
            if code in by_function
        ],
    )


@admin_view
def organisation_edit(request, organisation):
    form = OrganisationForm(
        request.POST or None,
        organisation=organisation,
        initial={
            "name": organisation.name,
            "home_visit_target": organisation.home_visit_target,
            "departements": list(organisation.departements.values_list("code", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(
                actor=request.user,
                organisation=organisation,
                name=form.cleaned_data["name"],
                departements=form.departement_codes(),
                home_visit_target=form.cleaned_data["home_visit_target"],
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "L'organisme est enregistré.")
            return redirect("administration")
    return form_page(
        request,
        form=form,
        title="Organisme",
        back=reverse("administration"),
        crumbs=crumbs(),
    )
