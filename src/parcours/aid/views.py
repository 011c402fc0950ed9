"""Pages des aides : évaluations, demandes, décisions, commission, catalogue, simulateur."""

import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parcours.aid import letters, policies, queries, services
from parcours.aid.forms import (
    AidForm,
    CommissionDecisionForm,
    DecisionForm,
    DocumentsForm,
    EvaluationForm,
    NewVersionForm,
    OpinionForm,
    OverpaymentForm,
    PaymentForm,
    PersonSearchForm,
    RecoveryForm,
    RegulationForm,
    RequestForm,
    SendToSessionForm,
    SessionForm,
    SimulatorForm,
)
from parcours.aid.models import CommissionSession
from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.pdf import pdf_response
from parcours.people.policies import get_person_or_404
from parcours.rules import aid_rules
from parcours.rules import aid_workflow as wf
from parcours.rules import evaluation as evaluation_rules

NAV = "aides"


def _render(request, template, context, status=200):
    return render(request, template, {"nav": NAV, **context}, status=status)


# ---------------------------------------------------------------- accueil des aides


@login_required
def home(request):
    if not policies.can_use_simulator(request.user):
        raise Http404("Introuvable.")
    context = {
        "can_files": policies.can_work_on_files(request.user),
        "is_manager": policies.is_manager(request.user),
        "can_figures": policies.can_see_figures(request.user),
        "can_edit_catalogue": policies.can_edit_catalogue(request.user),
        "search_form": PersonSearchForm(),
        "results": None,
    }
    if context["can_files"]:
        open_states = [s for s in wf.STATE_LABELS if s not in {wf.REFUSEE, wf.PAYEE}]
        context["pending"] = (
            policies.visible_requests(request.user)
            .filter(state__in=open_states)
            .select_related("person", "aid")
            .order_by("received_on", "id")[:30]
        )
        context["evaluations"] = (
            policies.visible_evaluations(request.user)
            .select_related("person")
            .order_by("-evaluated_on", "-id")[:10]
        )
        if request.method == "POST":
            form = PersonSearchForm(request.POST)
            context["search_form"] = form
            if form.is_valid():
                from parcours.people.queries import search_people

                context["results"] = search_people(request.user, form.cleaned_data["q"])
    return _render(request, "aid/accueil.html", context)


def _record_view(request, person):
    """Chaque affichage d'un dossier d'aide est journalisé, comme la fiche (qui, quand)."""
    from parcours.people.services import record_view

    record_view(actor=request.user, person=person)


def _person_for_files(request, pk):
    person = get_person_or_404(request.user, pk)
    if not policies.can_work_on_files(request.user):
        raise Http404("Introuvable.")
    return person


@login_required
def person_file(request, pk):
    person = _person_for_files(request, pk)
    _record_view(request, person)
    return _render(
        request,
        "aid/personne.html",
        {
            "person": person,
            "evaluations": policies.visible_evaluations(request.user)
            .filter(person=person)
            .select_related("evaluator"),
            "requests": policies.visible_requests(request.user)
            .filter(person=person)
            .select_related("aid"),
        },
    )


# ---------------------------------------------------------------- évaluations


