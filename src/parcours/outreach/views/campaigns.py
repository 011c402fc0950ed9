"""Campagnes d'offres de service : liste, création, suivi, courriers, relances, réponses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parcours.core import audit
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.nomenclatures import StatutOffre, TypeCollectif
from parcours.core.once import creates_once
from parcours.core.pagination import paginate
from parcours.core.params import flag_param, id_param
from parcours.core.pdf import pdf_response
from parcours.groups import policies as group_policies
from parcours.outreach import letters, policies, queries, services, tasks
from parcours.outreach.forms import CampaignForm
from parcours.outreach.models import LetterBatch, TargetingRun
from parcours.outreach.views.common import manager_only, personal_link, search_candidates
from parcours.people import services as people_services
from parcours.people.policies import visible_people


@login_required
def campaign_list(request):
    manager_only(request)
    campaigns = queries.campaigns_with_offer_counts(request.user)
    return render(
        request,
        "outreach/campagnes.html",
        {"campaigns": campaigns[:50], "nav": "detection"},
    )


@login_required
@creates_once
def campaign_new(request):
    manager_only(request)
    run = None
    run_pk = id_param(request, "ciblage") or request.POST.get("ciblage")
    if run_pk and str(run_pk).isdigit():
        run = policies.get_run_or_404(request.user, int(run_pk))
        if run.dry_run or run.status != TargetingRun.Status.TERMINE:
            raise Http404("Introuvable.")
    candidates = []
    if run is None and request.method == "POST":
        kept = [v for v in request.POST.getlist("people") if v.isdigit()]
        candidates = list(visible_people(request.user).filter(pk__in=kept))
        found = search_candidates(request, request.POST.get("q", "").strip())
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
                link=personal_link(request),
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
    people_services.record_export(
        actor=request.user,
        what=f"Offres de la campagne n°{campaign.pk}",
        people=people_services.person_ids(page),
        obj=campaign,
        listing=True,
    )
    return render(
        request,
        "outreach/campagne.html",
        {
            "campaign": campaign,
            "page": page,
            "query": query,
            "funnel": queries.campaign_funnel(request.user, campaign),
            "letters_state": queries.campaign_letters_state(request.user, campaign),
            "statuses": StatutOffre.choices,
            "nav": "detection",
        },
    )


@login_required
def campaign_letters(request, pk):
    """Le PDF des courriers : une lecture (et sa ligne du journal), jamais une écriture ; une
    réunion d'information demande d'abord « Préparer les courriers » (les invitations)."""
    campaign = policies.get_campaign_or_404(request.user, pk)
    reminder = flag_param(request, "relance")
    addressed, _ = letters.split_by_address(
        queries.letter_offers(request.user, campaign, reminder=reminder)
    )
    if not addressed:
        messages.error(request, "Aucune personne de cette campagne n'a d'adresse postale.")
        return redirect("campagne", pk=campaign.pk)
    links: dict[int, str] = {}
    sessions = []
    if campaign.group_action_id:
        # Réunion d'information : le lien personnel de chaque personne et les dates à venir.
        invitations = services.campaign_invitations(campaign, addressed)
        if any(o.person_id not in invitations for o in addressed):
            messages.error(
                request,
                "Préparez d'abord les courriers : chaque courrier porte le lien personnel "
                "d'inscription de la personne.",
            )
            return redirect("campagne", pk=campaign.pk)
        link = personal_link(request)
        links = {person_id: link(i) for person_id, i in invitations.items()}
        sessions = queries.upcoming_sessions(campaign)
    count = len(addressed)
    if letters.in_background(count):
        # Un gros lot : le PDF préparé en tâche de fond (« Préparer les courriers »).
        batch = queries.letter_batch(request.user, campaign, reminder=reminder)
        if batch is None or batch.status != LetterBatch.Status.PRET:
            messages.error(
                request,
                f"{count} courriers : le PDF est en préparation, il se télécharge depuis cette "
                "page quand il est prêt."
                if batch is not None and batch.status == LetterBatch.Status.EN_COURS
                else f"{count} courriers : préparez-les d'abord (« Préparer les courriers »), "
                "le PDF se télécharge ici quand il est prêt.",
            )
            return redirect("campagne", pk=campaign.pk)
        pdf = queries.letter_batch_pdf(batch)
        count = batch.count
    else:
        pdf = letters.campaign_letters_pdf(
            campaign,
            addressed,
            user=request.user,
            reminder=reminder,
            sessions=sessions,
            links=links,
        )
    audit.record_export(
        actor=request.user,
        what=f"Courriers {'de relance ' if reminder else ''}de la campagne « {campaign.name} »",
        count=count,
        obj=campaign,
    )
    return pdf_response(pdf, f"campagne-{campaign.pk}-courriers.pdf")


@login_required
@require_POST
def campaign_prepare_letters(request, pk):
    campaign = policies.get_campaign_or_404(request.user, pk)
    reminder = request.POST.get("relance") == "1"
    offers = queries.letter_offers(request.user, campaign, reminder=reminder)
    created = services.prepare_campaign_letters(
        actor=request.user, campaign=campaign, offers=offers
    )
    addressed, _ = letters.split_by_address(offers)
    if letters.in_background(len(addressed)):
        batch = services.start_letter_batch(
            actor=request.user,
            campaign=campaign,
            reminder=reminder,
            site_url=request.build_absolute_uri("/").rstrip("/"),
        )
        tasks.render_letters_after_commit(batch)
        messages.success(
            request,
            f"{len(addressed)} courriers en préparation : cette page indique quand le PDF est "
            "prêt.",
        )
        return redirect("campagne", pk=campaign.pk)
    messages.success(
        request,
        "Courriers prêts"
        + (
            f" : {created} invitation{'s' if created > 1 else ''} à la réunion créée"
            f"{'s' if created > 1 else ''}."
            if created
            else "."
        ),
    )
    return redirect("campagne", pk=campaign.pk)


@login_required
@require_POST
def campaign_remind(request, pk):
    campaign = policies.get_campaign_or_404(request.user, pk)
    offers = policies.visible_offers(request.user).filter(campaign=campaign)
    count = services.remind_campaign(
        actor=request.user, campaign=campaign, offers=list(offers), link=personal_link(request)
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
