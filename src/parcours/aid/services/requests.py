"""Demandes d'aide : situation déclarée, complétude, avis, décision, notification."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum

from parcours.aid.models import (
    Aid,
    AidRequest,
    BudgetLine,
    Evaluation,
    Instalment,
    RequestEvent,
)
from parcours.core import audit, clock
from parcours.core.exceptions import BusinessError
from parcours.rules import aid_rules, loans
from parcours.rules import aid_workflow as wf
from parcours.rules.calendar import add_months, age_on, format_fr

if TYPE_CHECKING:
    from parcours.core.models import User
    from parcours.people.models import Person
from parcours.aid.services.catalogue import _ONE_DAY, aid_in_force

FACT_DECIMALS = ("monthly_income", "family_quotient", "cost", "hours")


FACT_INTS = ("children", "births", "gir")


FACT_BOOLS = ("disabled_child", "severe_poverty", "other_plan_in_progress")


def situation_from(
    *, facts: dict, on: date, age: int | None, channel: str, last_granted_on: date | None
) -> aid_rules.Situation:
    """La situation (rules.aid_rules.Situation) à partir des faits déclarés (JSON)."""
    kwargs = {
        "on": on,
        "age": age,
        "channel": channel,
        "regime": facts.get("regime", ""),
        "event": facts.get("event", ""),
        "last_granted_on": last_granted_on,
    }
    for key in FACT_DECIMALS:
        if facts.get(key) not in (None, ""):
            kwargs[key] = Decimal(str(facts[key]))
    for key in FACT_INTS:
        if facts.get(key) not in (None, ""):
            kwargs[key] = int(facts[key])
    for key in FACT_BOOLS:
        kwargs[key] = bool(facts.get(key))
    if facts.get("event_on"):
        kwargs["event_on"] = date.fromisoformat(facts["event_on"])
    return aid_rules.Situation(**kwargs)


def _facts_json(facts: dict) -> dict:
    clean = {}
    for key, value in facts.items():
        if value in (None, "", False):
            continue
        clean[key] = value.isoformat() if isinstance(value, date) else (
            str(value) if isinstance(value, Decimal) else value
        )  # fmt: skip
    return clean


def last_grant_on(person: Person, aid_code: str, before: date) -> date | None:
    return (
        AidRequest.objects.filter(
            person=person,
            aid__code=aid_code,
            state__in=[wf.ACCORDEE, wf.PAYEE],
            decided_on__lte=before,
        )
        .order_by("-decided_on")
        .values_list("decided_on", flat=True)
        .first()
    )


def with_latest_gir(person: Person, on: date, facts: dict) -> dict:
    """Les faits, complétés du GIR de la dernière évaluation à la date (s'il n'est pas donné)."""
    latest_gir = (
        Evaluation.objects.filter(person=person, evaluated_on__lte=on)
        .order_by("-evaluated_on", "-id")
        .values_list("gir", flat=True)
        .first()
    )
    return {"gir": latest_gir} | {k: v for k, v in facts.items() if v not in (None, "")}


def assess(
    *, person: Person, aid: Aid, on: date, channel: str, facts: dict
) -> aid_rules.AidOutcome:
    """Éligibilité et montant d'une aide pour une personne (sans rien écrire)."""
    facts = with_latest_gir(person, on, facts)
    situation = situation_from(
        facts=_facts_json(facts),
        on=on,
        age=age_on(person.birth_date, on),
        channel=channel,
        last_granted_on=last_grant_on(person, aid.code, on),
    )
    return aid_rules.evaluate(aid.conditions, aid.amount_rule, situation)


def _event(request: AidRequest, event: str, actor: User, on: date, **details: object) -> None:
    old = request.state
    request.state = wf.next_state(old, event)
    RequestEvent.objects.create(
        request=request, event=event, from_state=old, to_state=request.state, on=on, by=actor,
        details=details,
    )  # fmt: skip


def _save(request: AidRequest, actor: User | None, before: dict, summary: str) -> None:
    request.version += 1
    request.save()
    audit.record_write(
        actor=actor, obj=request, before=before, person_id=request.person_id, summary=summary
    )


