"""Pages des actions collectives : liste de l'année, création, modification, fiche."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.core.params import year_param
from parcours.core.policies import require
from parcours.groups import policies, queries, services
from parcours.groups.forms import ActionForm, action_prefill, commune_prefill
from parcours.groups.views.common import NAV
from parcours.partners import policies as partner_policies


@login_required
def action_list(request):
    require(policies.can_list_actions(request.user))
    year = year_param(request, "annee", clock.today().year)
    actions = queries.actions_list(policies.visible_actions(request.user), year)
    return render(
        request,
        "groups/actions.html",
        {
            "actions": actions.select_related("departement"),
            "year": year,
            "years": [year - 1, year, year + 1],
            "can_create": policies.can_create_action(request.user),
            "can_results": policies.can_read_results(request.user),
            "nav": NAV,
        },
    )


@login_required
@creates_once
def action_new(request):
    require(policies.can_create_action(request.user))
    # « Programmer une action » depuis une zone blanche : ?commune=CODE&programme=CODE
    initial, commune = action_prefill(request.GET, request.user)
    form = ActionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        commune = commune_prefill(request.POST.get("commune"))
    if request.method == "POST" and form.is_valid():
        data, facilitators, (partners, facilitator_partners) = form.service_data()
        try:
            action = services.create_action(
                actor=request.user,
                organisation_id=request.user.organisation_id,
                data=data,
                facilitators=facilitators,
                directory_partners=partners,
                facilitator_partners=facilitator_partners,
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            programmed = form.programmed_commune
            if programmed is None:
                messages.success(request, "L'action est créée. Ajoutez ses séances.")
                return redirect("collectif-action", pk=action.pk)
            messages.success(
                request, f"L'action est créée. Ajoutez sa première séance, à {programmed.name}."
            )
            url = reverse("collectif-seance-nouvelle", args=[action.pk])
            return redirect(f"{url}?{urlencode({'commune': programmed.code})}")
    return render(
        request,
        "groups/action_form.html",
        {"form": form, "action": None, "programmed_commune": commune, "nav": NAV},
        status=422 if form.errors else 200,
    )


@login_required
def action_edit(request, pk):
    action = policies.get_action_or_404(request.user, pk)
    require(policies.can_manage_action(request.user, action))
    initial = {
        "type": action.type,
        "programme": action.programme,
        "title": action.title,
        "title_is_public": action.title_is_public,
        "public": action.public,
        "departement": action.departement_id,
        "partners": action.partners,
        "directory_partners": list(action.directory_partners.values_list("pk", flat=True)),
        "facilitator_partners": list(action.facilitator_partners.values_list("pk", flat=True)),
        "cofunders": action.cofunders,
        "facilitators": list(action.facilitators.values_list("pk", flat=True)),
        "partner_facilitators": action.partner_facilitators,
        "description": action.description,
        "grant": action.grant_id,
    }
    form = ActionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, facilitators, (partners, facilitator_partners) = form.service_data()
        try:
            services.update_action(
                actor=request.user,
                action=action,
                data=data,
                facilitators=facilitators,
                directory_partners=partners,
                facilitator_partners=facilitator_partners,
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "L'action est modifiée.")
            return redirect("collectif-action", pk=action.pk)
    return render(
        request,
        "groups/action_form.html",
        {"form": form, "action": action, "programmed_commune": None, "nav": NAV},
        status=422 if form.errors else 200,
    )


@login_required
def action_detail(request, pk):
    action = policies.get_action_or_404(request.user, pk)
    can_manage = policies.can_manage_action(request.user, action)
    invitations = policies.visible_invitations(request.user).filter(action=action)
    return render(
        request,
        "groups/action.html",
        {
            "action": action,
            "facilitators": action.facilitators.all(),
            "directory_partners": action.directory_partners.order_by("name", "pk"),
            "facilitator_partners": action.facilitator_partners.order_by("name", "pk"),
            "sessions": queries.sessions_with_counts(action.sessions.all()),
            "n_invitations": invitations.count(),
            "n_letters_due": invitations.filter(letter_printed_on__isnull=True).count(),
            "questionnaires": [
                (q, queries.unanswered(q, action=action, today=clock.today()).count())
                for q in services.applicable_questionnaires(action)
            ]
            if can_manage
            else [],
            "can_manage": can_manage,
            "grant": action.grant if partner_policies.can_read_subsidies(request.user) else None,
            "today": clock.today(),
            "nav": NAV,
        },
    )
