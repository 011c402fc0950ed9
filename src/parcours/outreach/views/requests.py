"""Demandes de rendez-vous et rendez-vous, depuis la fiche d'une personne."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.outreach import policies, services
from parcours.outreach.forms import AppointmentForm, RequestForm
from parcours.outreach.models import Appointment, AppointmentRequest
from parcours.people.policies import get_person_or_404


def _person_for_booking(request, pk):
    person = get_person_or_404(request.user, pk)
    if not policies.can_book(request.user):
        raise Http404("Introuvable.")
    return person


@login_required
@creates_once
def new_request(request, pk):
    person = _person_for_booking(request, pk)
    form = RequestForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_request(actor=request.user, person=person, **form.cleaned_data)
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "La demande de rendez-vous est enregistrée.")
            return redirect("personne", pk=person.pk)
    return render(
        request, "outreach/demande.html", {"form": form, "person": person, "nav": "personnes"}
    )


@login_required
@creates_once
def new_appointment(request, pk):
    person = _person_for_booking(request, pk)
    pending = (
        policies.visible_requests(request.user)
        .filter(person=person, status=AppointmentRequest.Status.EN_ATTENTE)
        .order_by("received_on")
    )
    form = AppointmentForm(request.POST or None, person=person, requests=pending)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.book_appointment(
                actor=request.user,
                person=person,
                staff=data["staff"],
                starts_at=data["starts_at"],
                mode=data["mode"],
                duration_minutes=data["duration_minutes"],
                site=data["site"],
                request=data["request"],
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "Le rendez-vous est fixé.")
            return redirect("personne", pk=person.pk)
    return render(
        request, "outreach/rendez_vous.html", {"form": form, "person": person, "nav": "personnes"}
    )


@login_required
@require_POST
def appointment_status(request, pk):
    appointment = policies.get_appointment_or_404(request.user, pk)
    status = request.POST.get("status", "")
    if (
        not policies.can_update_appointment(request.user, appointment)
        or status not in Appointment.Status.values
    ):
        raise Http404("Introuvable.")
    try:
        services.set_appointment_status(actor=request.user, appointment=appointment, status=status)
    except BusinessError as error:
        messages.error(request, next(iter(error.errors.values())))
    else:
        messages.success(request, f"Rendez-vous : {Appointment.Status(status).label.lower()}.")
    return redirect("personne", pk=appointment.person_id)
