"""Paiements, remboursements des prêts, indus et leur recouvrement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum

from parcours.aid.models import (
    AidRequest,
    Instalment,
    Overpayment,
    Payment,
    Recovery,
)
from parcours.core import audit, clock
from parcours.core.exceptions import BusinessError
from parcours.rules import aid_rules
from parcours.rules import aid_workflow as wf

if TYPE_CHECKING:
    from parcours.core.models import User
from parcours.aid.services.requests import _check_version, _event, _save


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
