"""Écritures des aides : une transaction et son entrée d'audit par fonction."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum

from parcours.aid.models import (
    Aid,
    AidRequest,
    BudgetLine,
    CommissionSession,
    Evaluation,
    Instalment,
    Overpayment,
    Payment,
    PlanLine,
    Recovery,
    Regulation,
    RequestEvent,
    Transmission,
)
from parcours.core import audit, clock
from parcours.core.exceptions import BusinessError
from parcours.rules import aggir, aid_rules, loans
from parcours.rules import aid_workflow as wf
from parcours.rules import evaluation as evaluation_rules
from parcours.rules.calendar import add_months, age_on, format_fr

if TYPE_CHECKING:
    from collections.abc import Sequence

    from parcours.aid.models import Convention
    from parcours.core.models import User
    from parcours.people.models import Person

_ONE_DAY = timedelta(days=1)

# ------------------------------------------------------------------ évaluations


@transaction.atomic
def record_evaluation(
    *,
    actor: User,
    person: Person,
    evaluated_on: date,
    kind: str,
    situation: str,
    grid: dict[str, str],
    plan: Sequence[tuple[str, Decimal, str]] = (),
    place: str = Evaluation.Place.DOMICILE,
    convention: Convention | None = None,
) -> Evaluation:
    errors = {v.lower(): message for v, message in aggir.grid_errors(grid).items()}
    if evaluated_on > clock.today():
        errors["evaluated_on"] = "La date de l'évaluation ne peut pas être dans le futur."
    if kind == Evaluation.Kind.AUTRE_ORGANISME:
        if convention is None:
            errors["convention"] = "Une évaluation pour un autre organisme relève d'une convention."
        elif convention.starts_on > evaluated_on or (
            convention.ends_on and convention.ends_on < evaluated_on
        ):
            errors["convention"] = "La convention n'est pas en vigueur à la date de l'évaluation."
    elif convention is not None:
        errors["convention"] = (
            "Seule une évaluation pour un autre organisme relève d'une convention."
        )
    for _service, quantity, _note in plan:
        if quantity is None or quantity <= 0:
            errors["plan"] = "Chaque ligne du plan d'aide porte une quantité positive."
    if errors:
        raise BusinessError(errors)
    result = aggir.compute(grid)
    evaluation = Evaluation.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        departement_id=person.departement_id,
        evaluator=actor,
        evaluated_on=evaluated_on,
        kind=kind,
        place=place,
        convention=convention,
        situation=situation,
        gir=result.gir,
        rank=result.rank,
        competent_body=evaluation_rules.competent_body(result.gir),
        **{v.lower(): m.strip().upper() for v, m in grid.items() if v in aggir.VARIABLES},
    )
    PlanLine.objects.bulk_create(
        PlanLine(evaluation=evaluation, service=s, quantity=q, note=n) for s, q, n in plan
    )
    audit.record_write(
        actor=actor,
        obj=evaluation,
        before=None,
        person_id=person.pk,
        summary=f"Évaluation des besoins : GIR {result.gir}",
    )
    return evaluation


def handover_recipient(evaluation: Evaluation) -> str:
    """À qui transmettre : le département (GIR 1–4) ou l'organisme de la convention."""
    if evaluation.competent_body == evaluation_rules.DEPARTEMENT:
        return f"Conseil départemental — {evaluation.departement.name}"
    if evaluation.convention is not None:
        return evaluation.convention.partner
    return ""


@transaction.atomic
def record_transmission(
    *, actor: User, evaluation: Evaluation, sent_on: date | None = None
) -> Transmission:
    sent_on = sent_on or clock.today()
    if hasattr(evaluation, "transmission"):
        raise BusinessError("Le dossier a déjà été transmis.")
    recipient = handover_recipient(evaluation)
    if not recipient:
        raise BusinessError(
            f"GIR {evaluation.gir} : la caisse de retraite est compétente, rien à transmettre."
        )
    if sent_on < evaluation.evaluated_on:
        raise BusinessError({"sent_on": "La transmission ne peut précéder l'évaluation."})
    transmission = Transmission.objects.create(
        organisation_id=evaluation.organisation_id,
        evaluation=evaluation,
        recipient=recipient,
        sent_on=sent_on,
        deadline=evaluation_rules.handover_deadline(sent_on),
        sent_by=actor,
    )
    audit.record_write(
        actor=actor,
        obj=transmission,
        before=None,
        person_id=evaluation.person_id,
        summary=f"Dossier transmis : {recipient}",
    )
    return transmission


