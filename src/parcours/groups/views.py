"""Pages des actions collectives (agents) et pages publiques du lien personnel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.nomenclatures import Programme
from parcours.core.pdf import pdf_response, render_pdf
from parcours.groups import policies, queries, services
from parcours.groups.forms import (
    ActionForm,
    AnswersForm,
    NewParticipantForm,
    PersonSearchForm,
    QuestionForm,
    QuestionnaireForm,
    RegisterForm,
    SessionForm,
)
from parcours.groups.models import Registration, Response
from parcours.people import services as people_services
from parcours.people.policies import get_person_or_404
from parcours.people.queries import search_people
from parcours.rules import collective as rules

NAV = "collectif"


def _require(allowed: bool):
    if not allowed:
        raise Http404("Introuvable.")


def _year(request) -> int:
    try:
        return int(request.GET.get("annee", ""))
    except ValueError:
        return clock.today().year


def personal_link(request, invitation) -> str:
    return request.build_absolute_uri(
        reverse("collectif-lien", args=[services.make_token(invitation)])
    )


# ---------------------------------------------------------------- actions


@login_required
def action_list(request):
    _require(request.agent.role in {"as", "manager", "accueil"})
    year = _year(request)
    actions = queries.actions_list(policies.visible_actions(request.user), year)
    return render(
        request,
        "groups/actions.html",
        {
            "actions": actions.select_related("departement"),
            "year": year,
            "years": [year - 1, year, year + 1],
            "can_create": policies.can_create_action(request.user),
            "nav": NAV,
        },
    )


@login_required
def action_new(request):
    _require(policies.can_create_action(request.user))
    form = ActionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data, facilitators = form.service_data()
        try:
            action = services.create_action(
                actor=request.user,
                organisation_id=request.user.organisation_id,
                data=data,
                facilitators=facilitators,
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "L'action est créée. Ajoutez ses séances.")
            return redirect("collectif-action", pk=action.pk)
    return render(request, "groups/action_form.html", {"form": form, "action": None, "nav": NAV})


@login_required
def action_edit(request, pk):
    action = policies.get_action_or_404(request.user, pk)
    _require(policies.can_manage_action(request.user, action))
    initial = {
        "type": action.type,
        "programme": action.programme,
        "title": action.title,
        "public": action.public,
        "departement": action.departement_id,
        "partners": action.partners,
        "cofunders": action.cofunders,
        "facilitators": list(action.facilitators.values_list("pk", flat=True)),
        "partner_facilitators": action.partner_facilitators,
        "description": action.description,
    }
    form = ActionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, facilitators = form.service_data()
        services.update_action(
            actor=request.user, action=action, data=data, facilitators=facilitators
        )
        messages.success(request, "L'action est modifiée.")
        return redirect("collectif-action", pk=action.pk)
    return render(request, "groups/action_form.html", {"form": form, "action": action, "nav": NAV})


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
            "today": clock.today(),
            "nav": NAV,
        },
    )


@login_required
def session_new(request, pk):
    action = policies.get_action_or_404(request.user, pk)
    _require(policies.can_manage_action(request.user, action))
    form = SessionForm(request.POST or None, action=action)
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
    )


@login_required
def session_edit(request, pk):
    session = policies.get_session_or_404(request.user, pk)
    action = session.action
    _require(policies.can_manage_action(request.user, action))
    initial = {
        "date": session.date,
        "start_time": session.start_time,
        "end_time": session.end_time,
        "capacity": session.capacity,
        "video": session.video,
        "site": session.site_id,
        "partner_place": session.partner_place,
    }
    form = SessionForm(request.POST or None, action=action, initial=initial)
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
    )


@login_required
def paper_questionnaires(request, pk, questionnaire_pk):
    """Questionnaires papier d'une séance : une page nominative par participant."""
    session = policies.get_session_or_404(request.user, pk)
    _require(policies.can_manage_action(request.user, session.action))
    questionnaire = policies.get_questionnaire_or_404(request.user, questionnaire_pk)
    registrations = [
        r for r in queries.session_registrations(session) if r.status != rules.CANCELLED
    ]
    questions = [(q, queries.answer_options(q)) for q in questionnaire.questions.all()]
    pdf = render_pdf(
        "groups/pdf/questionnaire.html",
        {
            "session": session,
            "action": session.action,
            "questionnaire": questionnaire,
            "questions": questions,
            "registrations": registrations or [None],
            "organisation": request.user.organisation,
        },
    )
    return pdf_response(pdf, f"questionnaire-{questionnaire.pk}-seance-{session.pk}.pdf")


