"""Pages des personnes : recherche, création (avec alerte de doublon), fiche, modification, NIR."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parcours.cases import queries as case_queries
from parcours.cases.policies import visible_cases
from parcours.core import clock
from parcours.core.exceptions import BusinessError, ConflictError
from parcours.outreach.models import AppointmentRequest
from parcours.outreach.policies import can_book, visible_appointments, visible_requests
from parcours.people import policies, services
from parcours.people.forms import PersonForm, SearchForm
from parcours.people.queries import duplicate_candidates, followers, search_people
from parcours.rules import timers


def _require_people(request):
    if not request.agent.sees_people:
        raise Http404("Introuvable.")


@login_required
def search(request):
    """Recherche en POST : les noms et NIR saisis ne passent jamais dans l'URL ni les journaux."""
    _require_people(request)
    form = SearchForm(request.POST or None)
    results, searched = [], False
    if request.method == "POST" and form.is_valid():
        searched = bool(form.cleaned_data["q"].strip())
        results = search_people(request.user, form.cleaned_data["q"])
    referents = followers([p.pk for p in results])
    context = {
        "form": form,
        "results": results,
        "searched": searched,
        "referents": referents,
        "nav": "personnes",
    }
    if request.htmx:
        return render(request, "people/partials/resultats.html", context)
    return render(request, "people/recherche.html", context)


@login_required
def create(request):
    _require_people(request)
    form = PersonForm(request.POST or None, departements=request.agent.departements)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = list(
            services.find_duplicates(
                organisation_id=request.user.organisation_id,
                nir=data["nir"],
                last_name=data["last_name"],
                first_names=data["first_names"],
                birth_date=data["birth_date"],
            )[:10]
        )
        if duplicates and not request.POST.get("confirm_duplicate"):
            visible = set(
                policies.visible_people(request.user)
                .filter(pk__in=[d.pk for d in duplicates])
                .values_list("pk", flat=True)
            )
            same_nir = any(
                d.nir_hash and data["nir"] and d.nir_hash == services.nir_hash(data["nir"])
                for d in duplicates
            )
            return render(
                request,
                "people/creation.html",
                {
                    "form": form,
                    "duplicates": duplicates,
                    "visible_duplicates": visible,
                    "same_nir": same_nir,
                    "nav": "personnes",
                },
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
def detail(request, pk):
    person = policies.get_person_or_404(request.user, pk)
    services.record_view(actor=request.user, person=person)
    see_cases = policies.can_see_case_contents(request.user)
    today = clock.today()
    context = {
        "person": person,
        "age": services.age(person),
        "see_cases": see_cases,
        "referents": followers([person.pk]).get(person.pk, []),
        "can_reveal_nir": policies.can_reveal_nir(request.user, person),
        "pending_requests": [
            (
                r,
                timers.days_waiting(r.received_on, today),
                timers.is_waiting_too_long(r.received_on, today),
            )
            for r in visible_requests(request.user)
            .filter(person=person, status=AppointmentRequest.Status.EN_ATTENTE)
            .select_related("assigned_to")
            .order_by("received_on")
        ],
        "can_book": can_book(request.user),
        "can_merge": policies.can_merge_people(request.user),
        "now": clock.now(),
        "appointments": visible_appointments(request.user)
        .filter(person=person)
        .select_related("staff", "site")
        .order_by("-starts_at")[:10],
        "nav": "personnes",
    }
    if see_cases:
        cases = (
            visible_cases(request.user)
            .filter(person=person)
            .select_related("referent", "departement")
            .order_by("-opened_on")
        )
        contacts = case_queries.contacts_of(cases)
        context["cases"] = cases
        context["timeline"] = case_queries.timeline(person, cases, contacts)
    return render(request, "people/fiche.html", context)


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
    chosen = request.POST.get("doublon") or request.GET.get("doublon")
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