# ------------------------------------------------------------------ catalogue


def _regulation_errors(
    organisation_id: int, starts_on: date, ends_on: date | None, exclude_pk: int | None = None
) -> dict:
    if ends_on is not None and ends_on < starts_on:
        return {"ends_on": "La fin de validité précède le début."}
    others = Regulation.objects.filter(organisation_id=organisation_id)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    clash = aid_rules.version_overlap(
        (starts_on, ends_on), list(others.values_list("starts_on", "ends_on"))
    )
    if clash:
        end = f" au {format_fr(clash[1])}" if clash[1] else " sans date de fin"
        return {
            "starts_on": f"Ces dates chevauchent la version du {format_fr(clash[0])}{end} : "
            "deux versions du règlement ne peuvent être en vigueur le même jour."
        }
    return {}


@transaction.atomic
def create_regulation(
    *,
    actor: User | None,
    organisation_id: int,
    label: str,
    starts_on: date,
    ends_on: date | None = None,
) -> Regulation:
    errors = _regulation_errors(organisation_id, starts_on, ends_on)
    if errors:
        raise BusinessError(errors)
    regulation = Regulation.objects.create(
        organisation_id=organisation_id, label=label, starts_on=starts_on, ends_on=ends_on
    )
    audit.record_write(actor=actor, obj=regulation, before=None, person_id=None, summary=label)
    return regulation


@transaction.atomic
def new_regulation_version(
    *, actor: User | None, previous: Regulation, label: str, starts_on: date
) -> Regulation:
    """Nouvelle version qui reprend les aides de ``previous`` ; celle-ci prend fin la veille.

    Les demandes déjà jugées restent attachées aux aides de l'ancienne version.
    """
    if previous.ends_on is not None or starts_on <= previous.starts_on:
        raise BusinessError(
            {"starts_on": "La nouvelle version doit suivre une version sans date de fin."}
        )
    before = audit.snapshot(previous)
    previous.ends_on = starts_on - _ONE_DAY
    previous.save(update_fields=["ends_on"])
    audit.record_write(actor=actor, obj=previous, before=before, person_id=None)
    regulation = create_regulation(
        actor=actor, organisation_id=previous.organisation_id, label=label, starts_on=starts_on
    )
    for aid in previous.aids.all():
        aid.pk = None
        aid.regulation = regulation
        aid.save()
    return regulation


def _aid_errors(data: dict) -> dict:
    errors = {}
    problems = aid_rules.conditions_errors(data.get("conditions", {}))
    if problems:
        errors["conditions"] = " ".join(problems)
    problems = aid_rules.amount_rule_errors(data.get("amount_rule", {}))
    if problems:
        errors["amount_rule"] = " ".join(problems)
    return errors


@transaction.atomic
def save_aid(
    *, actor: User | None, regulation: Regulation, data: dict, aid: Aid | None = None
) -> Aid:
    errors = _aid_errors(data)
    if errors:
        raise BusinessError(errors)
    before = audit.snapshot(aid) if aid else None
    if aid is None:
        if Aid.objects.filter(regulation=regulation, code=data["code"]).exists():
            raise BusinessError({"code": "Ce code existe déjà dans cette version du règlement."})
        aid = Aid(organisation_id=regulation.organisation_id, regulation=regulation)
    for key, value in data.items():
        setattr(aid, key, value)
    aid.save()
    audit.record_write(actor=actor, obj=aid, before=before, person_id=None, summary=aid.name)
    return aid


def aid_in_force(aid: Aid, on: date) -> bool:
    r = aid.regulation
    return r.starts_on <= on and (r.ends_on is None or on <= r.ends_on)


# ------------------------------------------------------------------ demandes

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
def create_session(
    *, actor: User | None, organisation_id: int, departement_id: str, held_on: date
) -> CommissionSession:
    session = CommissionSession.objects.create(
        organisation_id=organisation_id, departement_id=departement_id, held_on=held_on
    )
    audit.record_write(
        actor=actor, obj=session, before=None, person_id=None, summary="Séance de commission"
    )
    return session