# ---------------------------------------------------------------- invitations


@login_required
@require_POST
def invitation_letters(request, pk):
    """Les courriers d'invitation (PDF) avec le lien personnel ; marqués comme édités."""
    action = policies.get_action_or_404(request.user, pk)
    _require(policies.can_manage_action(request.user, action))
    rows = (
        policies.visible_invitations(request.user)
        .filter(action=action)
        .select_related("person__commune")
    )
    if request.POST.get("tous") != "1":
        rows = rows.filter(letter_printed_on__isnull=True)
    rows = list(rows.order_by("person__last_name", "person__first_names"))
    if not rows:
        messages.info(request, "Aucun courrier à éditer.")
        return redirect("collectif-invitations", pk=action.pk)
    sessions = [s for s in action.sessions.select_related("site") if s.date >= clock.today()]
    letters = [(i, personal_link(request, i)) for i in rows]
    services.mark_letters_printed(actor=request.user, invitations=rows)
    pdf = render_pdf(
        "groups/pdf/invitations.html",
        {
            "action": action,
            "sessions": sessions,
            "letters": letters,
            "today": clock.today(),
            "organisation": request.user.organisation,
        },
    )
    return pdf_response(pdf, f"invitations-action-{action.pk}.pdf")


@login_required
@require_POST
def questionnaire_reminders(request, pk, questionnaire_pk):
    """Courriers de relance (PDF) : le questionnaire à remplir par le lien personnel."""
    action = policies.get_action_or_404(request.user, pk)
    _require(policies.can_manage_action(request.user, action))
    questionnaire = policies.get_questionnaire_or_404(request.user, questionnaire_pk)
    rows = list(
        queries.unanswered(questionnaire, action=action, today=clock.today())
        .filter(pk__in=policies.visible_invitations(request.user).values("pk"))
        .select_related("person__commune")
        .order_by("person__last_name", "person__first_names")
    )
    if not rows:
        messages.info(request, "Personne n'a de questionnaire en attente.")
        return redirect("collectif-action", pk=action.pk)
    pdf = render_pdf(
        "groups/pdf/invitations.html",
        {
            "action": action,
            "sessions": [],
            "letters": [(i, personal_link(request, i)) for i in rows],
            "today": clock.today(),
            "organisation": request.user.organisation,
            "questionnaire": questionnaire,
        },
    )
    return pdf_response(pdf, f"relances-questionnaire-{questionnaire.pk}.pdf")


# ---------------------------------------------------------------- séances, inscriptions


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
        _require(policies.can_register(request.user, session.action))
        search = PersonSearchForm(request.POST)
        extra = {"search": search, "searched": True}
        if search.is_valid():
            extra["results"] = search_people(request.user, search.cleaned_data["q"])
    return render(request, "groups/session.html", _session_context(request, session, **extra))


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
def session_register(request, pk):
    session = policies.get_session_or_404(request.user, pk)
    _require(policies.can_register(request.user, session.action))
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
def session_new_participant(request, pk):
    """Inscrire une personne sans fiche (aidant, proche) : fiche minimale puis inscription."""
    session = policies.get_session_or_404(request.user, pk)
    _require(policies.can_register(request.user, session.action))
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
    _require(policies.can_register(request.user, registration.session.action))
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
def registration_open_case(request, pk):
    registration = policies.get_registration_or_404(request.user, pk)
    _require(policies.can_open_case_from(request.user, registration.session.action))
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
    _require(policies.can_manage_action(request.user, session.action))
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
    """Feuille d'émargement imprimable (PDF) : inscrits puis liste d'attente."""
    session = policies.get_session_or_404(request.user, pk)
    _require(policies.can_register(request.user, session.action))
    registrations = [
        r for r in queries.session_registrations(session) if r.status != rules.CANCELLED
    ]
    pdf = render_pdf(
        "groups/pdf/emargement.html",
        {
            "session": session,
            "action": session.action,
            "registrations": registrations,
            "blank_rows": range(max(3, 5 - len(registrations) % 5)),
            "facilitators": session.action.facilitators.all(),
            "organisation": request.user.organisation,
        },
    )
    return pdf_response(pdf, f"emargement-seance-{session.pk}.pdf")


