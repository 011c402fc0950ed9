"""Courriers d'une action : invitations avec le lien personnel, relances de questionnaire.

La page « Invitations » elle-même compose la Détection : elle est dans
``parcours.www.invitations``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from parcours.core import clock
from parcours.core.pdf import pdf_response, render_pdf
from parcours.core.policies import require
from parcours.groups import policies, queries, services
from parcours.groups.views.common import personal_link
from parcours.people import services as people_services


@login_required
@require_POST
def invitation_letters(request, pk):
    """Les courriers d'invitation (PDF) avec le lien personnel ; marqués comme édités."""
    action = policies.get_action_or_404(request.user, pk)
    require(policies.can_manage_action(request.user, action))
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
    people_services.record_export(
        actor=request.user,
        what=f"Courriers d'invitation de l'action n°{action.pk}",
        people=people_services.person_ids(rows),
        obj=action,
    )
    return pdf_response(pdf, f"invitations-action-{action.pk}.pdf")


@login_required
@require_POST
def questionnaire_reminders(request, pk, questionnaire_pk):
    """Courriers de relance (PDF) : le questionnaire à remplir par le lien personnel."""
    action = policies.get_action_or_404(request.user, pk)
    require(policies.can_manage_action(request.user, action))
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
    people_services.record_export(
        actor=request.user,
        what=f"Courriers de relance du questionnaire n°{questionnaire.pk}",
        people=people_services.person_ids(rows),
        obj=action,
    )
    return pdf_response(pdf, f"relances-questionnaire-{questionnaire.pk}.pdf")
