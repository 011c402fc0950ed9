"""Détection : ciblages (import d'extraits), signalements, accueil, campagnes."""

import datetime

from django.conf import settings
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
from parcours.core.models import Departement, User
from parcours.core.nomenclatures import StatutOffre, TypeCollectif
from parcours.core.pagination import paginate
from parcours.core.pdf import pdf_response
from parcours.core.policies import visible_sites
from parcours.core.queries import social_workers
from parcours.core.roles import Role
from parcours.groups import policies as group_policies
from parcours.groups import services as group_services
from parcours.outreach import letters, policies, queries, services, tasks
from parcours.outreach.forms_detection import (
    AssignForm,
    CampaignForm,
    ExtractUploadForm,
    FrontLineForm,
    PermanenceForm,
    ReferralForm,
    RuleForm,
)
from parcours.outreach.models import (
    AppointmentRequest,
    FrontLineContact,
    Permanence,
    Referral,
    TargetingRun,
)
from parcours.people.policies import get_person_or_404, visible_people
from parcours.rules import agenda as agenda_rules
from parcours.rules import referral_workflow, targeting


def _personal_link(request):
    """L'adresse complète du lien personnel d'une invitation à une action collective."""

    def link(invitation) -> str:
        token = group_services.make_token(invitation)
        return request.build_absolute_uri(reverse("collectif-lien", args=[token]))

    return link


def _manager_only(request):
    if not policies.can_manage_targeting(request.user):
        raise Http404("Introuvable.")


def _import_dir():
    return getattr(settings, "PARCOURS_IMPORT_DIR", settings.VAR_DIR / "imports")


@login_required
def home(request):
    if not policies.sees_detection(request.user):
        raise Http404("Introuvable.")
    return render(
        request,
        "outreach/detection.html",
        {"figures": queries.detection_figures(request.user), "nav": "detection"},
    )


@login_required
def targeting_list(request):
    _manager_only(request)
    organisation = request.user.organisation
    rule = services.targeting_rule(organisation=organisation)
    form = ExtractUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        path, name = services.store_upload(
            uploaded=form.cleaned_data["fichier"], directory=_import_dir()
        )
        run = services.start_targeting_run(
            actor=request.user,
            organisation=organisation,
            file_path=path,
            file_name=name,
            extraction_date=form.cleaned_data["date_extraction"],
            dry_run=True,
        )
        tasks.run_after_commit(run)
        return redirect("ciblage", pk=run.pk)
    return render(
        request,
        "outreach/ciblages.html",
        {
            "form": form,
            "rule": rule,
            "rule_text": targeting.describe(rule.code, rule.parameters),
            "runs": policies.visible_runs(request.user).select_related("created_by")[:30],
            "nav": "detection",
        },
    )


@login_required
def targeting_rule(request):
    _manager_only(request)
    rule = services.targeting_rule(organisation=request.user.organisation)
    departements = Departement.objects.filter(
        code__in=request.user.organisation.departements.values("code")
    )
    form = RuleForm(request.POST or None, initial=rule.parameters, departements=departements)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_targeting_rule(
                actor=request.user, rule=rule, parameters=form.cleaned_data
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "La règle de ciblage est enregistrée.")
            return redirect("ciblages")
    return render(
        request, "outreach/ciblage_regle.html", {"form": form, "rule": rule, "nav": "detection"}
    )


def _run_context(request, run):
    context = {"run": run, "nav": "detection", "rule_text": ""}
    if run.rule_code in targeting.RULES:
        context["rule_text"] = targeting.describe(run.rule_code, run.parameters)
    context["can_launch"] = (
        run.dry_run
        and run.status == TargetingRun.Status.TERMINE
        and bool(run.file_path)
        and services.previous_import(run.organisation, run.file_sha256) is None
    )
    context["errors"] = run.errors[:200]
    context["entries"] = []
    if not run.dry_run and run.status == TargetingRun.Status.TERMINE:
        context["entries"] = (
            policies.visible_entries(request.user, run)
            .select_related("person", "departement")
            .order_by("line")[:50]
        )
    return context


@login_required
def targeting_detail(request, pk):
    run = policies.get_run_or_404(request.user, pk)
    return render(request, "outreach/ciblage.html", _run_context(request, run))


