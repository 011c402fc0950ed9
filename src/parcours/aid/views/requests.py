"""Demandes d'aide : saisie, instruction, avis, décision, paiements, indus, notification."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from parcours.aid import letters, policies, queries, services
from parcours.aid.forms import (
    DecisionForm,
    DocumentsForm,
    OpinionForm,
    OverpaymentForm,
    PaymentForm,
    RecoveryForm,
    RequestForm,
    SendToSessionForm,
)
from parcours.aid.models import CommissionSession
from parcours.aid.views.common import person_for_files, record_view, render_page
from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.core.pdf import pdf_response
from parcours.people import services as people_services
from parcours.rules import aid_rules
from parcours.rules import aid_workflow as wf


@login_required
@creates_once
def new_request(request, pk):
    person = person_for_files(request, pk)
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
    return render_page(request, "aid/demande_nouvelle.html", {"form": form, "person": person})


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
        "can_send": policies.can_send_to_commission(user, aid_request),
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
    record_view(request, aid_request.person)
    return render_page(request, "aid/demande.html", _request_context(request, aid_request))


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
    return render_page(request, "aid/demande.html", context, status=422)


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


def decide_with_form(request, aid_request, form):
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
        lambda r, f: decide_with_form(request, r, f),
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
        policies.can_send_to_commission,
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
@creates_once
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
@creates_once
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
@creates_once
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
@creates_once
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
    pdf = letters.render_pdf("aid/pdf/notification.html", context)
    people_services.record_export(
        actor=request.user,
        what=f"Notification de décision de la demande n°{aid_request.pk}",
        people=[aid_request.person_id],
        obj=aid_request,
    )
    return pdf_response(pdf, "notification.pdf")


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