@login_required
def new_evaluation(request, pk):
    person = _person_for_files(request, pk)
    form = EvaluationForm(
        request.POST or None, conventions=policies.visible_conventions(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = services.record_evaluation(
                actor=request.user,
                person=person,
                evaluated_on=data["evaluated_on"],
                kind=data["kind"],
                place=data["place"],
                situation=data["situation"],
                convention=data["convention"],
                grid=form.grid(),
                plan=form.plan(),
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, f"L'évaluation est enregistrée : GIR {evaluation.gir}.")
            return redirect("aide-evaluation", pk=evaluation.pk)
    return _render(request, "aid/evaluation_nouvelle.html", {"form": form, "person": person}, 200)


def _evaluation_context(evaluation):
    from parcours.rules import aggir

    return {
        "evaluation": evaluation,
        "person": evaluation.person,
        "grid": [
            (v, aggir.VARIABLE_LABELS[v], getattr(evaluation, v.lower())) for v in aggir.VARIABLES
        ],
        "body_label": evaluation_rules.BODY_LABELS[evaluation.competent_body],
        "recipient": services.handover_recipient(evaluation),
        "transmission": getattr(evaluation, "transmission", None),
        "plan_lines": evaluation.plan_lines.all(),
    }


@login_required
def evaluation_detail(request, pk):
    evaluation = policies.get_evaluation_or_404(request.user, pk)
    _record_view(request, evaluation.person)
    return _render(request, "aid/evaluation.html", _evaluation_context(evaluation))


@login_required
@require_POST
def transmit_evaluation(request, pk):
    evaluation = policies.get_evaluation_or_404(request.user, pk)
    try:
        services.record_transmission(actor=request.user, evaluation=evaluation)
    except BusinessError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "La transmission est enregistrée : imprimez le courrier.")
    return redirect("aide-evaluation", pk=evaluation.pk)


@login_required
def transmission_pdf(request, pk):
    evaluation = policies.get_evaluation_or_404(request.user, pk)
    if not hasattr(evaluation, "transmission"):
        raise Http404("Introuvable.")
    context = _evaluation_context(evaluation) | {"organisation": request.user.organisation}
    return pdf_response(
        letters.render_pdf("aid/pdf/transmission.html", context), "transmission.pdf"
    )


# ---------------------------------------------------------------- demandes


@login_required
def new_request(request, pk):
    person = _person_for_files(request, pk)
    form = RequestForm(
        request.POST or None,
        aids=queries.aids_in_force(person.organisation_id, clock.today()),
        evaluations=policies.visible_evaluations(request.user).filter(person=person),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            aid_request = services.create_request(
                actor=request.user,
                person=person,
                aid=data["aid"],
                received_on=data["received_on"],
                channel=data["channel"],
                facts=form.facts(),
                evaluation=data["evaluation"],
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "La demande est enregistrée.")
            return redirect("aide-demande", pk=aid_request.pk)
    return _render(request, "aid/demande_nouvelle.html", {"form": form, "person": person})


def _request_context(request, aid_request, **forms):
    user = request.user
    context = {
        "req": aid_request,
        "person": aid_request.person,
        "aid": aid_request.aid,
        "events": aid_request.events.select_related("by"),
        "payments": aid_request.payments.all(),
        "instalments": policies.visible_instalments(user, aid_request),
        "can_instruct": policies.can_instruct(user, aid_request),
        "can_opinion": policies.can_give_opinion(user, aid_request),
        "can_decide": policies.can_decide_delegated(user, aid_request),
        "can_send": policies.is_manager(user) and aid_request.state == wf.AVIS_RENDU,
        "can_pay": policies.can_pay(user, aid_request),
        "facts": _facts_display(aid_request.facts),
        "euros": aid_rules.euros,
    }
    if context["can_instruct"]:
        context["documents_form"] = forms.get("documents_form") or DocumentsForm(
            initial={"missing": "\n".join(aid_request.aid.documents)}
        )
    if context["can_opinion"]:
        context["opinion_form"] = forms.get("opinion_form") or OpinionForm()
    if context["can_decide"] or context["can_send"]:
        context["decision_form"] = forms.get("decision_form") or DecisionForm(
            initial={"amount": aid_request.proposed_amount}
        )
        context["budget_warning"] = services.budget_warning(
            aid_request, aid_request.proposed_amount, clock.today()
        )
        sessions = policies.visible_sessions(user).filter(
            state=CommissionSession.State.PREVUE, departement_id=aid_request.departement_id
        )
        context["send_form"] = forms.get("send_form") or SendToSessionForm(sessions=sessions)
    context["overpayments"] = policies.visible_overpayments(user, aid_request).annotate(
        recovered=Sum("recoveries__amount")
    )
    if context["can_pay"] and context["payments"]:
        context["overpayment_form"] = forms.get("overpayment_form") or OverpaymentForm()
        context["recovery_form"] = RecoveryForm()
    if context["can_pay"] and aid_request.state == wf.ACCORDEE:
        context["payment_form"] = forms.get("payment_form") or PaymentForm(
            initial={"amount": aid_request.decided_amount}
        )
    return context


FACT_LABELS = {
    "regime": "Régime",
    "monthly_income": "Ressources mensuelles",
    "family_quotient": "Quotient familial",
    "children": "Enfants à charge",
    "disabled_child": "Enfant en situation de handicap",
    "severe_poverty": "Grande précarité",
    "event": "Événement de vie",
    "event_on": "Date de l'événement",
    "births": "Naissances",
    "cost": "Coût à financer",
    "hours": "Heures demandées",
    "other_plan_in_progress": "Autre plan en cours",
    "gir": "GIR (dernière évaluation)",
}


def _facts_display(facts: dict) -> list[tuple[str, str]]:
    rows = []
    for key, label in FACT_LABELS.items():
        if key not in facts:
            continue
        value = facts[key]
        if key in {"monthly_income", "family_quotient", "cost"}:
            value = aid_rules.euros(value)
        elif key == "regime":
            value = aid_rules.REGIME_LABELS.get(value, value)
        elif key == "event":
            value = aid_rules.EVENT_LABELS.get(value, value)
        elif key == "event_on":
            value = datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        elif value is True:
            value = "oui"
        rows.append((label, str(value)))
    return rows


@login_required
def request_detail(request, pk):
    aid_request = policies.get_request_or_404(request.user, pk)
    _record_view(request, aid_request.person)
    return _render(request, "aid/demande.html", _request_context(request, aid_request))


def _act(request, pk, check, form_class, form_key, action, success, **form_kwargs):
    """Une action sur une demande : formulaire, service, message ; 404 hors droits."""
    aid_request = policies.get_request_or_404(request.user, pk)
    if not check(request.user, aid_request):
        raise Http404("Introuvable.")
    form = form_class(request.POST, **form_kwargs(aid_request) if form_kwargs else {})
    if form.is_valid():
        try:
            action(aid_request, form)
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("aide-demande", pk=aid_request.pk)
    context = _request_context(request, aid_request, **{form_key: form})
    return _render(request, "aid/demande.html", context, status=422)


@login_required
@require_POST
def request_documents(request, pk):
    return _act(
        request,
        pk,
        policies.can_instruct,
        DocumentsForm,
        "documents_form",
        lambda r, f: services.request_documents(actor=request.user, request=r, missing=f.lines()),
        "La demande est à compléter : le délai est suspendu.",
    )


@login_required
@require_POST
def declare_complete(request, pk):
    aid_request = policies.get_request_or_404(request.user, pk)
    if not policies.can_instruct(request.user, aid_request):
        raise Http404("Introuvable.")
    try:
        services.declare_complete(actor=request.user, request=aid_request)
    except BusinessError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "La demande est complète : le délai de traitement court.")
    return redirect("aide-demande", pk=aid_request.pk)


@login_required
@require_POST
def give_opinion(request, pk):
    return _act(
        request,
        pk,
        policies.can_give_opinion,
        OpinionForm,
        "opinion_form",
        lambda r, f: services.give_opinion(
            actor=request.user,
            request=r,
            favourable=f.cleaned_data["favourable"],
            opinion=f.cleaned_data["opinion"],
        ),
        "L'avis est enregistré.",
    )


def _decide(request, aid_request, form):
    data = form.cleaned_data
    services.decide(
        actor=request.user,
        request=aid_request,
        decision=data["decision"],
        reason=data["reason"],
        amount=data.get("amount") if data["decision"] == "accorder" else None,
        monthly_repayment=data.get("monthly_repayment"),
        confirm_over_budget=data.get("confirm_over_budget", False),
    )


@login_required
@require_POST
def decide(request, pk):
    return _act(
        request,
        pk,
        policies.can_decide_delegated,
        DecisionForm,
        "decision_form",
        lambda r, f: _decide(request, r, f),
        "La décision est enregistrée : imprimez la notification.",
    )


@login_required
@require_POST
def send_to_commission(request, pk):
    def sessions(aid_request):
        return {"sessions": policies.visible_sessions(request.user)}

    return _act(
        request,
        pk,
        lambda user, r: policies.is_manager(user) and r.state == wf.AVIS_RENDU,
        SendToSessionForm,
        "send_form",
        lambda r, f: services.send_to_commission(
            actor=request.user, request=r, session=f.cleaned_data["session"]
        ),
        "La demande est inscrite à l'ordre du jour de la commission.",
        form_kwargs=sessions,
    )


@login_required
@require_POST
def record_payment(request, pk):
    return _act(
        request,
        pk,
        policies.can_pay,
        PaymentForm,
        "payment_form",
        lambda r, f: services.record_payment(actor=request.user, request=r, **f.cleaned_data),
        "Le paiement est enregistré.",
    )


@login_required
@require_POST
def record_overpayment(request, pk):
    return _act(
        request,
        pk,
        policies.can_pay,
        OverpaymentForm,
        "overpayment_form",
        lambda r, f: services.record_overpayment(actor=request.user, request=r, **f.cleaned_data),
        "L'indu est enregistré : son recouvrement est suivi.",
    )


@login_required
@require_POST
def record_recovery(request, pk, overpayment_pk):
    aid_request = policies.get_request_or_404(request.user, pk)
    if not policies.can_pay(request.user, aid_request):
        raise Http404("Introuvable.")
    overpayment = (
        policies.visible_overpayments(request.user, aid_request).filter(id=overpayment_pk).first()
    )
    if overpayment is None:
        raise Http404("Introuvable.")
    form = RecoveryForm(request.POST)
    if form.is_valid():
        try:
            services.record_recovery(
                actor=request.user, overpayment=overpayment, amount=form.cleaned_data["amount"]
            )
        except BusinessError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Le recouvrement est enregistré.")
    else:
        messages.error(request, "Indiquez le montant recouvré.")
    return redirect("aide-demande", pk=aid_request.pk)


@login_required
@require_POST
def record_repayment(request, pk, number):
    aid_request = policies.get_request_or_404(request.user, pk)
    if not policies.can_pay(request.user, aid_request):
        raise Http404("Introuvable.")
    instalment = (
        policies.visible_instalments(request.user, aid_request).filter(number=number).first()
    )
    if instalment is None:
        raise Http404("Introuvable.")
    try:
        services.record_repayment(actor=request.user, instalment=instalment, on=clock.today())
    except BusinessError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Échéance n°{number} remboursée.")
    return redirect("aide-demande", pk=aid_request.pk)


@login_required
def notification_pdf(request, pk):
    aid_request = policies.get_request_or_404(request.user, pk)
    if aid_request.decided_on is None or aid_request.state not in {
        wf.ACCORDEE,
        wf.REFUSEE,
        wf.PAYEE,
    }:
        raise Http404("Introuvable.")
    context = _request_context(request, aid_request) | {"organisation": request.user.organisation}
    return pdf_response(
        letters.render_pdf("aid/pdf/notification.html", context), "notification.pdf"
    )


@login_required
@require_POST
def mark_notified(request, pk):
    aid_request = policies.get_request_or_404(request.user, pk)
    try:
        services.mark_notified(actor=request.user, request=aid_request)
    except BusinessError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "La notification est enregistrée comme envoyée.")
    return redirect("aide-demande", pk=aid_request.pk)


