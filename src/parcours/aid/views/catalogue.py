"""Simulateur et catalogue des aides : règlement daté, versions, aides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from parcours.aid import policies, queries, services
from parcours.aid.forms import AidForm, NewVersionForm, RegulationForm, SimulatorForm
from parcours.aid.views.common import render_page
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.rules import aid_rules


@login_required
def simulator(request):
    if not policies.can_use_simulator(request.user):
        raise Http404("Introuvable.")
    form = SimulatorForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        situation = form.situation()
        results = [
            {"aid": aid, "outcome": aid_rules.evaluate(aid.conditions, aid.amount_rule, situation)}
            for aid in queries.aids_in_force(request.agent.organisation_id, situation.on)
        ]
        results.sort(key=lambda r: (not r["outcome"].eligible, r["aid"].name))
    return render_page(
        request,
        "aid/simulateur.html",
        {"form": form, "results": results, "euros": aid_rules.euros},
    )


@login_required
def catalogue(request):
    if not policies.can_use_simulator(request.user):
        raise Http404("Introuvable.")
    regulations = policies.visible_regulations(request.user).prefetch_related("aids")
    return render_page(
        request,
        "aid/catalogue.html",
        {
            "regulations": regulations,
            "can_edit": policies.can_edit_catalogue(request.user),
            "regulation_form": RegulationForm(),
            "version_form": NewVersionForm(prefix="suivante"),
        },
    )


def _catalogue_admin(request):
    if not policies.can_edit_catalogue(request.user):
        raise Http404("Introuvable.")


@login_required
@require_POST
@creates_once
def new_regulation(request):
    _catalogue_admin(request)
    form = RegulationForm(request.POST)
    if form.is_valid():
        try:
            services.create_regulation(
                actor=request.user,
                organisation_id=request.agent.organisation_id,
                **form.cleaned_data,
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "La version du règlement est créée.")
            return redirect("aides-catalogue")
    return render_page(
        request,
        "aid/catalogue.html",
        {
            "regulations": policies.visible_regulations(request.user),
            "can_edit": True,
            "regulation_form": form,
            "version_form": NewVersionForm(prefix="suivante"),
        },
        status=422,
    )


@login_required
@require_POST
@creates_once
def new_version(request, pk):
    """Nouvelle version reprenant les aides d'une version ouverte (qui prend fin la veille)."""
    _catalogue_admin(request)
    previous = policies.get_regulation_or_404(request.user, pk)
    form = NewVersionForm(request.POST, prefix="suivante")
    if form.is_valid():
        try:
            services.new_regulation_version(
                actor=request.user, previous=previous, **form.cleaned_data
            )
        except BusinessError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "La nouvelle version reprend les aides de la précédente.")
    else:
        messages.error(request, "Indiquez l'intitulé et la date d'entrée en vigueur.")
    return redirect("aides-catalogue")


@login_required
@creates_once
def new_aid(request, pk):
    """Ajouter une aide à une version du règlement : conditions et montant en données."""
    _catalogue_admin(request)
    regulation = policies.get_regulation_or_404(request.user, pk)
    form = AidForm(
        request.POST or None,
        initial={"amount_rule": {"type": "fixe", "montant": "0"}, "conditions": {}},
        prefix="aide",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_aid(
                actor=request.user, regulation=regulation, data=form.data_for_service()
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "L'aide est ajoutée au règlement.")
            return redirect("aides-catalogue")
    return render_page(request, "aid/aide_nouvelle.html", {"regulation": regulation, "form": form})


@login_required
def edit_aid(request, pk):
    """Modifier une aide, avec un aperçu : « cette personne obtiendrait X € parce que… »."""
    _catalogue_admin(request)
    aid = policies.get_aid_or_404(request.user, pk)
    initial = {f: getattr(aid, f) for f in AidForm.base_fields if f != "documents"}
    initial["documents"] = "\n".join(aid.documents)
    form = AidForm(request.POST or None, initial=initial, prefix="aide")
    preview_form = SimulatorForm(request.POST or None, prefix="apercu")
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.data_for_service()
        problems = {}
        for field, errors in (
            ("conditions", aid_rules.conditions_errors(data["conditions"])),
            ("amount_rule", aid_rules.amount_rule_errors(data["amount_rule"])),
        ):
            if errors:
                problems[field] = " ".join(errors)
        if problems:
            apply_business_errors(form, BusinessError(problems))
        elif "apercu" in request.POST:
            if preview_form.is_valid():
                preview = aid_rules.evaluate(
                    data["conditions"], data["amount_rule"], preview_form.situation()
                )
        else:
            try:
                services.save_aid(actor=request.user, regulation=aid.regulation, data=data, aid=aid)
            except BusinessError as error:
                apply_business_errors(form, error)
            else:
                messages.success(request, "L'aide est enregistrée.")
                return redirect("aides-catalogue")
    return render_page(
        request,
        "aid/aide_edition.html",
        {
            "aid": aid,
            "form": form,
            "preview_form": preview_form,
            "preview": preview,
            "euros": aid_rules.euros,
        },
    )
