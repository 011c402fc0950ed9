"""Séances et inscriptions : séance, inscrire, annuler, présences, émargement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.core.pdf import pdf_response, render_pdf
from parcours.core.policies import require
from parcours.groups import policies, queries, services
from parcours.groups.forms import (
    NewParticipantForm,
    PersonSearchForm,
    RegisterForm,
    SessionForm,
    commune_prefill,
)
from parcours.groups.models import Registration
from parcours.groups.views.common import NAV
from parcours.people import services as people_services
from parcours.people.policies import get_person_or_404
from parcours.people.queries import search_people
from parcours.rules import collective as rules


@login_required
@creates_once
def session_new(request, pk):
    action = policies.get_action_or_404(request.user, pk)
    require(policies.can_manage_action(request.user, action))
    # « Programmer une action » depuis une zone blanche de l'observatoire : la commune arrive
    # dans l'adresse (``?commune=CODE``) et préremplit le champ ; un code inconnu est ignoré
    commune = commune_prefill(request.GET.get("commune"))
    initial = {"commune": commune.code} if commune is not None else {}
    form = SessionForm(request.POST or None, action=action, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_session(actor=request.user, action=action, **form.cleaned_data)
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "La séance est ajoutée.")
            return redirect("collectif-action", pk=action.pk)
    return render(
        request,
        "groups/session_form.html",
        {"form": form, "action": action, "session": None, "nav": NAV},
        status=422 if form.errors else 200,
    )


@login_required
def session_edit(request, pk):
    session = policies.get_session_or_404(request.user, pk)
    action = session.action
    require(policies.can_manage_action(request.user, action))
    initial = {
        "date": session.date,
        "start_time": session.start_time,
        "end_time": session.end_time,
        "capacity": session.capacity,
        "video": session.video,
        "site": session.site_id,
        "partner_place": session.partner_place,
        "partner": session.partner_id,
        "commune": session.commune_id or "",
    }
    form = SessionForm(request.POST or None, action=action, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _, promoted = services.update_session(
                actor=request.user, session=session, **form.cleaned_data
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "La séance est modifiée.")
            for registration in promoted:
                messages.info(
                    request,
                    f"Place libérée : {registration.person} passe de la liste d'attente aux "
                    "inscrits.",
                )
            return redirect("collectif-seance", pk=session.pk)
    return render(
        request,
        "groups/session_form.html",
        {"form": form, "action": action, "session": session, "nav": NAV},
        status=422 if form.errors else 200,
    )


def _session_context(request, session, **extra):
    action = session.action
    registrations = queries.session_registrations(session)
    invitation_of = dict(
        policies.visible_invitations(request.user)
        .filter(action=action, person_id__in=[r.person_id for r in registrations])
        .values_list("person_id", "pk")
    )
    questionnaires = []
    if policies.can_manage_action(request.user, action):
        questionnaires = list(services.applicable_questionnaires(action))
    waiting_answer = {
        q.pk: set(
            queries.unanswered(q, action=action, today=clock.today()).values_list("pk", flat=True)
        )
        for q in questionnaires
    }
    for registration in registrations:
        registration.invitation_id = invitation_of.get(registration.person_id)
        registration.due_questionnaires = [
            q for q in questionnaires if registration.invitation_id in waiting_answer[q.pk]
        ]
    context = {
        "session": session,
        "action": action,
        "registrations": registrations,
        "counts": queries.sessions_with_counts(
            policies.visible_sessions(request.user).filter(pk=session.pk)
        ).first(),
        "can_register": policies.can_register(request.user, action)
        and session.date >= clock.today(),
        "can_manage": policies.can_manage_action(request.user, action),
        "can_mark": policies.can_manage_action(request.user, action)
        and session.date <= clock.today(),
        "questionnaires": questionnaires,
        "search": PersonSearchForm(),
        "new_form": NewParticipantForm(),
        "results": [],
        "searched": False,
        "relations": Registration.Relation.choices,
        "nav": NAV,
    }
    context.update(extra)
    return context


@login_required
def session_detail(request, pk):
    session = policies.get_session_or_404(request.user, pk)
    extra = {}
    if request.method == "POST":
        require(policies.can_register(request.user, session.action))
        search = PersonSearchForm(request.POST)
        extra = {"search": search, "searched": True}
        if search.is_valid():
            extra["results"] = search_people(request.user, search.cleaned_data["q"])
    context = _session_context(request, session, **extra)
    people_services.record_export(
        actor=request.user,
        what=f"Inscrits à la séance n°{session.pk}",
        people=people_services.person_ids([*context["registrations"], *context.get("results", [])]),
        obj=session,
        listing=True,
    )
    return render(request, "groups/session.html", context)


def _registration_message(request, registration, created):
    name = str(registration.person)
    if not created:
        messages.info(
            request, f"{name} est déjà inscrit·e ({registration.get_status_display().lower()})."
        )
    elif registration.status == rules.WAITING:
        messages.warning(request, f"La séance est complète : {name} est en liste d'attente.")
    else:
        messages.success(request, f"{name} est inscrit·e.")


@login_required
@require_POST
@creates_once
def session_register(request, pk):
    session = policies.get_session_or_404(request.user, pk)
    require(policies.can_register(request.user, session.action))
    form = RegisterForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez une personne et sa qualité.")
        return redirect("collectif-seance", pk=session.pk)
    person = get_person_or_404(request.user, form.cleaned_data["person"])
    try:
        registration, created = services.register(
            actor=request.user,
            session=session,
            person=person,
            relation=form.cleaned_data["relation"],
        )
    except BusinessError as error:
        messages.error(request, " ".join(error.errors.values()))
    else:
        _registration_message(request, registration, created)
    return redirect("collectif-seance", pk=session.pk)


@login_required
@require_POST
@creates_once
def session_new_participant(request, pk):
    """Inscrire une personne sans fiche (aidant, proche) : fiche minimale puis inscription."""
    session = policies.get_session_or_404(request.user, pk)
    require(policies.can_register(request.user, session.action))
    form = NewParticipantForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        relation = data.pop("relation")
        data["departement_id"] = session.action.departement_id
        try:
            person = people_services.create_person(
                actor=request.user, organisation_id=session.organisation_id, data=data
            )
            registration, created = services.register(
                actor=request.user, session=session, person=person, relation=relation
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            _registration_message(request, registration, created)
            return redirect("collectif-seance", pk=session.pk)
    return render(
        request,
        "groups/session.html",
        _session_context(request, session, new_form=form, open_new=True),
        status=422,
    )


@login_required
@require_POST
def registration_cancel(request, pk):
    registration = policies.get_registration_or_404(request.user, pk)
    require(policies.can_register(request.user, registration.session.action))
    try:
        promoted = services.cancel_registration(actor=request.user, registration=registration)
    except BusinessError as error:
        messages.error(request, " ".join(error.errors.values()))
    else:
        messages.success(request, f"L'inscription de {registration.person} est annulée.")
        for other in promoted:
            messages.info(
                request, f"Place libérée : {other.person} passe de la liste d'attente aux inscrits."
            )
    return redirect("collectif-seance", pk=registration.session_id)


@login_required
@require_POST
@creates_once
def registration_open_case(request, pk):
    registration = policies.get_registration_or_404(request.user, pk)
    require(policies.can_open_case_from(request.user, registration.session.action))
    case, created = services.open_case_for(actor=request.user, registration=registration)
    if created:
        messages.success(request, "L'accompagnement est ouvert (origine : information collective).")
    else:
        messages.info(
            request, "Un accompagnement de ce programme est déjà ouvert pour cette personne."
        )
    return redirect("accompagnement", pk=case.pk)


@login_required
def attendance(request, pk):
    """Toutes les présences d'une séance sur un écran, après la séance."""
    session = policies.get_session_or_404(request.user, pk)
    require(policies.can_manage_action(request.user, session.action))
    registrations = [
        r for r in queries.session_registrations(session) if r.status != rules.CANCELLED
    ]
    errors = []
    if request.method == "POST":
        values = {"1": True, "0": False, "": None}
        presence = {}
        for registration in registrations:
            raw = request.POST.get(f"presence-{registration.pk}", "")
            presence[registration.pk] = values.get(raw)
        try:
            services.mark_attendance(actor=request.user, session=session, presence=presence)
        except BusinessError as error:
            errors = list(error.errors.values())
        else:
            present = sum(1 for v in presence.values() if v)
            messages.success(
                request, f"Présences enregistrées : {present} présent{'s' if present > 1 else ''}."
            )
            return redirect("collectif-seance", pk=session.pk)
    people_services.record_export(
        actor=request.user,
        what=f"Présences de la séance n°{session.pk}",
        people=people_services.person_ids(registrations),
        obj=session,
        listing=True,
    )
    return render(
        request,
        "groups/presences.html",
        {
            "session": session,
            "action": session.action,
            "registrations": registrations,
            "errors": errors,
            "nav": NAV,
        },
    )


@login_required
def attendance_sheet(request, pk):
    """Feuille d'émargement imprimable (PDF) : les inscrits (comptés), puis à part la liste
    d'attente (ni numérotée ni comptée parmi les inscrits)."""
    session = policies.get_session_or_404(request.user, pk)
    require(policies.can_register(request.user, session.action))
    listed = queries.session_registrations(session)
    registrations = [r for r in listed if r.status == rules.REGISTERED]
    pdf = render_pdf(
        "groups/pdf/emargement.html",
        {
            "session": session,
            "action": session.action,
            "registrations": registrations,
            "waiting": [r for r in listed if r.status == rules.WAITING],
            "blank_rows": range(max(3, 5 - len(registrations) % 5)),
            "facilitators": session.action.facilitators.all(),
            "organisation": request.user.organisation,
        },
    )
    people_services.record_export(
        actor=request.user,
        what=f"Feuille d'émargement de la séance n°{session.pk}",
        people=people_services.person_ids(registrations),
        obj=session,
    )
    return pdf_response(pdf, f"emargement-seance-{session.pk}.pdf")