# ---------------------------------------------------------------- commission


def _manager_only(request):
    if not policies.is_manager(request.user):
        raise Http404("Introuvable.")


@login_required
def sessions(request):
    _manager_only(request)
    form = SessionForm(request.POST or None, departements=request.agent.departements)
    if request.method == "POST" and form.is_valid():
        session = services.create_session(
            actor=request.user,
            organisation_id=request.agent.organisation_id,
            departement_id=form.cleaned_data["departement"],
            held_on=form.cleaned_data["held_on"],
        )
        count = services.build_agenda(actor=request.user, session=session)
        messages.success(
            request, f"Séance créée : {count} dossier(s) inscrit(s) à l'ordre du jour."
        )
        return redirect("aide-commission", pk=session.pk)
    return _render(
        request,
        "aid/commissions.html",
        {"form": form, "sessions": policies.visible_sessions(request.user)},
    )


def _session_context(request, session, forms=None):
    agenda = list(session.requests.select_related("person", "aid").order_by("completed_on", "id"))
    forms = forms or {}
    rows = []
    for item in agenda:
        form = forms.get(item.pk)
        if form is None and item.state == wf.EN_COMMISSION:
            form = CommissionDecisionForm(
                prefix=f"d{item.pk}", initial={"amount": item.proposed_amount}
            )
        rows.append({"req": item, "form": form})
    return {"session": session, "rows": rows, "euros": aid_rules.euros}


