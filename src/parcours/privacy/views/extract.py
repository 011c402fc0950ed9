"""Pages de l'extrait pseudonymisé (administrateurs et DPO, ``can_run_purges``) : lancer un
extrait en tâche de fond, suivre son état, le télécharger."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from parcours.core import clock
from parcours.core.once import creates_once
from parcours.privacy import policies
from parcours.privacy.forms import ExtractForm
from parcours.privacy.services import extract as services
from parcours.privacy.services import extract_jobs


@login_required
@creates_once
def extracts(request):
    if not policies.can_run_purges(request.user):
        raise Http404("Introuvable.")
    form = ExtractForm(request.POST or None, today=clock.today())
    if request.method == "POST" and form.is_valid():
        extract_jobs.start_extract(
            actor=request.user,
            year=form.cleaned_data["annee"],
            fmt=form.cleaned_data["format"],
            by=form.cleaned_data["agregats"],
        )
        messages.success(request, "Extrait lancé : il sera prêt dans la liste ci-dessous.")
        return redirect("rgpd-extraits")
    runs = policies.visible_extract_runs(request.user).select_related("created_by")[:20]
    return render(
        request,
        "privacy/extraits.html",
        {"form": form, "runs": runs, "nav": "administration"},
        status=422 if request.method == "POST" else 200,
    )


@login_required
def extract_download(request, pk):
    run = policies.get_extract_run_or_404(request.user, pk)
    path = Path(run.stored_as) if run.stored_as else None
    if run.status != run.Status.TERMINE or path is None or not path.is_file():
        raise Http404("Introuvable.")
    services.record_extract_download(actor=request.user, run=run)
    content_type = "text/csv; charset=utf-8" if run.fmt == "csv" else "application/octet-stream"
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=run.file_name, content_type=content_type
    )