@transaction.atomic
def create_request(
    *,
    actor: User,
    person: Person,
    aid: Aid,
    received_on: date,
    channel: str,
    facts: dict,
    evaluation: Evaluation | None = None,
) -> AidRequest:
    if received_on > clock.today():
        raise BusinessError(
            {"received_on": "La date de la demande ne peut pas être dans le futur."}
        )
    if aid.organisation_id != person.organisation_id:
        raise BusinessError({"aid": "Cette aide n'appartient pas au catalogue de l'organisme."})
    if not aid_in_force(aid, received_on):
        raise BusinessError(
            {
                "aid": f"« {aid.name} » n'est pas dans la version du règlement en vigueur le "
                f"{format_fr(received_on)}."
            }  # fmt: skip
        )
    facts = with_latest_gir(person, received_on, facts)
    outcome = assess(person=person, aid=aid, on=received_on, channel=channel, facts=facts)
    request = AidRequest.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        departement_id=person.departement_id,
        aid=aid,
        evaluation=evaluation,
        received_on=received_on,
        channel=channel,
        facts=_facts_json(facts),
        proposed_amount=outcome.amount,
        eligible=outcome.eligible,
        reasons=[{"ok": r.ok, "texte": r.text} for r in outcome.reasons],
        created_by=actor,
    )
    RequestEvent.objects.create(
        request=request, event="deposer", from_state="", to_state=wf.RECUE, on=received_on, by=actor
    )
    audit.record_write(
        actor=actor, obj=request, before=None, person_id=person.pk, summary=f"Demande : {aid.name}"
    )
    return request


def _check_version(request: AidRequest, expected_version: int | None) -> AidRequest:
    current = AidRequest.objects.select_for_update().select_related("aid").get(pk=request.pk)
    if expected_version is not None and current.version != expected_version:
        raise BusinessError(
            "La demande a été modifiée par une autre personne pendant votre saisie : rechargez la "
            "page."
        )
    return current


def _transition(request: AidRequest, event: str) -> None:
    try:
        wf.next_state(request.state, event)
    except wf.TransitionError as error:
        raise BusinessError(str(error)) from None


@transaction.atomic
def request_documents(
    *,
    actor: User,
    request: AidRequest,
    missing: list[str],
    expected_version: int | None = None,
) -> AidRequest:
    request = _check_version(request, expected_version)
    _transition(request, "demander_pieces")
    missing = [m.strip() for m in missing if m.strip()]
    if not missing:
        raise BusinessError({"missing": "Indiquez au moins une pièce manquante."})
    before = audit.snapshot(request)
    request.missing_documents = missing
    _event(request, "demander_pieces", actor, clock.today(), pieces=missing)
    _save(request, actor, before, "Demande à compléter")
    return request


@transaction.atomic
def declare_complete(
    *,
    actor: User,
    request: AidRequest,
    on: date | None = None,
    expected_version: int | None = None,
) -> AidRequest:
    request = _check_version(request, expected_version)
    _transition(request, "declarer_complete")
    on = on or clock.today()
    if on < request.received_on or on > clock.today():
        raise BusinessError({"on": "Date de complétude invalide."})
    before = audit.snapshot(request)
    request.completed_on = on
    request.missing_documents = []
    _event(request, "declarer_complete", actor, on)
    _save(request, actor, before, "Demande complète")
    return request


@transaction.atomic
def give_opinion(
    *,
    actor: User,
    request: AidRequest,
    favourable: bool,
    opinion: str,
    expected_version: int | None = None,
) -> AidRequest:
    request = _check_version(request, expected_version)
    _transition(request, "donner_avis")
    if not opinion.strip():
        raise BusinessError({"opinion": "Motivez l'avis."})
    before = audit.snapshot(request)
    request.opinion, request.opinion_favourable = opinion, favourable
    request.opinion_by, request.opinion_on = actor, clock.today()
    request.route = wf.decision_route(request.proposed_amount, request.aid.delegation_ceiling)
    _event(request, "donner_avis", actor, clock.today(), favorable=favourable)
    _save(request, actor, before, "Avis social rendu")
    return request


def budget_line_for(request: AidRequest, year: int) -> BudgetLine | None:
    if not request.aid.budget_code:
        return None
    return BudgetLine.objects.filter(
        organisation_id=request.organisation_id, code=request.aid.budget_code, year=year
    ).first()