@login_required
def session_detail(request, pk):
    session = policies.get_session_or_404(request.user, pk)
    return _render(request, "aid/commission.html", _session_context(request, session))


@login_required
@require_POST
def session_decide(request, pk, request_pk):
    session = policies.get_session_or_404(request.user, pk)
    aid_request = policies.get_request_or_404(request.user, request_pk)
    if aid_request.session_id != session.pk or aid_request.state != wf.EN_COMMISSION:
        raise Http404("Introuvable.")
    form = CommissionDecisionForm(request.POST, prefix=f"d{aid_request.pk}")
    if form.is_valid():
        try:
            _decide(request, aid_request, form)
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, f"Décision enregistrée pour {aid_request.person}.")
            return redirect("aide-commission", pk=session.pk)
    context = _session_context(request, session, {aid_request.pk: form})
    return _render(request, "aid/commission.html", context, status=422)


@login_required
@require_POST
def session_agenda_refresh(request, pk):
    session = policies.get_session_or_404(request.user, pk)
    try:
        count = services.build_agenda(actor=request.user, session=session)
    except BusinessError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{count} dossier(s) ajouté(s) à l'ordre du jour.")
    return redirect("aide-commission", pk=session.pk)


@login_required
@require_POST
def session_close(request, pk):
    session = policies.get_session_or_404(request.user, pk)
    try:
        services.close_session(actor=request.user, session=session)
    except BusinessError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "La séance est close : le procès-verbal est disponible.")
    return redirect("aide-commission", pk=session.pk)


