"""Le droit d'accès depuis la fiche d'une personne : formulaire (format, notes privées), aperçu
de ce qui sera remis (NIR masqué), puis « Générer » : le fichier (PDF ou JSON), journalisé."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.policies import require
from parcours.privacy import policies
from parcours.privacy.forms import AccessExportForm, AccessLookupForm
from parcours.privacy.models import AccessExport
from parcours.privacy.queries import access as access_queries
from parcours.privacy.services import access as services

CONTENT_TYPES = {
    AccessExport.Format.PDF: "application/pdf",
    AccessExport.Format.JSON: "application/json",
}


def _page(request, person) -> dict:
    return {
        "can_open_person": policies.can_open_person_page(request.user, person),
        "nav": "personnes",
    }


def _form_page(request, person, form):
    status = 422 if form.is_bound and form.errors else 200
    context = {"person": person, "form": form, **_page(request, person)}
    return render(request, "privacy/acces_formulaire.html", context, status=status)


@login_required
def access_lookup(request):
    """Le DPO (ou un responsable) trouve la personne par son NIR, envoyé par POST (jamais dans
    l'adresse), puis passe au formulaire du droit d'accès ; hors de sa portée, même réponse
    qu'un NIR inconnu."""
    require(policies.can_prepare_access_exports(request.user))
    form = AccessLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = access_queries.person_by_nir(
            request.user.organisation_id, form.cleaned_data["nir"]
        )
        if person is not None and policies.can_prepare_access_export(request.user, person):
            return redirect("personne-droit-acces", pk=person.pk)
        form.add_error("nir", "Aucune personne de votre périmètre ne porte ce NIR.")
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request, "privacy/acces_recherche.html", {"form": form, "nav": "personnes"}, status=status
    )


@login_required
def access_form(request, pk):
    """GET : le formulaire ; POST : l'aperçu (le contenu tel qu'il sera remis)."""
    person = policies.get_access_subject_or_404(request.user, pk)
    form = AccessExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            content = services.preview_access_export(
                actor=request.user, person=person, **form.options()
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            context = {"person": person, "form": form, "content": content, **_page(request, person)}
            context["counts"] = access_queries.counts(content)
            return render(request, "privacy/acces_apercu.html", context)
    return _form_page(request, person, form)


@require_POST
@login_required
def access_export(request, pk):
    """« Générer » : le fichier remis à la personne, en téléchargement ; l'acte est journalisé."""
    person = policies.get_access_subject_or_404(request.user, pk)
    form = AccessExportForm(request.POST)
    if form.is_valid():
        try:
            export, data = services.prepare_access_export(
                actor=request.user, person=person, fmt=form.cleaned_data["format"], **form.options()
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            response = HttpResponse(data, content_type=CONTENT_TYPES[export.format])
            name = f"droit-acces-{export.pk}.{export.format}"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    return _form_page(request, person, form)
