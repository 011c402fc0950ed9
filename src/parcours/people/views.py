"""Pages des personnes : création (avec alerte de doublon), modification, NIR, fusion.

La recherche et la fiche, qui montrent aussi accompagnements et rendez-vous, sont une page
composée : ``www/people.py``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parcours.core.exceptions import BusinessError, ConflictError
from parcours.core.once import creates_once
from parcours.core.params import id_param
from parcours.people import policies, services
from parcours.people.forms import PersonForm
from parcours.people.queries import duplicate_candidates


@login_required
@creates_once
def create(request):
    if not policies.can_create_person(request.user):
        raise Http404("Introuvable.")
    form = PersonForm(request.POST or None, departements=request.agent.departements)
    duplicates = services.DuplicateCheck()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.POST.get("confirm_duplicate"):
            duplicates = services.check_duplicates(
                actor=request.user,
                nir=data["nir"],
                last_name=data["last_name"],
                first_names=data["first_names"],
                birth_date=data["birth_date"],
            )
        if duplicates:
            return render(
                request,
                "people/creation.html",
                {"form": form, "duplicates": duplicates, "nav": "personnes"},
            )
        person = services.create_person(
            actor=request.user,
            organisation_id=request.user.organisation_id,
            data=form.person_data(),
            nir=data["nir"] or None,
        )
        messages.success(request, f"La fiche de {person} est créée.")
        return redirect("personne", pk=person.pk)
    return render(
        request,
        "people/creation.html",
        {"form": form, "duplicates": duplicates, "nav": "personnes"},
    )


@login_required
def edit(request, pk):
    person = policies.get_person_or_404(request.user, pk)
    if not policies.can_edit_person(request.user, person):
        raise Http404("Introuvable.")
    form = PersonForm(
        request.POST or None,
        instance=person,
        departements=request.agent.departements,
        with_nir=True,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            expected = int(request.POST.get("version", "0"))
        except ValueError:
            expected = 0
        nir = form.cleaned_data.get("nir") or None
        try:
            services.update_person(
                actor=request.user,
                person=person,
                data=form.person_data(),
                expected_version=expected,
                nir=nir,
                change_nir=bool(nir) or request.POST.get("effacer_nir") == "1",
            )
        except ConflictError as error:
            conflict = error.current
            form.add_error(
                None,
                "Cette fiche a été modifiée par quelqu'un d'autre pendant votre "
                "saisie. Votre saisie est conservée ci-dessous ; la version "
                "enregistrée est affichée à côté. Reportez vos changements puis "
                "enregistrez à nouveau.",
            )
        else:
            messages.success(request, "La fiche est enregistrée.")
            return redirect("personne", pk=person.pk)
    version = (
        conflict.version
        if conflict
        else (
            request.POST.get("version")
            if request.method == "POST" and not form.is_valid()
            else person.version
        )
    )
    return render(
        request,
        "people/modification.html",
        {
            "form": form,
            "person": person,
            "conflict": conflict,
            "version": version,
            "nav": "personnes",
        },
    )


@login_required
@require_POST
def reveal_nir(request, pk):
    person = policies.get_person_or_404(request.user, pk)
    if not policies.can_reveal_nir(request.user, person):
        raise Http404("Introuvable.")
    from parcours.rules import nir as nir_rules

    value = nir_rules.format_display(services.reveal_nir(actor=request.user, person=person))
    if request.htmx:
        return render(request, "people/partials/nir.html", {"nir": value})
    return render(request, "people/nir.html", {"person": person, "nir": value, "nav": "personnes"})


@login_required
def merge(request, pk):
    """Fusionner une fiche en double dans celle-ci (responsables)."""
    if not policies.can_merge_people(request.user):
        raise Http404("Introuvable.")
    person = policies.get_person_or_404(request.user, pk)
    candidates = list(duplicate_candidates(request.user, person))
    chosen = request.POST.get("doublon") or id_param(request, "doublon")
    duplicate = policies.get_person_or_404(request.user, chosen) if chosen else None
    if request.method == "POST" and duplicate is not None and request.POST.get("confirmer"):
        try:
            services.merge_people(actor=request.user, keep=person, duplicate=duplicate)
        except BusinessError as error:
            messages.error(request, next(iter(error.errors.values())))
        else:
            messages.success(request, f"La fiche {duplicate.pk} est fusionnée dans celle-ci.")
            return redirect("personne", pk=person.pk)
    return render(
        request,
        "people/fusion.html",
        {
            "person": person,
            "candidates": candidates,
            "duplicate": duplicate,
            "nav": "personnes",
        },
    )