def committed_on_line(line: BudgetLine) -> Decimal:
    total = AidRequest.objects.filter(
        organisation_id=line.organisation_id,
        aid__budget_code=line.code,
        state__in=[wf.ACCORDEE, wf.PAYEE],
        decided_on__year=line.year,
    ).aggregate(total=Sum("decided_amount"))["total"]
    return total or Decimal("0")


def budget_warning(request: AidRequest, amount: Decimal, on: date) -> str:
    line = budget_line_for(request, on.year)
    if line is None:
        return ""
    return wf.budget_warning(line.allocated, committed_on_line(line), amount)


@transaction.atomic
def decide(
    *,
    actor: User,
    request: AidRequest,
    decision: str,
    reason: str,
    amount: Decimal | None = None,
    monthly_repayment: Decimal | None = None,
    confirm_over_budget: bool = False,
    expected_version: int | None = None,
) -> AidRequest:
    """``decision`` : accorder, refuser ou ajourner (ce dernier en commission seulement)."""
    request = _check_version(request, expected_version)
    _transition(request, decision)
    today = clock.today()
    errors = {}
    if not reason.strip():
        errors["reason"] = "Motivez la décision (elle figure sur la notification)."
    if request.state == wf.AVIS_RENDU and decision == "accorder":
        ceiling = request.aid.delegation_ceiling
        if amount is not None and wf.decision_route(amount, ceiling) == wf.COMMISSION:
            limit = f"{aid_rules.euros(ceiling)}" if ceiling is not None else "aucun plafond"
            errors["amount"] = (
                f"Au-delà du plafond de délégation ({limit}) : la demande doit passer en "
                "commission."
            )
    if decision == "accorder":
        if amount is None or amount <= 0:
            errors["amount"] = "Indiquez le montant accordé."
        elif "amount" not in errors and not confirm_over_budget:
            warning = budget_warning(request, amount, today)
            if warning:
                errors["amount"] = warning + " Confirmez pour passer outre."
        if request.is_loan and "amount" not in errors:
            minimum = aid_rules.evaluate(
                {}, request.aid.amount_rule, situation_from(
                    facts=request.facts, on=request.received_on, age=None,
                    channel=request.channel, last_granted_on=None,
                ),
            ).monthly_minimum  # fmt: skip
            monthly_repayment = monthly_repayment or minimum
            if monthly_repayment is None:
                errors["monthly_repayment"] = "Indiquez la mensualité de remboursement du prêt."
            elif minimum is not None and monthly_repayment < minimum:
                errors["monthly_repayment"] = (
                    f"La mensualité ne peut être inférieure à {aid_rules.euros(minimum)}."
                )
    if errors:
        raise BusinessError(errors)
    before = audit.snapshot(request)
    if request.state == wf.AVIS_RENDU:
        request.route = wf.DELEGATION
    request.decision_reason = reason
    request.decided_by = actor
    if decision != "ajourner":
        request.decided_on = today
        request.decided_amount = amount if decision == "accorder" else None
    _event(request, decision, actor, today, montant=str(amount) if amount else None, motif=reason)
    if decision == "accorder" and request.is_loan:
        # Vérifiés plus haut : une erreur les aurait signalés (BusinessError).
        assert amount is not None and monthly_repayment is not None
        request.monthly_repayment = monthly_repayment
        first = add_months(today.replace(day=1), 2) - _ONE_DAY  # fin du mois suivant
        Instalment.objects.filter(request=request).delete()
        Instalment.objects.bulk_create(
            Instalment(request=request, number=i.number, due_on=i.due_on, amount=i.amount)
            for i in loans.schedule(amount, monthly_repayment, first)
        )
    label = {"accorder": "accordée", "refuser": "refusée", "ajourner": "ajournée"}[decision]
    _save(request, actor, before, f"Demande {label}")
    return request


@transaction.atomic
def mark_notified(*, actor: User | None, request: AidRequest) -> AidRequest:
    if request.state not in {wf.ACCORDEE, wf.REFUSEE, wf.PAYEE} or request.decided_on is None:
        raise BusinessError("Seule une décision prise se notifie.")
    before = audit.snapshot(request)
    request.notified_on = clock.today()
    _save(request, actor, before, "Décision notifiée")
    return request
