"""Ciblages : import d'un extrait (essai puis import réel), règle, avancement."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.core.tabular import csv_response
from parcours.outreach import policies, queries, services, tasks
from parcours.outreach.forms import ExtractUploadForm, RuleForm
from parcours.outreach.models import TargetingRun
from parcours.outreach.services.targeting import (
    REJECTION_FIELDS,
    record_rejections_read,
    rejection_rows,
)
from parcours.outreach.views.common import manager_only
from parcours.people import services as people_services
from parcours.rules import targeting

#: motifs de rejet affichés sur la page d'un ciblage (la liste complète se télécharge)
ERRORS_SHOWN = 100


def _import_dir():
    return getattr(settings, "PARCOURS_IMPORT_DIR", settings.VAR_DIR / "imports")


@login_required
@creates_once
def targeting_list(request):
    manager_only(request)
    organisation = request.user.organisation
    form = ExtractUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        path, name = services.store_upload(
            uploaded=form.cleaned_data["fichier"], directory=_import_dir()
        )
        run = services.start_targeting_run(
            actor=request.user,
            organisation=organisation,
            file_path=path,
            file_name=name,
            extraction_date=form.cleaned_data["date_extraction"],
            dry_run=True,
            code=form.cleaned_data["regle"],
            year=form.cleaned_data["annee"],
        )
        tasks.run_after_commit(run)
        return redirect("ciblage", pk=run.pk)
    return render(
        request,
        "outreach/ciblages.html",
        {
            "form": form,
            "rules": queries.rule_catalogue(organisation),
            "runs": queries.runs_for_list(request.user)[:30],
            "nav": "detection",
        },
    )


@login_required
def targeting_rule(request, code=targeting.ARRET_LONG):
    manager_only(request)
    if code not in targeting.RULES:
        raise Http404("Règle inconnue.")
    rule = queries.rule_or_default(request.user.organisation, code)
    departements = queries.organisation_departements(request.user.organisation)
    params, _errors = targeting.clean_parameters(code, rule.parameters)
    form = RuleForm(request.POST or None, initial=params, departements=departements, code=code)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_targeting_rule(
                actor=request.user,
                rule=services.targeting_rule(organisation=request.user.organisation, code=code),
                parameters=form.cleaned_data,
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "La règle de ciblage est enregistrée.")
            return redirect("ciblages")
    spec = targeting.RULES[code]
    return render(
        request,
        "outreach/ciblage_regle.html",
        {
            "form": form,
            "rule": rule,
            "rule_text": targeting.describe(code, params),
            "source": targeting.SOURCES[spec.source],
            "nav": "detection",
        },
    )


def _run_context(request, run):
    context = {"run": run, "nav": "detection", "rule_text": "", "source": ""}
    if run.rule_code in targeting.RULES:
        params, _errors = targeting.clean_parameters(
            run.rule_code, {k: v for k, v in run.parameters.items() if k != "annee"}
        )
        context["rule_text"] = targeting.describe(run.rule_code, params)
        context["source"] = targeting.RULES[run.rule_code].source
    context["can_launch"] = (
        run.dry_run
        and run.status == TargetingRun.Status.TERMINE
        and bool(run.file_path)
        and services.previous_import(run.organisation, run.file_sha256, run.rule_code) is None
    )
    context["errors"] = run.errors[:ERRORS_SHOWN]
    context["errors_shown"] = len(context["errors"])
    context["entries"] = []
    if not run.dry_run and run.status == TargetingRun.Status.TERMINE:
        context["entries"] = (
            policies.visible_entries(request.user, run)
            .select_related("person", "departement")
            .order_by("line")[:50]
        )
    return context


@login_required
def targeting_detail(request, pk):
    run = policies.get_run_or_404(request.user, pk)
    return render(request, "outreach/ciblage.html", _recorded(request, _run_context(request, run)))


def _recorded(request, context):
    """Les personnes repérées, montrées une fois le ciblage terminé, sont journalisées."""
    if context["entries"]:
        run = context["run"]
        people_services.record_export(
            actor=request.user,
            what=f"Personnes repérées par le ciblage n°{run.pk}",
            people=people_services.person_ids(context["entries"]),
            obj=run,
            listing=True,
        )
    return context


@login_required
def targeting_progress(request, pk):
    run = policies.get_run_or_404(request.user, pk)
    context = _recorded(request, _run_context(request, run))
    return render(request, "outreach/partials/ciblage_etat.html", context)


@login_required
@require_POST
@creates_once
def targeting_launch(request, pk):
    run = policies.get_run_or_404(request.user, pk)
    context = _run_context(request, run)
    if not context["can_launch"]:
        messages.error(request, "Cet essai ne peut pas être lancé pour de bon.")
        return redirect("ciblage", pk=run.pk)
    real = services.start_targeting_run(
        actor=request.user,
        organisation=run.organisation,
        file_path=run.file_path,
        file_name=run.file_name,
        extraction_date=run.extraction_date,
        dry_run=False,
        code=run.rule_code,
        year=run.parameters.get("annee"),
    )
    tasks.run_after_commit(real)
    return redirect("ciblage", pk=real.pk)


@login_required
def targeting_rejections(request, pk):
    """La liste complète des motifs de rejet d'un ciblage, en CSV (lecture journalisée)."""
    run = policies.get_run_or_404(request.user, pk)
    record_rejections_read(actor=request.user, run=run)
    response, _count = csv_response(
        f"ciblage-{run.pk}-motifs-de-rejet.csv", list(REJECTION_FIELDS), rejection_rows(run)
    )
    return response