@login_required
def targeting_progress(request, pk):
    run = policies.get_run_or_404(request.user, pk)
    return render(request, "outreach/partials/ciblage_etat.html", _run_context(request, run))


@login_required
@require_POST
def targeting_launch(request, pk):
    run = policies.get_run_or_404(request.user, pk)
    context = _run_context(request, run)
    if not context["can_launch"]:
        messages.error(request, "Cet essai ne peut pas être lancé pour de bon.")
        return redirect("ciblage", pk=run.pk)
    real = services.start_targeting_run(
        actor=request.user,
        organisation=run.organisation,
        file_path=run.file_path,
        file_name=run.file_name,
        extraction_date=run.extraction_date,
        dry_run=False,
    )
    tasks.run_after_commit(real)
    return redirect("ciblage", pk=real.pk)


# ---------------------------------------------------------------- signalements


def _search_candidates(request, form_q: str):
    from parcours.people.queries import search_people

    return search_people(request.user, form_q, limit=10) if form_q else []


@login_required
def referral_list(request):
    if not policies.can_record_referral(request.user):
        raise Http404("Introuvable.")
    today = clock.today()
    visible = policies.visible_referrals(request.user).select_related(
        "person", "assigned_to", "departement"
    )
    status = request.GET.get("etat", "")
    unassigned = []
    if request.agent.role == Role.MANAGER:
        unassigned = [
            (r, referral_workflow.age_in_days(r.received_on, today))
            for r in visible.filter(status=Referral.Status.RECU, assigned_to__isnull=True).order_by(
                "received_on", "id"
            )[:100]
        ]
        listing = visible
    else:
        listing = visible.filter(assigned_to=request.user)
    if status in Referral.Status.values:
        listing = listing.filter(status=status)
    page, query = paginate(request, listing.order_by("-received_on", "-id"))
    return render(
        request,
        "outreach/signalements.html",
        {
            "unassigned": unassigned,
            "page": page,
            "query": query,
            "status": status,
            "statuses": Referral.Status.choices,
            "counts": queries.referral_counts_by_status(request.user),
            "nav": "detection",
        },
    )


@login_required
def referral_new(request):
    if not policies.can_record_referral(request.user):
        raise Http404("Introuvable.")
    form = ReferralForm(request.POST or None)
    q = request.POST.get("q", "").strip() if request.method == "POST" else ""
    candidates = _search_candidates(request, q)
    selected = None
    chosen = request.POST.get("person") if request.method == "POST" else request.GET.get("personne")
    if chosen and chosen.isdigit():
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
        if request.agent.role != Role.AS:
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


# ---------------------------------------------------------------- accueil


@login_required
def front_line_list(request):
    if not policies.can_record_front_line_contact(request.user):
        raise Http404("Introuvable.")
    today = clock.today()
    since = today - datetime.timedelta(days=29)
    recent = (
        policies.visible_front_line_contacts(request.user)
        .select_related("person", "agent", "site")
        .order_by("-at", "-id")[:30]
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
def front_line_new(request):
    if not policies.can_record_front_line_contact(request.user):
        raise Http404("Introuvable.")
    departements = sorted(request.agent.departements)
    workers = User.objects.none()
    if departements:
        workers = social_workers(request.user.organisation_id, departements[0])
        for code in departements[1:]:
            workers = workers | social_workers(request.user.organisation_id, code)
        workers = workers.distinct()
    form = FrontLineForm(request.POST or None, social_workers=workers, departements=departements)
    q = request.POST.get("q", "").strip() if request.method == "POST" else ""
    candidates = _search_candidates(request, q)
    selected = None
    chosen = request.POST.get("person") if request.method == "POST" else request.GET.get("personne")
    if chosen and chosen.isdigit():
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
    )


# ---------------------------------------------------------------- campagnes


@login_required
def campaign_list(request):
    _manager_only(request)
    campaigns = policies.visible_campaigns(request.user).annotate(n=Count("offers"))
    return render(
        request,
        "outreach/campagnes.html",
        {"campaigns": campaigns[:50], "nav": "detection"},
    )