# ---------------------------------------------------------------- questionnaires (agents)


@login_required
def questionnaire_list(request):
    _require(request.agent.role in {"as", "manager"})
    rows = policies.visible_questionnaires(request.user).annotate(n_questions=Count("questions"))
    form = None
    if policies.can_edit_questionnaires(request.user):
        form = QuestionnaireForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                questionnaire = services.create_questionnaire(
                    actor=request.user,
                    organisation_id=request.user.organisation_id,
                    **form.cleaned_data,
                )
            except BusinessError as error:
                apply_business_errors(form, error)
            else:
                messages.success(request, "Le questionnaire est créé : ajoutez ses questions.")
                return redirect("collectif-questionnaire", pk=questionnaire.pk)
    return render(request, "groups/questionnaires.html", {"rows": rows, "form": form, "nav": NAV})


@login_required
def questionnaire_detail(request, pk):
    questionnaire = policies.get_questionnaire_or_404(request.user, pk)
    form = None
    if policies.can_edit_questionnaires(request.user):
        form = QuestionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.add_question(
                    actor=request.user, questionnaire=questionnaire, **form.service_data()
                )
            except BusinessError as error:
                apply_business_errors(form, error)
            else:
                messages.success(request, "La question est ajoutée.")
                return redirect("collectif-questionnaire", pk=questionnaire.pk)
    return render(
        request,
        "groups/questionnaire.html",
        {
            "questionnaire": questionnaire,
            "questions": questionnaire.questions.all(),
            "form": form,
            "nav": NAV,
        },
    )


@login_required
def response_entry(request, pk, questionnaire_pk):
    """Saisie d'un questionnaire rempli sur papier."""
    invitation = policies.get_invitation_or_404(request.user, pk)
    _require(policies.can_manage_action(request.user, invitation.action))
    questionnaire = policies.get_questionnaire_or_404(request.user, questionnaire_pk)
    form = AnswersForm(
        request.POST or None, questionnaire=questionnaire, options_of=queries.answer_options
    )
    if request.method == "POST":
        form.is_valid()
        try:
            services.submit_response(
                actor=request.user,
                questionnaire=questionnaire,
                invitation=invitation,
                raw=form.raw(),
                source=Response.Source.PAPIER,
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "Le questionnaire est enregistré.")
            back = request.GET.get("seance", "")
            if (
                back.isdigit()
                and policies.visible_sessions(request.user)
                .filter(pk=int(back), action_id=invitation.action_id)
                .exists()
            ):
                return redirect("collectif-seance", pk=int(back))
            return redirect("collectif-invitations", pk=invitation.action_id)
    return render(
        request,
        "groups/saisie.html",
        {
            "invitation": invitation,
            "action": invitation.action,
            "questionnaire": questionnaire,
            "form": form,
            "nav": NAV,
        },
        status=422 if form.errors else 200,
    )


@login_required
def results(request):
    """Résultats des questionnaires par programme et par année (et par action)."""
    _require(request.agent.role in {"as", "manager"})
    year = _year(request)
    programme = request.GET.get("programme", "")
    if programme not in Programme.values:
        programme = ""
    action = None
    if request.GET.get("action", "").isdigit():
        action = policies.get_action_or_404(request.user, int(request.GET["action"]))
    scope = {"year": year, "departements": request.agent.departements}
    if programme:
        scope["programme"] = programme
    if action is not None:
        scope["action"] = action
    blocks = [
        queries.questionnaire_results(q, today=clock.today(), **scope)
        for q in policies.visible_questionnaires(request.user).filter(active=True)
    ]
    if action is not None:
        blocks = [b for b in blocks if b["eligible"] or b["responses"]]
    return render(
        request,
        "groups/resultats.html",
        {
            "blocks": blocks,
            "year": year,
            "years": list(range(clock.today().year - 3, clock.today().year + 1)),
            "programme": programme,
            "programmes": Programme.choices,
            "action": action,
            "nav": NAV,
        },
    )


