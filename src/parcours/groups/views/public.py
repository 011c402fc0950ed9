"""Pages publiques du lien personnel : s'inscrire, retrouver son inscription, répondre.

Sans connexion : l'invitation vient du jeton signé ; un lien non valable répond 404.

Qui voit le lien (un proche, un écran partagé) ne doit rien apprendre de la situation de la
personne : sauf si l'action est marquée « intitulé public », la page porte un titre neutre, sans
intitulé ni présentation de l'action."""

from django.shortcuts import redirect, render
from django.urls import reverse

from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.core.params import flag_param
from parcours.groups import policies, queries, services
from parcours.groups.forms import (
    AnswersForm,
)
from parcours.groups.models import Registration, Response

NEUTRAL_TITLE = "Votre inscription à un atelier"


def _shown(action) -> dict:
    """Ce que la page publique peut dire de l'action : son intitulé seulement s'il est public."""
    if action.title_is_public:
        return {"heading": action.title, "presentation": action.description}
    return {"heading": NEUTRAL_TITLE, "presentation": ""}


def _invitation_from(token):
    invitation = services.read_token(token)
    if invitation is None:
        return None
    return invitation


def _invalid_link(request):
    return render(request, "groups/public/lien_invalide.html", status=404)


@creates_once
def public_link(request, token):
    """La page du lien personnel : s'inscrire, ou retrouver son inscription ; questionnaires."""
    invitation = _invitation_from(token)
    if invitation is None:
        return _invalid_link(request)
    action = invitation.action
    today = clock.today()
    error = ""
    if request.method == "POST" and request.POST.get("annuler", "").isdigit():
        mine = policies.visible_registrations_by_link(invitation).filter(
            session__date__gte=today, pk=int(request.POST["annuler"])
        )
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
        policies.visible_registrations_by_link(invitation)
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
            **_shown(action),
            "current": current,
            "attended": attended,
            "sessions": sessions,
            "due": due,
            "done": done,
            "error": error,
            "just_registered": flag_param(request, "inscription"),
            "thanks": flag_param(request, "merci"),
            "cancelled": flag_param(request, "annulation"),
        },
        status=422 if error else 200,
    )


@creates_once
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
            **_shown(invitation.action),
            "questionnaire": questionnaire,
            "form": form,
            "already": already,
        },
        status=422 if form.errors else 200,
    )
