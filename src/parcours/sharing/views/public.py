"""La page du destinataire d'une orientation : sans compte, par le lien signé reçu par courriel.

Elle ne montre que les catégories que l'orientation partage (l'identité et les coordonnées, la
situation, la dernière évaluation et son GIR), jamais le contenu d'un accompagnement. Le
destinataire accuse réception, accepte, refuse ou clôt, en POST (un GET n'écrit jamais). Un lien
falsifié, périmé, ou d'une orientation dont le consentement a été retiré répond 404."""

from django.shortcuts import redirect, render
from django.urls import reverse

from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.core.params import flag_param
from parcours.rules import orientations as rules
from parcours.sharing import queries
from parcours.sharing.forms import OrientationAnswerForm
from parcours.sharing.services import orientations as services

ANSWER_LABELS = {
    rules.RECUE: "J'accuse réception de l'orientation",
    rules.ACCEPTEE: "J'accepte : la personne sera prise en charge",
    rules.REFUSEE: "Je refuse (dites pourquoi)",
    rules.CLOTUREE: "La prise en charge est terminée : je clôture",
}


def _choices(orientation):
    return [
        (s, ANSWER_LABELS[s])
        for s in (rules.RECUE, rules.ACCEPTEE, rules.REFUSEE, rules.CLOTUREE)
        if s in rules.allowed_targets(orientation.status)
    ]


@creates_once
def orientation_link(request, token):
    orientation = services.read_token(token)
    if orientation is None:
        return render(request, "sharing/public/lien_invalide.html", status=404)
    if not services.consent_still_valid(orientation):
        return render(request, "sharing/public/acces_retire.html", status=404)
    choices = _choices(orientation)
    form = OrientationAnswerForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_by_link(
                orientation=orientation,
                status=form.cleaned_data["status"],
                comment=form.cleaned_data["comment"],
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            return redirect(f"{reverse('orientation-lien', args=[token])}?merci=1")
    return render(
        request,
        "sharing/public/orientation.html",
        {
            "orientation": orientation,
            "form": form,
            "choices": choices,
            "events": orientation.events.filter(by_partner=True),
            "thanks": flag_param(request, "merci"),
            **queries.shared_by_orientation(orientation),
        },
        status=422 if form.errors else 200,
    )
