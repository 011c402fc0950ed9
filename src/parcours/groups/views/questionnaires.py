"""Questionnaires (agents) : modèles et questions, papier par séance, saisie, résultats."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render

from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.nomenclatures import Programme
from parcours.core.once import creates_once
from parcours.core.params import choice_param, id_param, year_param
from parcours.core.pdf import pdf_response, render_pdf
from parcours.core.policies import require
from parcours.groups import policies, queries, services
from parcours.groups.forms import (
    AnswersForm,
    QuestionForm,
    QuestionnaireForm,
)
from parcours.groups.models import Response
from parcours.groups.views.common import NAV
from parcours.people import services as people_services
from parcours.rules import collective as rules


@login_required
def paper_questionnaires(request, pk, questionnaire_pk):
    """Questionnaires papier d'une séance : une page nominative par participant."""
    session = policies.get_session_or_404(request.user, pk)
    require(policies.can_manage_action(request.user, session.action))
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
    people_services.record_export(
        actor=request.user,
        what=f"Questionnaires papier nominatifs de la séance n°{session.pk}",
        people=people_services.person_ids(registrations),
        obj=session,
    )
    return pdf_response(pdf, f"questionnaire-{questionnaire.pk}-seance-{session.pk}.pdf")


@login_required
@creates_once
def questionnaire_list(request):
    require(policies.can_list_questionnaires(request.user))
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
@creates_once
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
@creates_once
def response_entry(request, pk, questionnaire_pk):
    """Saisie d'un questionnaire rempli sur papier."""
    invitation = policies.get_invitation_or_404(request.user, pk)
    require(policies.can_manage_action(request.user, invitation.action))
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
            back = id_param(request, "seance")
            if (
                back is not None
                and policies.visible_sessions(request.user)
                .filter(pk=back, action_id=invitation.action_id)
                .exists()
            ):
                return redirect("collectif-seance", pk=back)
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
    require(policies.can_read_results(request.user))
    year = year_param(request, "annee", clock.today().year)
    programme = choice_param(request, "programme", Programme.values)
    action_pk = id_param(request, "action")
    action = None if action_pk is None else policies.get_action_or_404(request.user, action_pk)
    scope = {"year": year, "departements": policies.results_departements(request.user)}
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