# ---------------------------------------------------------------- pages publiques


def _invitation_from(token):
    invitation = services.read_token(token)
    if invitation is None:
        return None
    return invitation


def _invalid_link(request):
    return render(request, "groups/public/lien_invalide.html", status=404)


def public_link(request, token):
    """La page du lien personnel : s'inscrire, ou retrouver son inscription ; questionnaires."""
    invitation = _invitation_from(token)
    if invitation is None:
        return _invalid_link(request)
    action = invitation.action
    today = clock.today()
    error = ""
    if request.method == "POST" and request.POST.get("annuler", "").isdigit():
        mine = Registration.objects.filter(
            session__action=action,
            person=invitation.person,
            session__date__gte=today,
            pk=int(request.POST["annuler"]),
        ).exclude(status=rules.CANCELLED)
        for registration in mine:
            services.cancel_registration(actor=None, registration=registration)
        return redirect(f"{reverse('collectif-lien', args=[token])}?annulation=1")
    if request.method == "POST":
        session_id = request.POST.get("seance", "")
        session = action.sessions.filter(
            pk=session_id if session_id.isdigit() else 0, date__gte=today
        ).first()
        if session is None:
            error = "Choisissez l'une des dates proposées."
        else:
            try:
                registration, created = services.register(
                    actor=None,
                    session=session,
                    person=invitation.person,
                    channel=Registration.Channel.LIEN,
                )
            except BusinessError as exc:
                error = " ".join(exc.errors.values())
            else:
                return redirect(f"{reverse('collectif-lien', args=[token])}?inscription=1")
    mine = (
        Registration.objects.filter(session__action=action, person=invitation.person)
        .exclude(status=rules.CANCELLED)
        .select_related("session__site")
        .order_by("session__date")
    )
    current = [r for r in mine if r.session.date >= today]
    attended = [r for r in mine if r.session.date < today and r.present]
    sessions = queries.sessions_with_counts(action.sessions.filter(date__gte=today))
    due, done = queries.open_questionnaires(invitation, today)
    return render(
        request,
        "groups/public/lien.html",
        {
            "token": token,
            "first_name": invitation.person.first_names.split()[0]
            if invitation.person.first_names
            else "",
            "action": action,
            "current": current,
            "attended": attended,
            "sessions": sessions,
            "due": due,
            "done": done,
            "error": error,
            "just_registered": request.GET.get("inscription") == "1",
            "thanks": request.GET.get("merci") == "1",
            "cancelled": request.GET.get("annulation") == "1",
        },
        status=422 if error else 200,
    )


def public_questionnaire(request, token, questionnaire_pk):
    invitation = _invitation_from(token)
    if invitation is None:
        return _invalid_link(request)
    due, done = queries.open_questionnaires(invitation, clock.today())
    questionnaire = next((q for q in due + done if q.pk == questionnaire_pk), None)
    if questionnaire is None:
        return _invalid_link(request)
    already = questionnaire in done
    form = AnswersForm(
        request.POST or None, questionnaire=questionnaire, options_of=queries.answer_options
    )
    if request.method == "POST" and not already:
        form.is_valid()
        try:
            services.submit_response(
                actor=None,
                questionnaire=questionnaire,
                invitation=invitation,
                raw=form.raw(),
                source=Response.Source.LIEN,
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            return redirect(f"{reverse('collectif-lien', args=[token])}?merci=1")
    return render(
        request,
        "groups/public/questionnaire.html",
        {
            "token": token,
            "action": invitation.action,
            "questionnaire": questionnaire,
            "form": form,
            "already": already,
        },
        status=422 if form.errors else 200,
    )