@login_required
def campaign_new(request):
    _manager_only(request)
    run = None
    run_pk = request.GET.get("ciblage") or request.POST.get("ciblage")
    if run_pk and str(run_pk).isdigit():
        run = policies.get_run_or_404(request.user, int(run_pk))
        if run.dry_run or run.status != TargetingRun.Status.TERMINE:
            raise Http404("Introuvable.")
    candidates = []
    if run is None and request.method == "POST":
        kept = [v for v in request.POST.getlist("people") if v.isdigit()]
        candidates = list(visible_people(request.user).filter(pk__in=kept))
        found = _search_candidates(request, request.POST.get("q", "").strip())
        candidates += [p for p in found if p.pk not in {c.pk for c in candidates}]
    actions = group_policies.visible_actions(request.user).filter(
        type=TypeCollectif.INFO_COLLECTIVE
    )
    form = CampaignForm(request.POST or None, run=run, candidates=candidates, actions=actions)
    searching = request.method == "POST" and request.POST.get("action") == "chercher"
    entries = policies.visible_entries(request.user, run) if run is not None else None
    if request.method == "POST" and not searching and form.is_valid():
        data = form.cleaned_data
        if run is not None:
            people = [e.person for e in entries.select_related("person").order_by("line")]
        else:
            people = data["people"]
        try:
            campaign = services.create_campaign(
                actor=request.user,
                name=data["name"],
                channel=data["channel"],
                proposal=data["proposal"],
                programme=data["programme"],
                phone=data["phone"],
                people=people,
                run=run,
                group_action=data["group_action"],
                link=_personal_link(request),
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            sent = campaign.offers.count()
            left = len(people) - sent
            messages.success(
                request,
                f"Campagne créée : {sent} offres de service."
                + (
                    f" {left} personnes sans coordonnées pour ce canal ont été écartées."
                    if left
                    else ""
                ),
            )
            return redirect("campagne", pk=campaign.pk)
    if searching:
        form.errors.clear()
    return render(
        request,
        "outreach/campagne_nouvelle.html",
        {
            "form": form,
            "run": run,
            "entries_count": entries.count() if entries is not None else 0,
            "nav": "detection",
        },
    )


@login_required
def campaign_detail(request, pk):
    campaign = policies.get_campaign_or_404(request.user, pk)
    offers = (
        policies.visible_offers(request.user)
        .filter(campaign=campaign)
        .select_related("person")
        .order_by("id")
    )
    page, query = paginate(request, offers)
    return render(
        request,
        "outreach/campagne.html",
        {
            "campaign": campaign,
            "page": page,
            "query": query,
            "funnel": queries.campaign_funnel(request.user, campaign),
            "statuses": StatutOffre.choices,
            "nav": "detection",
        },
    )


@login_required
def campaign_letters(request, pk):
    campaign = policies.get_campaign_or_404(request.user, pk)
    offers = (
        policies.visible_offers(request.user)
        .filter(campaign=campaign)
        .select_related("person", "person__commune")
        .order_by("person__last_name_key", "id")
    )
    reminder = request.GET.get("relance") == "1"
    if reminder:
        offers = offers.filter(status__in=[StatutOffre.ENVOYEE, StatutOffre.SANS_REPONSE])
    offers = list(offers)
    sessions = []
    if campaign.group_action_id:
        # Réunion d'information : le lien personnel de chaque personne et les dates à venir.
        invitations = services.campaign_invitations(campaign, offers)
        link = _personal_link(request)
        for offer in offers:
            invitation = invitations.get(offer.person_id)
            offer.link = link(invitation) if invitation else ""
        sessions = list(
            campaign.group_action.sessions.filter(date__gte=clock.today()).select_related("site")
        )
    pdf = letters.render_pdf(
        "outreach/pdf/lettres_campagne.html",
        {
            "campaign": campaign,
            "reminder": reminder,
            "offers": offers,
            "sessions": sessions,
        },
        user=request.user,
    )
    return pdf_response(pdf, f"campagne-{campaign.pk}-courriers.pdf")


@login_required
@require_POST
def campaign_remind(request, pk):
    campaign = policies.get_campaign_or_404(request.user, pk)
    offers = policies.visible_offers(request.user).filter(campaign=campaign)
    count = services.remind_campaign(
        actor=request.user, campaign=campaign, offers=list(offers), link=_personal_link(request)
    )
    messages.success(
        request, f"{count} offre{'s' if count > 1 else ''} relancée{'s' if count > 1 else ''}."
    )
    return redirect("campagne", pk=campaign.pk)


@login_required
@require_POST
def offer_update(request, pk):
    offer = policies.get_offer_or_404(request.user, pk)
    if not policies.can_manage_targeting(request.user):
        raise Http404("Introuvable.")
    action = request.POST.get("action", "")
    try:
        if action == "relancer":
            services.remind_offer(actor=request.user, offer=offer)
            messages.success(request, f"Relance notée pour l'offre {offer.reference}.")
        elif action in StatutOffre.values:
            services.set_offer_status(actor=request.user, offer=offer, status=action)
            messages.success(request, f"Offre {offer.reference} : {offer.get_status_display()}.")
        else:
            raise Http404("Introuvable.")
    except BusinessError as error:
        messages.error(request, next(iter(error.errors.values())))
    return redirect("campagne", pk=offer.campaign_id)


# ---------------------------------------------------------------- agenda


def _team_workers(request):
    departements = sorted(request.agent.departements)
    workers = User.objects.none()
    for code in departements:
        workers = workers | social_workers(request.user.organisation_id, code)
    return workers.distinct().order_by("last_name", "first_name")


@login_required
def agenda(request):
    if not policies.can_book(request.user):
        raise Http404("Introuvable.")
    today = clock.today()
    workers = _team_workers(request)
    chosen = request.GET.get("as", "")
    staff = None
    if chosen.isdigit():
        staff = workers.filter(pk=int(chosen)).first()
    if staff is None and request.agent.role == Role.AS:
        staff = request.user
    try:
        monday = datetime.date.fromisoformat(request.GET.get("semaine", ""))
    except ValueError:
        monday = today
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
        slots = queries.free_slots(request.user, [staff.pk], monday, 5, not_before=_now_naive())
        permanences = policies.visible_permanences(request.user).filter(staff=staff)
    can_edit_plages = staff is not None and (
        request.agent.role == Role.MANAGER or staff.pk == request.user.pk
    )
    form = None
    if can_edit_plages:
        form = PermanenceForm(
            request.POST or None,
            staff=workers if request.agent.role == Role.MANAGER else workers.filter(pk=staff.pk),
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
            "nav": "detection",
        },
    )