@login_required
def session_pdf(request, pk, document):
    session = policies.get_session_or_404(request.user, pk)
    template = {
        "ordre-du-jour": "aid/pdf/ordre_du_jour.html",
        "proces-verbal": "aid/pdf/proces_verbal.html",
    }
    if document not in template:
        raise Http404("Introuvable.")
    context = _session_context(request, session) | {"organisation": request.user.organisation}
    return pdf_response(letters.render_pdf(template[document], context), f"{document}.pdf")


# ---------------------------------------------------------------- simulateur et catalogue


@login_required
def simulator(request):
    if not policies.can_use_simulator(request.user):
        raise Http404("Introuvable.")
    form = SimulatorForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        situation = form.situation()
        results = [
            {"aid": aid, "outcome": aid_rules.evaluate(aid.conditions, aid.amount_rule, situation)}
            for aid in queries.aids_in_force(request.agent.organisation_id, situation.on)
        ]
        results.sort(key=lambda r: (not r["outcome"].eligible, r["aid"].name))
    return _render(
        request,
        "aid/simulateur.html",
        {"form": form, "results": results, "euros": aid_rules.euros},
    )


@login_required
def catalogue(request):
    if not policies.can_use_simulator(request.user):
        raise Http404("Introuvable.")
    regulations = policies.visible_regulations(request.user).prefetch_related("aids")
    return _render(
        request,
        "aid/catalogue.html",
        {
            "regulations": regulations,
            "can_edit": policies.can_edit_catalogue(request.user),
            "regulation_form": RegulationForm(),
            "version_form": NewVersionForm(prefix="suivante"),
        },
    )


def _catalogue_admin(request):
    if not policies.can_edit_catalogue(request.user):
        raise Http404("Introuvable.")


@login_required
@require_POST
def new_regulation(request):
    _catalogue_admin(request)
    form = RegulationForm(request.POST)
    if form.is_valid():
        try:
            services.create_regulation(
                actor=request.user,
                organisation_id=request.agent.organisation_id,
                **form.cleaned_data,
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "La version du règlement est créée.")
            return redirect("aides-catalogue")
    return _render(
        request,
        "aid/catalogue.html",
        {
            "regulations": policies.visible_regulations(request.user),
            "can_edit": True,
            "regulation_form": form,
            "version_form": NewVersionForm(prefix="suivante"),
        },
        status=422,
    )


@login_required
@require_POST
def new_version(request, pk):
    """Nouvelle version reprenant les aides d'une version ouverte (qui prend fin la veille)."""
    _catalogue_admin(request)
    previous = policies.get_regulation_or_404(request.user, pk)
    form = NewVersionForm(request.POST, prefix="suivante")
    if form.is_valid():
        try:
            services.new_regulation_version(
                actor=request.user, previous=previous, **form.cleaned_data
            )
        except BusinessError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "La nouvelle version reprend les aides de la précédente.")
    else:
        messages.error(request, "Indiquez l'intitulé et la date d'entrée en vigueur.")
    return redirect("aides-catalogue")


