"""Accueil : contacts d'accueil (liste et comptes du mois, saisie)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.core.params import id_param
from parcours.outreach import policies, queries, services
from parcours.outreach.forms import FrontLineForm
from parcours.outreach.models import FrontLineContact
from parcours.outreach.views.common import search_candidates
from parcours.people import services as people_services
from parcours.people.policies import visible_people


@login_required
def front_line_list(request):
    if not policies.can_record_front_line_contact(request.user):
        raise Http404("Introuvable.")
    today = clock.today()
    since = today - datetime.timedelta(days=29)
    recent = (
        policies.visible_front_line_contacts(request.user)
        .select_related("person", "agent", "site", "oriented_to")
        .order_by("-at", "-id")[:30]
    )
    people_services.record_export(
        actor=request.user,
        what="Derniers contacts d'accueil",
        people=people_services.person_ids(recent),
        listing=True,
    )
    return render(
        request,
        "outreach/accueil.html",
        {
            "recent": recent,
            "counts": queries.front_line_counts(request.user, since, today),
            "since": since,
            "today": today,
            "channels": FrontLineContact.Channel.choices,
            "answers": FrontLineContact.Answer.choices,
            "nav": "detection",
        },
    )


@login_required
@creates_once
def front_line_new(request):
    if not policies.can_record_front_line_contact(request.user):
        raise Http404("Introuvable.")
    form = FrontLineForm(
        request.POST or None,
        social_workers=queries.team_social_workers(request.user),
        departements=queries.agent_departements(request.user),
        user=request.user,
    )
    q = request.POST.get("q", "").strip() if request.method == "POST" else ""
    candidates = search_candidates(request, q)
    selected = None
    chosen = (
        request.POST.get("person") if request.method == "POST" else id_param(request, "personne")
    )
    if chosen and str(chosen).isdigit():
        selected = visible_people(request.user).filter(pk=int(chosen)).first()
    # La personne rappelle avec la référence de son courrier : l'offre désigne la personne.
    reference = request.POST.get("offer_reference", "").strip().upper()
    offer = policies.offer_by_reference(request.user, reference) if reference else None
    if offer is not None:
        selected = offer.person
    form.setup_person(candidates=candidates, selected=selected)
    if offer is not None:
        form.data = form.data.copy()
        form.data["person"] = str(offer.person_id)
    searching = request.method == "POST" and request.POST.get("action") == "chercher"
    valid = request.method == "POST" and not searching and form.is_valid()
    if valid and reference and offer is None:
        form.add_error(
            "offer_reference", "Aucune offre de service de vos départements n'a cette référence."
        )
        valid = False
    if valid:
        data = form.cleaned_data
        try:
            contact = services.record_front_line_contact(
                offer=offer,
                actor=request.user,
                channel=data["channel"],
                reason=data["reason"],
                answer=data["answer"],
                departement_id=data["departement"],
                person=data["person"],
                new_person=form.new_person(),
                partner=data["partner"],
                oriented_to=data["oriented_to"],
                message=data["message"],
                recipient=data["recipient"],
                duration_minutes=data["duration_minutes"],
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "Le contact d'accueil est noté.")
            if contact.answer == FrontLineContact.Answer.RENDEZ_VOUS:
                return redirect("premier-creneau", pk=contact.person_id)
            return redirect("accueil-contacts")
    if searching:
        form.errors.clear()
    return render(
        request,
        "outreach/accueil_nouveau.html",
        {"form": form, "searched": bool(q), "offer": offer, "nav": "detection"},
        status=422 if form.errors else 200,
    )
