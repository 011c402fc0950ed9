"""Pages de la protection des données : accueil du DPO et des administrateurs, registre des
traitements (lecture, saisie, PDF), durées de conservation. Hors droits : 404."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from parcours.core import clock
from parcours.core.exceptions import BusinessError, ConflictError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.core.pdf import pdf_response
from parcours.core.policies import require
from parcours.privacy import exports, policies
from parcours.privacy.forms import ProcessingDeleteForm, ProcessingForm, RetentionRulesForm
from parcours.privacy.queries import purge as purge_queries
from parcours.privacy.queries import register as queries
from parcours.privacy.services import register as services

CONFLICT = (
    "Un autre administrateur a modifié ce traitement pendant votre saisie : rien n'est "
    "enregistré. Votre saisie est conservée dans le formulaire, la version enregistrée est "
    "affichée à côté. Reprenez ce qui doit l'être puis enregistrez."
)


def reader_view(view):
    """Connexion exigée, puis lecteur du registre (administrateur, DPO) ou 404."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        require(policies.can_read_register(request.user))
        return view(request, *args, **kwargs)

    return wrapper


def _page(request, template, *, title, crumbs=(), status=200, **context):
    links = [("Protection des données", reverse("protection-donnees")), *crumbs]
    return render(
        request,
        f"privacy/{template}",
        {
            "nav": "protection-donnees",
            "title": title,
            "crumbs": links if title != "Protection des données" else [],
            "can_edit": policies.can_edit_register(request.user),
            **context,
        },
        status=status,
    )


def _register_crumb():
    return ("Registre des traitements", reverse("protection-donnees-registre"))


@reader_view
@require_safe
def home(request):
    organisation = request.user.organisation
    return _page(
        request,
        "accueil.html",
        title="Protection des données",
        processings=queries.register_summary(organisation),
        rules=queries.retention_rules_of(organisation),
        rules_saved=queries.retention_rules_saved(organisation),
        panel=purge_queries.purge_panel(organisation),
        can_run=policies.can_run_purges(request.user),
    )


@reader_view
@require_safe
def register(request):
    organisation = request.user.organisation
    rules = queries.retention_rules_of(organisation)
    return _page(
        request,
        "registre.html",
        title="Registre des traitements",
        rows=[(p, queries.register_row(p, rules)) for p in queries.register_of(organisation)],
    )


@reader_view
@require_safe
def register_pdf(request):
    organisation = request.user.organisation
    pdf, count = exports.register_pdf(organisation, today=clock.today())
    services.record_register_export(
        actor=request.user, organisation=organisation, count=count, fmt="PDF"
    )
    return pdf_response(pdf, f"registre-traitements-{clock.today():%Y%m%d}.pdf")


@login_required
@require_POST
def register_seed(request):
    require(policies.can_edit_register(request.user))
    created = services.seed_default_register(
        actor=request.user, organisation=request.user.organisation
    )
    if created:
        messages.success(request, f"Le registre est initialisé : {created} traitements.")
    else:
        messages.info(request, "Le registre existe déjà : rien n'a changé.")
    return redirect("protection-donnees-registre")


def _processing_page(request, form, *, processing, conflict=None, status=200):
    title = f"Traitement : {processing}" if processing else "Nouveau traitement"
    return _page(
        request,
        "traitement.html",
        title=title,
        crumbs=[_register_crumb()],
        form=form,
        back=reverse("protection-donnees-registre"),
        processing=processing,
        conflict=conflict,
        conflict_row=(
            queries.register_row(conflict, queries.retention_rules_of(conflict.organisation_id))
            if conflict
            else None
        ),
        status=status,
    )


@login_required
@creates_once
def processing_new(request):
    require(policies.can_edit_register(request.user))
    form = ProcessingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_processing(
                actor=request.user,
                organisation=request.user.organisation,
                data=form.service_data(),
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "Le traitement est ajouté au registre.")
            return redirect("protection-donnees-registre")
    status = 422 if request.method == "POST" else 200
    return _processing_page(request, form, processing=None, status=status)


@login_required
def processing_edit(request, pk):
    processing = policies.get_processing_or_404(request.user, pk)
    require(policies.can_edit_register(request.user))
    form = ProcessingForm(request.POST or None, initial=ProcessingForm.initial_for(processing))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_processing(
                actor=request.user,
                processing=processing,
                data=form.service_data(),
                expected_version=form.cleaned_data["version"] or 0,
            )
        except ConflictError as error:
            current = error.current
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = ProcessingForm(data)
            form.is_valid()
            messages.error(request, CONFLICT)
            return _processing_page(request, form, processing=current, conflict=current, status=409)
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "Le traitement est enregistré.")
            return redirect(reverse("protection-donnees-registre") + f"#traitement-{pk}")
    status = 422 if request.method == "POST" else 200
    return _processing_page(request, form, processing=processing, status=status)


@login_required
def processing_delete(request, pk):
    processing = policies.get_processing_or_404(request.user, pk)
    require(policies.can_edit_register(request.user))
    form = ProcessingDeleteForm(request.POST or None, initial={"version": processing.version})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.delete_processing(
                    actor=request.user,
                    processing=processing,
                    expected_version=form.cleaned_data["version"],
                )
            except ConflictError as error:
                messages.error(
                    request,
                    "Ce traitement a été modifié depuis son affichage : relisez-le avant de le "
                    "retirer.",
                )
                processing = error.current
                form = ProcessingDeleteForm(initial={"version": processing.version})
                status = 409
            else:
                messages.success(request, f"« {processing} » est retiré du registre.")
                return redirect("protection-donnees-registre")
    return _page(
        request,
        "traitement_suppression.html",
        title=f"Retirer « {processing} » du registre",
        crumbs=[_register_crumb()],
        form=form,
        processing=processing,
        status=status,
    )


@reader_view
def retention(request):
    organisation = request.user.organisation
    rules = queries.retention_rules_of(organisation)
    can_edit = policies.can_edit_retention(request.user)
    if request.method == "POST":
        require(can_edit)
    form = None
    status = 200
    if can_edit:
        initial = {field: getattr(rules, field) for field in services.RETENTION_FIELDS}
        form = RetentionRulesForm(request.POST or None, initial=initial)
        if request.method == "POST":
            status = 422
            if form.is_valid():
                try:
                    services.update_retention_rules(
                        actor=request.user, organisation=organisation, values=form.cleaned_data
                    )
                except BusinessError as error:
                    apply_business_errors(form, error)
                else:
                    messages.success(request, "Les durées de conservation sont enregistrées.")
                    return redirect("protection-donnees")
    return _page(
        request,
        "conservation.html",
        title="Durées de conservation",
        form=form,
        back=reverse("protection-donnees"),
        rules=rules,
        rules_saved=queries.retention_rules_saved(organisation),
        status=status,
    )