@transaction.atomic
def build_agenda(*, actor: User, session: CommissionSession) -> int:
    """Inscrit à l'ordre du jour les dossiers prêts du département : avis rendu et circuit
    « commission », ou ajournés lors d'une séance précédente. Renvoie le nombre inscrit."""
    if session.state != CommissionSession.State.PREVUE:
        raise BusinessError("La séance est tenue : son ordre du jour est clos.")
    ready = (
        AidRequest.objects.select_for_update()
        .filter(
            organisation_id=session.organisation_id,
            departement_id=session.departement_id,
            state__in=[wf.AVIS_RENDU, wf.AJOURNEE],
        )
        .exclude(state=wf.AVIS_RENDU, route=wf.DELEGATION)
    )
    count = 0
    for request in ready.order_by("completed_on", "id"):
        before = audit.snapshot(request)
        request.session = session
        request.route = wf.COMMISSION
        _event(request, "inscrire_commission", actor, clock.today(), seance=session.pk)
        _save(request, actor, before, "Inscrite à l'ordre du jour de la commission")
        count += 1
    return count


@transaction.atomic
def send_to_commission(
    *,
    actor: User,
    request: AidRequest,
    session: CommissionSession,
    expected_version: int | None = None,
) -> AidRequest:
    request = _check_version(request, expected_version)
    _transition(request, "inscrire_commission")
    if session.departement_id != request.departement_id or session.state != "PREVUE":
        raise BusinessError({"session": "Choisissez une séance prévue du département."})
    before = audit.snapshot(request)
    request.session, request.route = session, wf.COMMISSION
    _event(request, "inscrire_commission", actor, clock.today(), seance=session.pk)
    _save(request, actor, before, "Inscrite en commission")
    return request


@transaction.atomic
def close_session(*, actor: User | None, session: CommissionSession) -> CommissionSession:
    pending = session.requests.filter(state=wf.EN_COMMISSION).count()
    if pending:
        raise BusinessError(f"{pending} dossier(s) sans décision : statuez avant de clore.")
    before = audit.snapshot(session)
    session.state = CommissionSession.State.TENUE
    session.save(update_fields=["state"])
    audit.record_write(actor=actor, obj=session, before=before, person_id=None)
    return session


@transaction.atomic
def mark_notified(*, actor: User | None, request: AidRequest) -> AidRequest:
    if request.state not in {wf.ACCORDEE, wf.REFUSEE, wf.PAYEE} or request.decided_on is None:
        raise BusinessError("Seule une décision prise se notifie.")
    before = audit.snapshot(request)
    request.notified_on = clock.today()
    _save(request, actor, before, "Décision notifiée")
    return request


@transaction.atomic
def record_payment(
    *,
    actor: User,
    request: AidRequest,
    amount: Decimal,
    paid_on: date,
    payee: str,
    payee_name: str = "",
) -> Payment:
    request = _check_version(request, None)
    # Une aide accordée porte toujours son montant et sa date de décision.
    if request.state != wf.ACCORDEE or request.decided_amount is None or request.decided_on is None:
        raise BusinessError("Seule une aide accordée et non soldée se paie.")
    paid = request.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    errors = {}
    if amount <= 0:
        errors["amount"] = "Le montant doit être positif."
    elif paid + amount > request.decided_amount:
        rest = aid_rules.euros(request.decided_amount - paid)
        errors["amount"] = f"Le paiement dépasse le montant accordé (reste à payer : {rest})."
    if paid_on < request.decided_on or paid_on > clock.today():
        errors["paid_on"] = "Le paiement suit la décision et n'est pas dans le futur."
    if payee == Payment.Payee.PRESTATAIRE and not payee_name.strip():
        errors["payee_name"] = "Indiquez le prestataire payé."
    if errors:
        raise BusinessError(errors)
    payment = Payment.objects.create(
        organisation_id=request.organisation_id,
        request=request,
        amount=amount,
        paid_on=paid_on,
        payee=payee,
        payee_name=payee_name,
        recorded_by=actor,
    )
    audit.record_write(
        actor=actor, obj=payment, before=None, person_id=request.person_id, summary="Paiement"
    )
    if paid + amount == request.decided_amount:
        before = audit.snapshot(request)
        _event(request, "payer", actor, paid_on)
        _save(request, actor, before, "Aide payée")
    return payment


