"""Pages des orientations : l'écran d'orientation (depuis la fiche, un accompagnement, un
entretien ou un contact d'accueil), le détail d'une orientation, sa clôture, la page
« Orientations » des responsables et du pilotage, la liste des orientations d'un partenaire."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from parcours.cases import policies as case_policies
from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.core.params import choice_param, id_param, year_param
from parcours.core.policies import require
from parcours.outreach import policies as outreach_policies
from parcours.partners import policies as partner_policies
from parcours.people import policies as people_policies
from parcours.people import services as people_services
from parcours.rules import orientations as rules
from parcours.sharing import policies, queries
from parcours.sharing.forms import CloseOrientationForm, OrientationForm
from parcours.sharing.models import Orientation
from parcours.sharing.services import orientations as services

NAV = "personnes"
#: les états en en-tête de colonne (le tableau tient sans défiler)
SHORT_STATUS = {
    "ENVOYEE": "Envoyée",
    "RECUE": "Reçue",
    "ACCEPTEE": "Acceptée",
    "REFUSEE": "Refusée",
    "CLOTUREE": "Clôturée",
    "RELANCEE": "Relancée",
}


def _origin(request, person):
    """L'accompagnement, l'entretien ou le contact d'accueil d'où l'on oriente (paramètres
    ``accompagnement``, ``entretien``, ``accueil``) ; hors périmètre ou d'une autre personne :
    404."""
    origin = {"case": None, "contact": None, "front_line_contact": None}
    if (case_id := id_param(request, "accompagnement")) is not None:
        origin["case"] = case_policies.get_case_or_404(request.user, case_id)
        require(origin["case"].person_id == person.pk)
    if (contact_id := id_param(request, "entretien")) is not None:
        contacts = case_policies.visible_contacts(request.user).select_related("case")
        origin["contact"] = contacts.filter(pk=contact_id, case__person=person).first()
        require(origin["contact"] is not None)
    if (front_id := id_param(request, "accueil")) is not None:
        fronts = outreach_policies.visible_front_line_contacts(request.user)
        origin["front_line_contact"] = fronts.filter(pk=front_id, person=person).first()
        require(origin["front_line_contact"] is not None)
    return origin


def _form(request, person, data=None):
    today = clock.today()
    consents = (
        queries.active_consents(person, today)
        .filter(pk__in=policies.visible_consents(request.user))
        .prefetch_related("partners", "organisations")
    )
    organisations = queries.other_organisations(request.user.organisation_id)
    initial = {}
    if (partner_id := id_param(request, "partenaire")) is not None:
        initial["recipient"] = f"p{partner_id}"
    return OrientationForm(
        data, user=request.user, consents=consents, organisations=organisations, initial=initial
    )


@login_required
@creates_once
def orientation_new(request, pk):
    person = people_policies.get_person_or_404(request.user, pk)
    require(policies.can_orient(request.user, person))
    origin = _origin(request, person)
    form = _form(request, person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            orientation = services.send_orientation(
                actor=request.user,
                person=person,
                partner=data["partner"],
                organisation=data["organisation"],
                partner_contact=data["partner_contact"],
                reason=data["reason"],
                request=data["request"],
                categories=data["categories"],
                basis=data["basis"],
                consent=data["consent_obj"],
                new_consent=data["new_consent"],
                deadline=data["deadline"],
                base_url=request.build_absolute_uri("/").rstrip("/"),
                **origin,
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(
                request,
                "L'orientation est envoyée"
                + (
                    " : le contact du partenaire reçoit le lien de réponse."
                    if orientation.partner_contact_id and orientation.partner_contact.email
                    else "."
                ),
            )
            return redirect("orientation", pk=orientation.pk)
    return render(
        request,
        "sharing/orientation_form.html",
        {"form": form, "person": person, "origin": origin, "nav": NAV},
        status=422 if form.errors else 200,
    )


@login_required
def orientation_categories(request, pk):
    """Fragment htmx : les catégories proposées selon la base et le consentement choisis."""
    person = people_policies.get_person_or_404(request.user, pk)
    require(policies.can_orient(request.user, person))
    form = _form(request, person, request.GET)
    return render(request, "sharing/partials/categories.html", {"form": form})


@login_required
def orientation_detail(request, pk):
    orientation = policies.get_orientation_or_404(request.user, pk)
    people_services.record_view(actor=request.user, person=orientation.person)
    events = orientation.events.select_related("by_user")
    can_close = policies.can_close_orientation(request.user, orientation) and (
        rules.CLOTUREE in rules.allowed_targets(orientation.status)
    )
    return render(
        request,
        "sharing/orientation.html",
        {
            "orientation": orientation,
            "person": orientation.person,
            "events": events,
            "delay": rules.answer_delay_days(orientation.sent_on, orientation.answered_on),
            "can_close": can_close,
            "close_form": CloseOrientationForm(),
            "sharing_open": services.consent_still_valid(orientation),
            "nav": NAV,
        },
    )


@login_required
def orientation_close(request, pk):
    orientation = policies.get_orientation_or_404(request.user, pk)
    require(policies.can_close_orientation(request.user, orientation))
    if request.method != "POST":
        return redirect("orientation", pk=orientation.pk)
    form = CloseOrientationForm(request.POST)
    if form.is_valid():
        try:
            services.close_orientation(
                actor=request.user, orientation=orientation, comment=form.cleaned_data["comment"]
            )
        except BusinessError as error:
            messages.error(request, " ".join(error.errors.values()))
        else:
            messages.success(request, "L'orientation est clôturée.")
    return redirect("orientation", pk=orientation.pk)


def _year(request) -> int:
    return year_param(request, "annee", default=clock.today().year) or clock.today().year


@login_required
def orientations_dashboard(request):
    """Les orientations envoyées dans l'année : par type de partenaire et état, délais ; par
    destinataire. Responsables (leurs départements) et pilotage ; aucun nom de personne."""
    require(policies.can_see_orientation_counts(request.user))
    year = _year(request)
    sent = policies.counted_orientations(request.user).filter(sent_on__year=year)
    counts = queries.counts_by_kind_and_status(sent)
    delays, by_partner = queries.delays_by_partner(sent)
    labels = queries.partner_kind_labels()
    statuses = [(s, SHORT_STATUS[s]) for s in Orientation.Status.values]
    table = [
        {
            "kind": kind,
            "label": labels.get(kind, kind),
            "cells": [counts["croise"].get(kind, {}).get(s, 0) for s, _ in statuses],
            "total": total,
        }
        for kind, total in counts["par_type_partenaire"].items()
    ]
    return render(
        request,
        "sharing/orientations.html",
        {
            "year": year,
            "years": list(range(clock.today().year, clock.today().year - 5, -1)),
            "counts": counts,
            "statuses": statuses,
            "status_totals": [counts["par_statut"].get(s, 0) for s, _ in statuses],
            "table": table,
            "delays": delays,
            "by_partner": by_partner,
            "can_list": policies.can_list_orientations(request.user),
            "nav": "orientations",
        },
    )


@login_required
def partner_orientations(request, pk):
    """Les orientations vers un partenaire de l'annuaire, avec leurs délais : les responsables."""
    require(policies.can_list_orientations(request.user))
    partner = partner_policies.get_partner_or_404(request.user, pk)
    year = _year(request)
    status = choice_param(request, "etat", Orientation.Status.values)
    found = policies.listed_orientations(request.user).filter(partner=partner, sent_on__year=year)
    summary = queries.answer_delays(found)
    if status:
        found = found.filter(status=status)
    rows = queries.with_delays(found.select_related("person", "created_by"))
    people_services.record_export(
        actor=request.user,
        what=f"Orientations vers {partner}",
        people=people_services.person_ids(rows),
        listing=True,
    )
    return render(
        request,
        "sharing/partenaire_orientations.html",
        {
            "partner": partner,
            "year": year,
            "years": list(range(clock.today().year, clock.today().year - 5, -1)),
            "status": status,
            "statuses": Orientation.Status.choices,
            "rows": rows,
            "summary": summary,
            "nav": "orientations",
        },
    )
