"""Pages des parcours partagés entre organismes (liste, ouverture, page du parcours, étapes,
synthèse versionnée, participants, clôture) et des évaluations partagées (partage depuis la
page d'une évaluation, liste et lecture seule chez l'organisme destinataire).

Une page lue par un agent d'un organisme participant est journalisée des deux côtés."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from parcours.aid import policies as aid_policies
from parcours.core import clock
from parcours.core.exceptions import BusinessError, ConflictError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.core.params import id_param
from parcours.core.policies import require
from parcours.people import policies as people_policies
from parcours.rules import aggir
from parcours.rules import sharing as rules
from parcours.sharing import policies, queries
from parcours.sharing.forms import (
    CloseForm,
    EvaluationShareForm,
    ParticipantForm,
    PathwayForm,
    PathwaySynthesisForm,
    StepForm,
)
from parcours.sharing.services import pathways as services

NAV = "parcours-partages"


@login_required
def pathway_list(request):
    require(policies.can_list_pathways(request.user))
    rows = list(
        policies.visible_pathways(request.user)
        .select_related("person", "organisation", "referent")
        .prefetch_related("organisations", "partners")
        .order_by("state", "-opened_on", "-pk")
    )
    own, joined = [], []
    for pathway in rows:
        if policies.is_opening_organisation(request.user, pathway):
            pathway.shows_identity = True
            own.append(pathway)
        else:
            pathway.shows_identity = rules.IDENTITE in pathway.categories
            services.record_pathway_read(actor=request.user, pathway=pathway)
            joined.append(pathway)
    return render(
        request,
        "sharing/parcours_liste.html",
        {"own": own, "joined": joined, "nav": NAV},
    )


def _consent_choice(request, person):
    """Le consentement choisi (``?consentement=``, ou le champ du formulaire envoyé), parmi les
    consentements en vigueur de la personne qui nomment un autre organisme ou un partenaire."""
    consents = queries.active_consents(person, clock.today())
    raw = request.POST.get("consent") if request.method == "POST" else None
    pk = id_param(request, "consentement")
    if raw is not None:
        pk = int(raw) if raw.isdigit() else None
    if pk is None:
        return consents, None
    return consents, consents.filter(pk=pk).first()


@login_required
@creates_once
def pathway_new(request, pk):
    person = people_policies.get_person_or_404(request.user, pk)
    require(policies.can_open_pathway(request.user, person))
    consents, consent = _consent_choice(request, person)
    context = {"person": person, "nav": NAV}
    if consent is None:
        context["consents"] = queries.with_status(
            consents.prefetch_related("organisations", "partners").order_by("-given_on", "-pk"),
            clock.today(),
        )
        return render(
            request,
            "sharing/parcours_consentement.html",
            context,
            status=422 if request.method == "POST" else 200,
        )
    form = PathwayForm(
        request.POST or None,
        consent=consent,
        referents=queries.referent_candidates(person, consent.organisations.all()),
        initial={"referent": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pathway = services.open_pathway(
                actor=request.user,
                person=person,
                purpose=data["purpose"],
                label=data["label"],
                consent=consent,
                categories=data["categories"],
                referent=data["referent"],
                organisations=data.get("organisations") or (),
                partners=data.get("partners") or (),
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "Le parcours partagé est ouvert.")
            return redirect("parcours-partage", pk=pathway.pk)
    context |= {"form": form, "consent": consent}
    return render(
        request,
        "sharing/parcours_nouveau.html",
        context,
        status=422 if form.errors else 200,
    )


def _detail_context(request, pathway, **forms):
    """La page du parcours (aussi réaffichée après une saisie refusée) : lue par un agent d'un
    organisme participant, elle est journalisée des deux côtés."""
    user = request.user
    services.record_pathway_read(actor=user, pathway=pathway)
    parts = policies.pathway_parts(user, pathway)
    opening = policies.is_opening_organisation(user, pathway)
    context = {
        "pathway": pathway,
        "person": pathway.person,
        "parts": parts,
        "opening": opening,
        "participants": list(pathway.organisations.order_by("name")),
        "partner_participants": list(pathway.partners.order_by("name")),
        "can_manage": policies.can_manage_pathway(user, pathway),
        "can_add_step": policies.can_add_step(user, pathway),
        "can_write_synthesis": policies.can_write_synthesis(user, pathway),
        "nav": NAV,
    }
    if parts[rules.ETAPES]:
        context["steps"] = pathway.steps.select_related("organisation", "author").order_by(
            "-on", "-pk"
        )
    if parts[rules.SYNTHESE]:
        context["syntheses"] = list(pathway.syntheses.select_related("author").order_by("-version"))
    if parts[rules.EVALUATION]:
        context["shares"] = queries.pathway_shares(
            pathway, recipient_id=None if opening else user.organisation_id
        )
    if context["can_add_step"]:
        context["step_form"] = forms.get("step_form") or StepForm()
    if context["can_write_synthesis"]:
        latest = context["syntheses"][0] if context["syntheses"] else None
        context["synthesis_form"] = forms.get("synthesis_form") or PathwaySynthesisForm(
            initial={"text": latest.text if latest else "", "version": pathway.synthesis_version}
        )
    context["synthesis_conflict"] = forms.get("synthesis_conflict")
    if context["can_manage"]:
        participant_form = forms.get("participant_form") or ParticipantForm(pathway=pathway)
        if participant_form["organisation"].field.queryset.exists() or (
            participant_form["partner"].field.queryset.exists()
        ):
            context["participant_form"] = participant_form
    return context


@login_required
def pathway_detail(request, pk):
    pathway = policies.get_pathway_or_404(request.user, pk)
    return render(request, "sharing/parcours_page.html", _detail_context(request, pathway))


@login_required
@require_POST
@creates_once
def pathway_step(request, pk):
    pathway = policies.get_pathway_or_404(request.user, pk)
    require(policies.can_add_step(request.user, pathway))
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            services.add_step(
                actor=request.user,
                pathway=pathway,
                on=form.cleaned_data["on"],
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "L'étape est ajoutée au parcours.")
            return redirect(reverse("parcours-partage", args=[pathway.pk]) + "#etapes")
    return render(
        request,
        "sharing/parcours_page.html",
        _detail_context(request, pathway, step_form=form),
        status=422,
    )


@login_required
@require_POST
def pathway_synthesis(request, pk):
    pathway = policies.get_pathway_or_404(request.user, pk)
    require(policies.can_write_synthesis(request.user, pathway))
    form = PathwaySynthesisForm(request.POST)
    if form.is_valid():
        try:
            services.write_synthesis(
                actor=request.user,
                pathway=pathway,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as error:
            pathway.refresh_from_db()
            form = PathwaySynthesisForm(
                initial={"text": form.cleaned_data["text"], "version": pathway.synthesis_version}
            )
            return render(
                request,
                "sharing/parcours_page.html",
                _detail_context(
                    request, pathway, synthesis_form=form, synthesis_conflict=error.current
                ),
                status=409,
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "La synthèse est enregistrée (nouvelle version).")
            return redirect(reverse("parcours-partage", args=[pathway.pk]) + "#synthese")
    return render(
        request,
        "sharing/parcours_page.html",
        _detail_context(request, pathway, synthesis_form=form),
        status=422,
    )


@login_required
@require_POST
def pathway_participant(request, pk):
    pathway = policies.get_pathway_or_404(request.user, pk)
    require(policies.can_manage_pathway(request.user, pathway))
    form = ParticipantForm(request.POST, pathway=pathway)
    if form.is_valid():
        try:
            services.add_participant(
                actor=request.user,
                pathway=pathway,
                organisation=form.cleaned_data["organisation"],
                partner=form.cleaned_data["partner"],
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "Le participant est ajouté au parcours.")
            return redirect(reverse("parcours-partage", args=[pathway.pk]) + "#participants")
    return render(
        request,
        "sharing/parcours_page.html",
        _detail_context(request, pathway, participant_form=form),
        status=422,
    )


@login_required
def pathway_close(request, pk):
    pathway = policies.get_pathway_or_404(request.user, pk)
    require(policies.can_manage_pathway(request.user, pathway))
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_pathway(
                actor=request.user,
                pathway=pathway,
                closed_on=form.cleaned_data["closed_on"],
                outcome=form.cleaned_data["outcome"],
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "Le parcours partagé est clos.")
            return redirect("parcours-partage", pk=pathway.pk)
    return render(
        request,
        "sharing/parcours_cloture.html",
        {"form": form, "pathway": pathway, "person": pathway.person, "nav": NAV},
        status=422 if form.errors else 200,
    )


# --- Évaluations partagées ---------------------------------------------------------------------


@login_required
@creates_once
def evaluation_share(request, pk):
    evaluation = aid_policies.get_evaluation_or_404(request.user, pk)
    require(policies.can_share_evaluation(request.user, evaluation))
    recipients = queries.evaluation_recipients(evaluation, clock.today())
    form = EvaluationShareForm(
        request.POST or None, choices=[(key, label) for key, label, _ in recipients]
    )
    if request.method == "POST" and form.is_valid():
        chosen = next(kw for key, _, kw in recipients if key == form.cleaned_data["recipient"])
        try:
            services.share_evaluation(actor=request.user, evaluation=evaluation, **chosen)
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "L'évaluation est partagée.")
            return redirect("personne-partages", pk=evaluation.person_id)
    return render(
        request,
        "sharing/parcours_evaluation_partager.html",
        {
            "form": form,
            "evaluation": evaluation,
            "person": evaluation.person,
            "has_recipients": bool(recipients),
            "nav": "personnes",
        },
        status=422 if form.errors else 200,
    )


@login_required
def received_evaluations(request):
    require(policies.can_list_pathways(request.user))
    shares = list(
        policies.received_evaluation_shares(request.user)
        .select_related("evaluation__organisation", "evaluation__evaluator", "evaluation__person")
        .order_by("-shared_at", "-pk")
    )
    for share in shares:
        services.record_evaluation_read(actor=request.user, share=share)
    return render(
        request, "sharing/parcours_evaluations_recues.html", {"shares": shares, "nav": NAV}
    )


@login_required
def received_evaluation(request, pk):
    share = policies.get_received_evaluation_or_404(request.user, pk)
    services.record_evaluation_read(actor=request.user, share=share)
    evaluation = share.evaluation
    grid = [
        (v, aggir.VARIABLE_LABELS[v], aggir.MODALITY_LABELS[evaluation.grid[v]])
        for v in aggir.VARIABLES
    ]
    return render(
        request,
        "sharing/parcours_evaluation.html",
        {"share": share, "evaluation": evaluation, "grid": grid, "nav": NAV},
    )


def partages_sections(request, person) -> dict:
    """Les sections « Parcours partagés » et « Évaluations partagées » de l'onglet Partages."""
    return {
        "pathways": policies.visible_pathways(request.user)
        .filter(person=person)
        .select_related("referent", "consent")
        .prefetch_related("organisations", "partners")
        .order_by("-opened_on", "-pk"),
        "can_open_pathway": policies.can_open_pathway(request.user, person),
        "evaluation_shares": policies.visible_evaluation_shares(request.user)
        .filter(evaluation__person=person)
        .select_related("evaluation", "recipient_organisation", "partner", "by", "consent")
        .order_by("-shared_at", "-pk"),
    }