@transaction.atomic
def record_repayment(*, actor: User | None, instalment: Instalment, on: date) -> Instalment:
    if instalment.repaid_on is not None:
        raise BusinessError("Cette échéance est déjà remboursée.")
    if on > clock.today():
        raise BusinessError({"on": "La date ne peut pas être dans le futur."})
    before = audit.snapshot(instalment)
    instalment.repaid_on = on
    instalment.save(update_fields=["repaid_on"])
    audit.record_write(
        actor=actor,
        obj=instalment,
        before=before,
        person_id=instalment.request.person_id,
        summary=f"Échéance n°{instalment.number} remboursée",
    )
    return instalment


@transaction.atomic
def install_catalogue(
    *, actor: User | None, organisation_id: int, current_year: int
) -> list[Regulation]:
    """Charge le catalogue de démonstration (aid/catalogue.py) : la version de l'année passée
    (close au 31 décembre) et celle de l'année en cours, avec leurs lignes budgétaires."""
    from parcours.aid import catalogue

    regulations = []
    for year in (current_year - 1, current_year):
        regulation = create_regulation(
            actor=actor,
            organisation_id=organisation_id,
            label=f"Règlement des aides individuelles {year}",
            starts_on=date(year, 1, 1),
            ends_on=date(year, 12, 31) if year < current_year else None,
        )
        for data in catalogue.aids(year):
            data = dict(data)
            if data.get("delegation_ceiling") is not None:
                data["delegation_ceiling"] = Decimal(data["delegation_ceiling"])
            save_aid(actor=actor, regulation=regulation, data=data)
        BudgetLine.objects.bulk_create(
            BudgetLine(
                organisation_id=organisation_id,
                code=code,
                label=label,
                year=year,
                allocated=Decimal(amount),
            )
            for code, label, amount in catalogue.BUDGET_LINES
        )
        regulations.append(regulation)
    return regulations


@transaction.atomic
def record_overpayment(
    *,
    actor: User,
    request: AidRequest,
    amount: Decimal,
    reason: str,
    detected_on: date | None = None,
) -> Overpayment:
    """Un indu : au plus ce qui a été payé (déduction faite des indus déjà constatés)."""
    detected_on = detected_on or clock.today()
    paid = request.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    known = request.overpayments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = "Le montant de l'indu doit être positif."
    elif amount > paid - known:
        errors["amount"] = (
            f"L'indu ne peut dépasser les sommes versées non encore déclarées indues "
            f"({aid_rules.euros(paid - known)})."
        )
    if not reason.strip():
        errors["reason"] = "Indiquez le motif de l'indu."
    if detected_on > clock.today():
        errors["detected_on"] = "La date ne peut pas être dans le futur."
    if errors:
        raise BusinessError(errors)
    overpayment = Overpayment.objects.create(
        organisation_id=request.organisation_id,
        request=request,
        amount=amount,
        detected_on=detected_on,
        reason=reason,
        recorded_by=actor,
    )
    audit.record_write(
        actor=actor, obj=overpayment, before=None, person_id=request.person_id, summary="Indu"
    )
    return overpayment


@transaction.atomic
def record_recovery(
    *, actor: User, overpayment: Overpayment, amount: Decimal, on: date | None = None
) -> Recovery:
    on = on or clock.today()
    recovered = overpayment.recoveries.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    rest = overpayment.amount - recovered
    if amount is None or amount <= 0 or amount > rest:
        raise BusinessError(
            {"amount": f"Le recouvrement doit être positif et au plus de {aid_rules.euros(rest)}."}
        )
    if on < overpayment.detected_on or on > clock.today():
        raise BusinessError({"on": "Le recouvrement suit le constat de l'indu."})
    recovery = Recovery.objects.create(
        overpayment=overpayment, amount=amount, on=on, recorded_by=actor
    )
    audit.record(
        actor=actor,
        action="CREATE",
        obj=recovery,
        person_id=overpayment.request.person_id,
        summary="Recouvrement d'indu",
        organisation_id=overpayment.organisation_id,
        changes={"apres": audit.snapshot(recovery)},
    )
    return recovery
