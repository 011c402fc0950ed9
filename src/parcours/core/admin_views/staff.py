"""Agents de l'organisme : liste, fiche, désactivation et réactivation des comptes."""

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from parcours.core import policies, services
from parcours.core.admin_forms import StaffFilterForm, StaffForm
from parcours.core.admin_views.access import admin_view, crumbs, form_page, render_page
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once


@admin_view
@require_safe
def staff(request, organisation):
    form = StaffFilterForm(request.GET or None, organisation=organisation)
    people = policies.visible_staff(request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    if filters.get("fonction"):
        people = people.filter(function=filters["fonction"])
    if filters.get("departement"):
        people = people.filter(departements__code=filters["departement"])
    state = filters.get("etat") or "actifs"
    if state != "tous":
        people = people.filter(is_active=state == "actifs")
    totals = people.aggregate(count=Count("id"), fte=Sum("fte"))
    return render_page(
        request,
        "agents.html",
        title="Agents",
        crumbs=crumbs(),
        form=form,
        totals=totals,
        staff=people.select_related("site").prefetch_related("departements"),
    )


@admin_view
@creates_once
def staff_edit(request, organisation, pk=None):
    user = policies.get_staff_or_404(request.user, pk) if pk is not None else None
    sites = policies.visible_sites(request.user).filter(
        Q(active=True) | Q(pk=user.site_id if user else None)
    )
    form = StaffForm(
        request.POST or None,
        organisation=organisation,
        sites=sites,
        editing=user is not None,
        initial=StaffForm.initial_for(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if user is None:
                services.create_staff(
                    actor=request.user, organisation=organisation, **form.service_data()
                )
            else:
                services.update_staff(actor=request.user, user=user, **form.service_data())
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "L'agent est enregistré.")
            return redirect("administration-agents")
    return form_page(
        request,
        template="agent.html",
        form=form,
        title=f"Agent : {user}" if user else "Nouvel agent",
        back=reverse("administration-agents"),
        crumbs=crumbs(("Agents", "administration-agents")),
        agent_account=user,
        is_self=user is not None and user.pk == request.user.pk,
    )


@admin_view
def staff_deactivate(request, organisation, pk):
    user = policies.get_staff_or_404(request.user, pk)
    error = None
    if request.method == "POST":
        try:
            services.deactivate_staff(actor=request.user, user=user)
        except BusinessError as refused:
            error = str(refused)
        else:
            messages.success(request, f"Le compte de {user} est désactivé.")
            return redirect("administration-agents")
    return render_page(
        request,
        "agent_desactivation.html",
        title=f"Désactiver le compte de {user}",
        crumbs=crumbs(("Agents", "administration-agents")),
        agent_account=user,
        error=error,
        sectors=policies.visible_sectors(request.user).filter(social_worker=user),
    )


@admin_view
@require_POST
def staff_reactivate(request, organisation, pk):
    user = policies.get_staff_or_404(request.user, pk)
    try:
        services.reactivate_staff(actor=request.user, user=user)
    except BusinessError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Le compte de {user} est réactivé.")
    return redirect("administration-agent", pk=user.pk)