def _now_naive():
    from django.utils import timezone

    return timezone.localtime(clock.now()).replace(tzinfo=None)


@login_required
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
            permanence = policies.visible_permanences(request.user).get(
                pk=int(request.POST.get("plage", "0"))
            )
        except (ValueError, Permanence.DoesNotExist):
            raise Http404("Introuvable.") from None
        free = {
            (s, p.pk)
            for s, _e, p in queries.free_slots(
                request.user, [permanence.staff_id], starts.date(), 1, _now_naive()
            )
        }
        if (starts, permanence.pk) not in free:
            messages.error(request, "Ce créneau vient d'être pris : choisissez-en un autre.")
            return redirect("premier-creneau", pk=person.pk)
        from django.utils import timezone

        try:
            services.book_appointment(
                actor=request.user,
                person=person,
                staff=permanence.staff,
                starts_at=timezone.make_aware(starts),
                mode=permanence.mode,
                duration_minutes=permanence.slot_minutes,
                site=permanence.site,
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
    if request.GET.get("lieu", "").isdigit():
        site = sites.filter(pk=int(request.GET["lieu"])).first()
    if site is not None:
        staff_ids = list(
            policies.visible_permanences(request.user)
            .filter(site=site)
            .values_list("staff_id", flat=True)
            .distinct()
        )
    slots = queries.free_slots(request.user, staff_ids, today, 60, not_before=_now_naive())
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
    if not policies.can_update_appointment(request.user, appointment) or not (
        request.agent.sees_cases
    ):
        raise Http404("Introuvable.")
    try:
        services.appointment_took_place(actor=request.user, appointment=appointment)
    except BusinessError as error:
        messages.error(request, next(iter(error.errors.values())))
    else:
        messages.success(request, "Rendez-vous honoré : l'entretien est ajouté à l'accompagnement.")
    return redirect(f"{reverse('agenda')}?as={appointment.staff_id}")