@login_required
def new_aid(request, pk):
    """Ajouter une aide à une version du règlement : conditions et montant en données."""
    _catalogue_admin(request)
    regulation = policies.get_regulation_or_404(request.user, pk)
    form = AidForm(
        request.POST or None,
        initial={"amount_rule": {"type": "fixe", "montant": "0"}, "conditions": {}},
        prefix="aide",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_aid(
                actor=request.user, regulation=regulation, data=form.data_for_service()
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "L'aide est ajoutée au règlement.")
            return redirect("aides-catalogue")
    return _render(request, "aid/aide_nouvelle.html", {"regulation": regulation, "form": form})


@login_required
def edit_aid(request, pk):
    """Modifier une aide, avec un aperçu : « cette personne obtiendrait X € parce que… »."""
    _catalogue_admin(request)
    aid = policies.get_aid_or_404(request.user, pk)
    initial = {f: getattr(aid, f) for f in AidForm.base_fields if f != "documents"}
    initial["documents"] = "\n".join(aid.documents)
    form = AidForm(request.POST or None, initial=initial, prefix="aide")
    preview_form = SimulatorForm(request.POST or None, prefix="apercu")
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.data_for_service()
        problems = {}
        for field, errors in (
            ("conditions", aid_rules.conditions_errors(data["conditions"])),
            ("amount_rule", aid_rules.amount_rule_errors(data["amount_rule"])),
        ):
            if errors:
                problems[field] = " ".join(errors)
        if problems:
            apply_business_errors(form, BusinessError(problems))
        elif "apercu" in request.POST:
            if preview_form.is_valid():
                preview = aid_rules.evaluate(
                    data["conditions"], data["amount_rule"], preview_form.situation()
                )
        else:
            try:
                services.save_aid(actor=request.user, regulation=aid.regulation, data=data, aid=aid)
            except BusinessError as error:
                apply_business_errors(form, error)
            else:
                messages.success(request, "L'aide est enregistrée.")
                return redirect("aides-catalogue")
    return _render(
        request,
        "aid/aide_edition.html",
        {
            "aid": aid,
            "form": form,
            "preview_form": preview_form,
            "preview": preview,
            "euros": aid_rules.euros,
        },
    )


# ---------------------------------------------------------------- chiffres


def _year(request) -> int:
    try:
        return int(request.GET.get("annee", clock.today().year))
    except ValueError:
        return clock.today().year


@login_required
def figures(request):
    if not policies.can_see_figures(request.user):
        raise Http404("Introuvable.")
    year = _year(request)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    organisation_id = request.agent.organisation_id
    indicators = queries.processing_indicators(organisation_id, start, end)
    return _render(
        request,
        "aid/chiffres.html",
        {
            "year": year,
            "years": list(range(clock.today().year, clock.today().year - 4, -1)),
            "budgets": queries.budget_status(organisation_id, year),
            "conventions": queries.convention_counts(organisation_id, start, end),
            "overpayments": queries.overpayment_figures(organisation_id, year),
            "evaluation_counts": queries.evaluation_counts(organisation_id, start, end),
            "ind": indicators,
            "euros": aid_rules.euros,
        },
    )


@login_required
def payments_csv(request):
    """Les paiements de l'année pour la comptabilité : un responsable, ses départements."""
    _manager_only(request)
    year = _year(request)
    rows = queries.payments_for_export(
        policies.visible_requests(request.user),
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="paiements-{year}.csv"'
    writer = csv.writer(response, delimiter=";", lineterminator="\n")
    writer.writerow(
        ["date_paiement", "demande_id", "aide_code", "ligne_budgetaire", "montant", "paye_a",
         "nom", "prenom", "prestataire"]
    )  # fmt: skip
    for p in rows:
        writer.writerow(
            [p.paid_on.isoformat(), p.request_id, p.request.aid.code, p.request.aid.budget_code,
             f"{p.amount:.2f}", p.payee, p.request.person.last_name,
             p.request.person.first_names, p.payee_name]
        )  # fmt: skip
    return response
