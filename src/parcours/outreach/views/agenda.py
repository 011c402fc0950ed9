"""Agenda : semaine d'une AS (plages, rendez-vous, créneaux libres), premier créneau libre,
« a eu lieu → entretien »."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.core.params import date_param, id_param
from parcours.core.policies import visible_sites
from parcours.outreach import policies, queries, services
from parcours.outreach.forms import PermanenceForm
from parcours.outreach.models import AppointmentRequest
from parcours.people import services as people_services
from parcours.people.policies import get_person_or_404
from parcours.rules import agenda as agenda_rules


@login_required
@creates_once
def agenda(request):
    if not policies.can_book(request.user):
        raise Http404("Introuvable.")
    today = clock.today()
    workers = queries.team_social_workers(request.user).order_by("last_name", "first_name")
    chosen = id_param(request, "as")
    staff = None
    if chosen is not None:
        staff = workers.filter(pk=chosen).first()
    if staff is None and policies.can_hold_appointments(request.user):
        staff = request.user
    monday = date_param(request, "semaine", today)
    monday -= datetime.timedelta(days=monday.weekday())
    appointments, slots, permanences = [], [], []
    if staff is not None:
        appointments = (
            policies.visible_appointments(request.user)
            .filter(
                staff=staff,
                starts_at__date__gte=monday,
                starts_at__date__lt=monday + datetime.timedelta(days=7),
            )
            .select_related("person", "site")
            .order_by("starts_at")
        )
        slots = queries.free_slots(
            request.user, [staff.pk], monday, 5, not_before=queries.local_now()
        )
        permanences = policies.visible_permanences(request.user).filter(staff=staff)
        people_services.record_export(
            actor=request.user,
            what="Agenda (rendez-vous de la semaine)",
            people=people_services.person_ids(appointments),
            listing=True,
            criteria={"agent": staff.pk, "semaine": monday.isoformat()},
        )
    form = None
    if policies.can_edit_permanences(request.user, staff):
        form = PermanenceForm(
            request.POST or None,
            staff=workers
            if policies.can_manage_team_agendas(request.user)
            else workers.filter(pk=staff.pk),
            sites=visible_sites(request.user).filter(active=True),
            initial={"staff": staff.pk},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.add_permanence(actor=request.user, **form.cleaned_data)
            except BusinessError as error:
                apply_business_errors(form, error)
            else:
                messages.success(request, "La plage de rendez-vous est ajoutée.")
                return redirect(f"{request.path}?as={form.cleaned_data['staff'].pk}")
    elif request.method == "POST":
        raise Http404("Introuvable.")
    return render(
        request,
        "outreach/agenda.html",
        {
            "workers": workers,
            "staff": staff,
            "monday": monday,
            "previous_week": monday - datetime.timedelta(days=7),
            "next_week": monday + datetime.timedelta(days=7),
            "appointments": appointments,
            "slots": slots,
            "permanences": permanences,
            "form": form,
            "requests": queries.requests_with_standard(request.user, today, assigned_to=staff),
            "now": clock.now(),
            "can_record_contact": policies.can_record_appointment_contact(request.user),
            "nav": "detection",
        },
    )


@login_required
@creates_once
def first_slot(request, pk):
    person = get_person_or_404(request.user, pk)
    if not policies.can_book(request.user):
        raise Http404("Introuvable.")
    today = clock.today()
    staff_ids = queries.right_social_workers(person)
    pending = (
        policies.visible_requests(request.user)
        .filter(person=person, status=AppointmentRequest.Status.EN_ATTENTE)
        .order_by("received_on")
        .first()
    )
    deadline = agenda_rules.deadline(pending.received_on if pending else today)
    if request.method == "POST":
        try:
            starts = datetime.datetime.fromisoformat(request.POST.get("debut", ""))
        except ValueError:
            raise Http404("Introuvable.") from None
        permanence = policies.get_permanence_or_404(request.user, request.POST.get("plage", "0"))
        try:
            # Le créneau est revérifié libre sous verrou par le service.
            services.book_first_slot(
                actor=request.user,
                person=person,
                permanence=permanence,
                starts=starts,
                request=pending,
            )
        except BusinessError as error:
            messages.error(request, next(iter(error.errors.values())))
            return redirect("premier-creneau", pk=person.pk)
        messages.success(
            request,
            f"Rendez-vous fixé le {starts:%d/%m/%Y à %H:%M} avec {permanence.staff}.",
        )
        return redirect("personne", pk=person.pk)
    # « L'AS de la personne », ou toutes les AS qui tiennent des plages dans un lieu choisi.
    sites = visible_sites(request.user).filter(active=True, departement_id=person.departement_id)
    site = None
    site_pk = id_param(request, "lieu")
    if site_pk is not None:
        site = sites.filter(pk=site_pk).first()
    if site is not None:
        staff_ids = list(
            policies.visible_permanences(request.user)
            .filter(site=site)
            .values_list("staff_id", flat=True)
            .distinct()
        )
    slots = queries.free_slots(request.user, staff_ids, today, 60, not_before=queries.local_now())
    if site is not None:
        slots = [slot for slot in slots if slot[2].site_id == site.pk]
    slots = slots[:8]
    return render(
        request,
        "outreach/premier_creneau.html",
        {
            "person": person,
            "sites": sites,
            "site": site,
            "slots": [(s, e, p, s.date() <= deadline) for s, e, p in slots],
            "pending": pending,
            "deadline": deadline,
            "nav": "personnes",
        },
    )


@login_required
@require_POST
def appointment_done(request, pk):
    appointment = policies.get_appointment_or_404(request.user, pk)
    if not policies.can_record_appointment_contact(request.user, appointment):
        raise Http404("Introuvable.")
    try:
        services.appointment_took_place(actor=request.user, appointment=appointment)
    except BusinessError as error:
        messages.error(request, next(iter(error.errors.values())))
    else:
        messages.success(request, "Rendez-vous honoré : l'entretien est ajouté à l'accompagnement.")
    return redirect(f"{reverse('agenda')}?as={appointment.staff_id}")
