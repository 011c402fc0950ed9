"""Pages des accompagnements et pages du responsable.

« Mon activité » de l'AS, qui lit aussi la détection, est une page composée :
``www/activity.py``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from parcours.cases import policies, queries, services
from parcours.cases.forms import (
    CloseForm,
    ContactForm,
    ObjectiveForm,
    ObjectiveStatusForm,
    OpenCaseForm,
    PrivateNoteForm,
    ReassignForm,
    SynthesisForm,
)
from parcours.cases.models import Case
from parcours.core import clock
from parcours.core.exceptions import BusinessError, ConflictError
from parcours.core.forms import apply_business_errors
from parcours.core.nomenclatures import Programme
from parcours.core.once import creates_once
from parcours.core.pagination import paginate
from parcours.core.params import choice_param, flag_param, id_param
from parcours.partners import policies as partner_policies
from parcours.partners import queries as partner_queries
from parcours.people.policies import get_person_or_404
from parcours.people.services import person_ids, record_export, record_view
from parcours.rules import timers

# ---------------------------------------------------------------- accompagnement


@login_required
@creates_once
def open_case(request, person_pk):
    person = get_person_or_404(request.user, person_pk)
    if not policies.can_open_case(request.user, person):
        raise Http404("Introuvable.")
    form = OpenCaseForm(request.POST or None, person=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(actor=request.user, person=person, **form.cleaned_data)
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "L'accompagnement est ouvert.")
            return redirect("accompagnement", pk=case.pk)
    return render(
        request, "cases/ouverture.html", {"form": form, "person": person, "nav": "personnes"}
    )


def _case_context(request, case, **overrides):
    can_edit = policies.can_edit_case(request.user, case)
    contacts = queries.contacts_of([case])
    context = {
        "case": case,
        "person": case.person,
        "can_edit": can_edit,
        "can_close": policies.can_close_case(request.user, case),
        "can_reassign": policies.can_reassign_case(request.user, case),
        "contacts": contacts,
        "contact_form": ContactForm(case=case),
        "synthesis_form": SynthesisForm(
            initial={"synthesis": case.synthesis, "version": case.version}
        ),
        "objective_form": ObjectiveForm(),
        "note_form": PrivateNoteForm(),
        "objectives": case.objectives.all(),
        "objective_statuses": ObjectiveStatusForm.base_fields["status"].choices,
        "private_notes": policies.visible_private_notes(request.user, case),
        "last_activity": max([c.on for c in contacts[:1]] + [case.opened_on]),
        "nav": "personnes",
    }
    context["inactive"] = case.is_open and timers.is_without_activity(
        context["last_activity"], clock.today()
    )
    if context["can_reassign"]:
        context["reassign_form"] = ReassignForm(
            organisation_id=case.organisation_id,
            departements=[case.departement_id],
            initial={"referent": case.referent_id},
        )
    context.update(overrides)
    return context


@login_required
def case_detail(request, pk):
    case = policies.get_case_or_404(request.user, pk)
    record_view(actor=request.user, person=case.person)
    return render(request, "cases/accompagnement.html", _case_context(request, case))


def _editable_case(request, pk):
    case = policies.get_case_or_404(request.user, pk)
    if not policies.can_edit_case(request.user, case):
        raise Http404("Introuvable.")
    return case


@login_required
@require_POST
@creates_once
def record_contact(request, pk):
    """Un entretien en une page : le formulaire se renvoie seul (htmx) avec la liste à jour."""
    case = _editable_case(request, pk)
    form = ContactForm(request.POST, case=case)
    saved = False
    if form.is_valid():
        try:
            services.record_contact(actor=request.user, case=case, **form.cleaned_data)
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            saved = True
    if request.htmx:
        context = _case_context(request, case)
        context.update(
            {"contact_form": ContactForm(case=case) if saved else form, "contact_saved": saved}
        )
        return render(
            request, "cases/partials/entretiens.html", context, status=200 if saved else 422
        )
    if saved:
        messages.success(request, "L'entretien est enregistré.")
        return redirect("accompagnement", pk=case.pk)
    return render(
        request,
        "cases/accompagnement.html",
        _case_context(request, case, contact_form=form),
        status=422,
    )


@login_required
@require_POST
def update_synthesis(request, pk):
    case = _editable_case(request, pk)
    form = SynthesisForm(request.POST)
    if form.is_valid():
        try:
            services.update_synthesis(
                actor=request.user,
                case=case,
                synthesis=form.cleaned_data["synthesis"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as error:
            current = error.current
            form = SynthesisForm(
                initial={"synthesis": form.cleaned_data["synthesis"], "version": current.version}
            )
            form.conflict_message = (
                "Votre collègue a modifié la synthèse pendant votre saisie : votre texte est "
                "conservé dans le champ, la version enregistrée est affichée au-dessus. "
                "Fusionnez les deux puis enregistrez."
            )
            return render(
                request,
                "cases/accompagnement.html",
                _case_context(request, case, synthesis_form=form, synthesis_conflict=current),
                status=409,
            )
        messages.success(request, "La synthèse est enregistrée.")
    return redirect(reverse("accompagnement", args=[case.pk]) + "#synthese")


@login_required
@require_POST
@creates_once
def add_objective(request, pk):
    case = _editable_case(request, pk)
    form = ObjectiveForm(request.POST)
    if form.is_valid():
        services.add_objective(actor=request.user, case=case, **form.cleaned_data)
        messages.success(request, "L'objectif est ajouté.")
        return redirect(reverse("accompagnement", args=[case.pk]) + "#objectifs")
    return render(
        request,
        "cases/accompagnement.html",
        _case_context(request, case, objective_form=form),
        status=422,
    )


@login_required
@require_POST
def objective_status(request, pk, objective_pk):
    case = _editable_case(request, pk)
    objective = case.objectives.filter(pk=objective_pk).first()
    form = ObjectiveStatusForm(request.POST)
    if objective is None or not form.is_valid():
        raise Http404("Introuvable.")
    services.set_objective_status(
        actor=request.user, objective=objective, status=form.cleaned_data["status"]
    )
    return redirect(reverse("accompagnement", args=[case.pk]) + "#objectifs")


@login_required
@require_POST
@creates_once
def add_private_note(request, pk):
    case = policies.get_case_or_404(request.user, pk)
    form = PrivateNoteForm(request.POST)
    if form.is_valid():
        services.add_private_note(actor=request.user, case=case, text=form.cleaned_data["text"])
        messages.success(request, "Votre note privée est enregistrée.")
        return redirect(reverse("accompagnement", args=[case.pk]) + "#notes-privees")
    return render(
        request,
        "cases/accompagnement.html",
        _case_context(request, case, note_form=form),
        status=422,
    )


@login_required
def close_case(request, pk):
    case = policies.get_case_or_404(request.user, pk)
    if not policies.can_close_case(request.user, case) or not case.is_open:
        raise Http404("Introuvable.")
    form = CloseForm(request.POST or None, case=case)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.close_case(
                actor=request.user,
                case=case,
                closed_on=data["closed_on"],
                outcome=data["outcome"],
                expected_version=data["version"],
                risk=data.get("risk", ""),
                sector=data.get("sector", ""),
                employment_contract=data.get("employment_contract", ""),
            )
        except ConflictError as error:
            conflict = error.current
            form.add_error(
                None,
                "L'accompagnement a été modifié par quelqu'un d'autre pendant "
                "votre saisie. Vérifiez la version enregistrée ci-dessous, puis "
                "validez à nouveau.",
            )
            form.data = form.data.copy()
            form.data["version"] = conflict.version
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "L'accompagnement est clos.")
            return redirect("accompagnement", pk=case.pk)
    return render(
        request,
        "cases/cloture.html",
        {
            "form": form,
            "case": case,
            "person": case.person,
            "conflict": conflict,
            "is_pdp": case.programme == Programme.PDP,
            "nav": "personnes",
        },
    )


@login_required
@require_POST
def reopen_case(request, pk):
    case = policies.get_case_or_404(request.user, pk)
    if not policies.can_close_case(request.user, case) or case.is_open:
        raise Http404("Introuvable.")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        services.reopen_case(actor=request.user, case=case, expected_version=version)
    except ConflictError:
        messages.error(
            request, "L'accompagnement a été modifié entre-temps : vérifiez-le puis recommencez."
        )
    else:
        messages.success(request, "L'accompagnement est rouvert.")
    return redirect("accompagnement", pk=case.pk)


@login_required
@require_POST
def reassign_case(request, pk):
    case = policies.get_case_or_404(request.user, pk)
    if not policies.can_reassign_case(request.user, case):
        raise Http404("Introuvable.")
    form = ReassignForm(
        request.POST, organisation_id=case.organisation_id, departements=[case.departement_id]
    )
    if form.is_valid():
        try:
            services.reassign_case(
                actor=request.user, case=case, referent=form.cleaned_data["referent"]
            )
        except BusinessError as error:
            messages.error(request, next(iter(error.errors.values())))
        else:
            messages.success(
                request, f"L'accompagnement est confié à {form.cleaned_data['referent']}."
            )
    else:
        messages.error(request, "Choisissez une AS de la liste.")
    return redirect(
        request.POST.get("retour") == "liste"
        and reverse("accompagnements")
        or reverse("accompagnement", args=[case.pk])
    )


# ---------------------------------------------------------------- responsable


@login_required
def team(request):
    if not policies.can_view_team(request.user):
        raise Http404("Introuvable.")
    today = clock.today()
    rows = queries.team_figures(request.user, today, request.user.organisation)
    return render(
        request,
        "cases/equipe.html",
        {
            "rows": rows,
            "today": today,
            "organisation": request.user.organisation,
            "departements": queries.departement_figures(request.user, today),
            "expiring_conventions": partner_queries.expiring_conventions(
                partner_policies.visible_conventions(request.user), today
            )
            if partner_policies.sees_expiring_conventions(request.user)
            else [],
            "nav": "equipe",
        },
    )


@login_required
def case_list(request):
    """Les accompagnements des départements du responsable, filtrables, à réaffecter."""
    if not policies.can_list_cases(request.user):
        raise Http404("Introuvable.")
    today = clock.today()
    cases = queries.with_last_activity(policies.visible_cases(request.user)).select_related(
        "person", "referent", "departement"
    )
    no_referent = request.GET.get("referent") == "aucun"
    referent_pk = None if no_referent else id_param(request, "referent")
    state = choice_param(request, "etat", Case.State.values, Case.State.OUVERT)
    programme = choice_param(request, "programme", Programme.values)
    inactive = flag_param(request, "inactifs")
    cases = cases.filter(state=state)
    if programme:
        cases = cases.filter(programme=programme)
    if no_referent:
        cases = cases.filter(referent__isnull=True)
    elif referent_pk is not None:
        cases = cases.filter(referent_id=referent_pk)
    if inactive:
        cases = cases.filter(last_activity_on__lte=timers.without_activity_cutoff(today))
    page, query = paginate(request, cases.order_by("last_activity_on", "pk"))
    record_export(
        actor=request.user,
        what="Liste des accompagnements",
        people=person_ids(page),
        listing=True,
        criteria={
            "etat": state,
            "programme": programme,
            "referent": "aucun" if no_referent else referent_pk,
            "inactifs": inactive or None,
        },
    )
    reassign_form = ReassignForm(
        organisation_id=request.user.organisation_id, departements=request.agent.departements
    )
    return render(
        request,
        "cases/liste.html",
        {
            "page": page,
            "query": query,
            "today": today,
            "referents": reassign_form.fields["referent"].queryset,
            "filters": {
                "referent": "aucun" if no_referent else str(referent_pk or ""),
                "etat": state,
                "programme": programme,
                "inactifs": "1" if inactive else "",
            },
            "states": Case.State.choices,
            "programmes": Programme.choices,
            "threshold": timers.without_activity_cutoff(today),
            "nav": "accompagnements",
        },
    )
