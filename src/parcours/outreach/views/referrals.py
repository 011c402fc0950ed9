"""Signalements : liste, saisie, attribution, suite donnée, réponse à l'émetteur."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.core.pagination import paginate
from parcours.core.params import choice_param, id_param
from parcours.core.pdf import pdf_response
from parcours.core.queries import social_workers
from parcours.outreach import letters, policies, queries, services
from parcours.outreach.forms import AssignForm, ReferralForm
from parcours.outreach.models import Referral
from parcours.outreach.views.common import search_candidates
from parcours.people import services as people_services
from parcours.people.policies import visible_people
from parcours.rules import referral_workflow


@login_required
def referral_list(request):
    if not policies.can_record_referral(request.user):
        raise Http404("Introuvable.")
    today = clock.today()
    visible = policies.visible_referrals(request.user).select_related(
        "person", "assigned_to", "departement"
    )
    status = choice_param(request, "etat", Referral.Status.values)
    unassigned = []
    can_dispatch = policies.can_dispatch_referrals(request.user)
    if can_dispatch:
        unassigned = [
            (r, referral_workflow.age_in_days(r.received_on, today))
            for r in visible.filter(status=Referral.Status.RECU, assigned_to__isnull=True).order_by(
                "received_on", "id"
            )[:100]
        ]
        listing = visible
    else:
        listing = visible.filter(assigned_to=request.user)
    if status:
        listing = listing.filter(status=status)
    page, query = paginate(request, listing.order_by("-received_on", "-id"))
    people_services.record_export(
        actor=request.user,
        what="Liste des signalements",
        people=people_services.person_ids([*page, *(r for r, _ in unassigned)]),
        listing=True,
        criteria={"etat": status} if status else None,
    )
    return render(
        request,
        "outreach/signalements.html",
        {
            "unassigned": unassigned,
            "can_dispatch": can_dispatch,
            "page": page,
            "query": query,
            "status": status,
            "statuses": Referral.Status.choices,
            "counts": queries.referral_counts_by_status(request.user),
            "nav": "detection",
        },
    )


@login_required
@creates_once
def referral_new(request):
    if not policies.can_record_referral(request.user):
        raise Http404("Introuvable.")
    form = ReferralForm(request.POST or None, user=request.user)
    q = request.POST.get("q", "").strip() if request.method == "POST" else ""
    candidates = search_candidates(request, q)
    selected = None
    chosen = (
        request.POST.get("person") if request.method == "POST" else id_param(request, "personne")
    )
    if chosen and str(chosen).isdigit():
        selected = visible_people(request.user).filter(pk=int(chosen)).first()
    form.setup_person(candidates=candidates, selected=selected)
    searching = request.method == "POST" and request.POST.get("action") == "chercher"
    if request.method == "POST" and not searching and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.record_referral(
                actor=request.user,
                person=data["person"],
                emitter=data["emitter"],
                emitter_name=data["emitter_name"],
                emitter_partner=data["emitter_partner"],
                emitter_address=data["emitter_address"],
                received_on=data["received_on"],
                reason=data["reason"],
                priority=data["priority"],
                programme=data["programme"],
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            if referral.case_id:
                messages.success(
                    request,
                    f"Signalement enregistré et transmis à {referral.assigned_to}, qui suit déjà "
                    "la personne.",
                )
            else:
                messages.success(request, "Signalement enregistré : il attend une AS.")
            return redirect("signalement", pk=referral.pk)
    if searching:
        form.errors.clear()
    return render(
        request,
        "outreach/signalement_nouveau.html",
        {"form": form, "searched": bool(q), "candidates": candidates, "nav": "detection"},
        status=422 if form.errors else 200,
    )


@login_required
def referral_detail(request, pk):
    referral = policies.get_referral_or_404(request.user, pk)
    can_assign = policies.can_assign_referral(request.user, referral)
    can_update = policies.can_update_referral(request.user, referral)
    assign_form = None
    if can_assign and referral.status in {Referral.Status.RECU, Referral.Status.PRIS_EN_CHARGE}:
        assign_form = AssignForm(
            request.POST or None,
            social_workers=social_workers(referral.organisation_id, referral.departement_id),
            initial={"social_worker": referral.assigned_to_id},
        )
        if request.method == "POST" and assign_form.is_valid():
            try:
                services.assign_referral(
                    actor=request.user,
                    referral=referral,
                    social_worker=assign_form.cleaned_data["social_worker"],
                )
            except BusinessError as error:
                apply_business_errors(assign_form, error)
            else:
                messages.success(request, "Le signalement est confié à l'AS.")
                return redirect("signalement", pk=referral.pk)
    targets = []
    if can_update:
        targets = [
            (code, Referral.Status(code).label)
            for code in referral_workflow.allowed_targets(referral.status)
            if code != Referral.Status.PRIS_EN_CHARGE
        ]
    return render(
        request,
        "outreach/signalement.html",
        {
            "referral": referral,
            "assign_form": assign_form,
            "targets": targets,
            "can_answer": can_update and referral_workflow.can_answer_emitter(referral.status),
            "can_take": referral.status == Referral.Status.RECU
            and policies.can_take_referral(request.user, referral),
            "age": referral_workflow.age_in_days(referral.received_on, clock.today()),
            "nav": "detection",
        },
    )


@login_required
@require_POST
def referral_status(request, pk):
    referral = policies.get_referral_or_404(request.user, pk)
    if not policies.can_update_referral(request.user, referral):
        raise Http404("Introuvable.")
    status = request.POST.get("status", "")
    if status == "PRENDRE":
        if not policies.can_take_referral(request.user, referral):
            raise Http404("Introuvable.")
        action = lambda: services.assign_referral(  # noqa: E731
            actor=request.user, referral=referral, social_worker=request.user
        )
    elif status in Referral.Status.values:
        action = lambda: services.set_referral_status(  # noqa: E731
            actor=request.user, referral=referral, status=status
        )
    else:
        raise Http404("Introuvable.")
    try:
        action()
    except BusinessError as error:
        messages.error(request, next(iter(error.errors.values())))
    else:
        messages.success(request, f"Signalement : {referral.get_status_display().lower()}.")
    return redirect("signalement", pk=referral.pk)


@login_required
def referral_letter(request, pk):
    referral = policies.get_referral_or_404(request.user, pk)
    if not policies.can_update_referral(request.user, referral) or not (
        referral_workflow.can_answer_emitter(referral.status)
    ):
        raise Http404("Introuvable.")
    pdf = letters.render_pdf(
        "outreach/pdf/reponse_signalement.html",
        {
            "referral": referral,
        },
        user=request.user,
    )
    people_services.record_export(
        actor=request.user,
        what=f"Courrier de réponse au signalement n°{referral.pk}",
        people=[referral.person_id],
        obj=referral,
    )
    return pdf_response(pdf, f"reponse-signalement-{referral.pk}.pdf")


@login_required
@require_POST
def referral_answered(request, pk):
    referral = policies.get_referral_or_404(request.user, pk)
    if not policies.can_update_referral(request.user, referral):
        raise Http404("Introuvable.")
    by_email = request.POST.get("courriel") == "1"
    try:
        if by_email:
            services.send_answer_email(actor=request.user, referral=referral)
        else:
            services.record_answer_to_emitter(actor=request.user, referral=referral)
    except BusinessError as error:
        messages.error(request, next(iter(error.errors.values())))
    else:
        messages.success(
            request,
            "La réponse est envoyée par courriel à l'émetteur."
            if by_email
            else "La réponse à l'émetteur est notée.",
        )
    return redirect("signalement", pk=referral.pk)
