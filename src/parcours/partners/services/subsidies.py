"""Écritures des subventions : appels à projets, candidatures et décisions, années accordées sous
convention, versements, bilans annuels ; chacune avec sa ligne au journal d'audit.

Les deux plafonds (budget de l'appel, montant accordé d'une année) se vérifient sous le verrou
de la ligne qui les porte (``select_for_update``) : deux saisies simultanées comptent l'une
après l'autre et ne dépassent pas ensemble ce qu'aucune ne dépasse seule.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Sum

from parcours.core import audit, clock
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.core.nomenclatures import Programme
from parcours.partners.models import (
    Application,
    Convention,
    Grant,
    Partner,
    Payment,
    ProjectCall,
    YearlyReport,
)
from parcours.partners.services.directory import _save
from parcours.rules import subsidies as rules

if TYPE_CHECKING:
    from parcours.core.models import Departement, User

CALL_FIELDS = {
    "title",
    "year",
    "programme",
    "theme",
    "budget",
    "opens_on",
    "closes_on",
    "description",
}
APPLICATION_FIELDS = {"project_title", "requested_amount", "received_on"}
REPORT_FIELDS = {"participants", "sessions", "comment", "received_on"}

#: une subvention pluriannuelle court au plus sur cinq années à partir de celle de l'appel
MAX_YEARS = 5


def granted_total(call: ProjectCall) -> Decimal:
    """Le total accordé sur l'appel, toutes années (0 sans subvention)."""
    total = Grant.objects.filter(application__call=call).aggregate(s=Sum("amount"))["s"]
    return total or Decimal(0)


def paid_total(grant: Grant) -> Decimal:
    total = Payment.objects.filter(grant=grant).aggregate(s=Sum("amount"))["s"]
    return total or Decimal(0)


# ---------------------------------------------------------------- appels à projets


def _check_call(data: dict[str, Any]) -> None:
    errors = {}
    if data.get("programme") not in Programme.values:
        errors["programme"] = "Programme inconnu."
    if data["closes_on"] < data["opens_on"]:
        errors["closes_on"] = "La clôture doit être le jour de l'ouverture ou après."
    if data["budget"] < 0:
        errors["budget"] = "Le budget ne peut pas être négatif."
    if not 2000 <= data["year"] <= 2100:
        errors["year"] = "Année invalide."
    if errors:
        raise BusinessError(errors)


@transaction.atomic
def create_call(
    *,
    actor: User,
    organisation_id: int,
    data: dict[str, Any],
    departements: Iterable[Departement] = (),
) -> ProjectCall:
    _check_call(data)
    call = ProjectCall(organisation_id=organisation_id)
    _save(actor=actor, obj=call, data=data, fields=CALL_FIELDS, summary="Appel à projets créé")
    call.departements.set(departements)
    return call


@transaction.atomic
def update_call(
    *,
    actor: User,
    call: ProjectCall,
    data: dict[str, Any],
    departements: Iterable[Departement] = (),
) -> ProjectCall:
    _check_call(data)
    call = ProjectCall.objects.select_for_update().get(pk=call.pk)
    granted = granted_total(call)
    if data["budget"] < granted:
        raise BusinessError(
            {
                "budget": f"Le budget ne peut pas descendre sous le total déjà accordé "
                f"({rules.euros(granted)})."
            }
        )
    _save(actor=actor, obj=call, data=data, fields=CALL_FIELDS, summary="Appel à projets modifié")
    call.departements.set(departements)
    return call


# ---------------------------------------------------------------- candidatures


@transaction.atomic
def create_application(
    *, actor: User, call: ProjectCall, partner: Partner, data: dict[str, Any]
) -> Application:
    if partner.organisation_id != call.organisation_id:
        raise BusinessError({"partner": "Partenaire inconnu dans cet organisme."})
    errors = {}
    if data["requested_amount"] <= 0:
        errors["requested_amount"] = "Le montant demandé est positif."
    if not rules.received_in_window(data["received_on"], call.opens_on, call.closes_on):
        errors["received_on"] = (
            f"La candidature doit être reçue pendant l'appel, du {call.opens_on:%d/%m/%Y} "
            f"au {call.closes_on:%d/%m/%Y}."
        )
    if errors:
        raise BusinessError(errors)
    application = Application(call=call, partner=partner)
    _save(
        actor=actor,
        obj=application,
        data=data,
        fields=APPLICATION_FIELDS,
        summary="Candidature enregistrée",
    )
    return application


@transaction.atomic
def change_application_status(
    *,
    actor: User,
    application: Application,
    status: str,
    decided_on: datetime.date | None = None,
    refusal_reason: str = "",
) -> Application:
    """Fait avancer la candidature selon ``rules.subsidies.TRANSITIONS`` ; une décision (retenue,
    rejetée) est datée (aujourd'hui par défaut) et un rejet porte son motif."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    error = rules.transition_error(application.status, status)
    if error:
        raise BusinessError({"status": error})
    data: dict[str, Any] = {"status": status}
    if status in rules.DECISIONS:
        decided_on = decided_on or clock.today()
        if decided_on < application.received_on:
            raise BusinessError(
                {"decided_on": "La décision ne peut pas précéder la réception de la candidature."}
            )
        reason = refusal_reason.strip()
        if status == rules.REJECTED and not reason:
            raise BusinessError({"refusal_reason": "Indiquez le motif du rejet."})
        data |= {"decided_on": decided_on, "refusal_reason": reason}
    _save(
        actor=actor,
        obj=application,
        data=data,
        fields={"status", "decided_on", "refusal_reason"},
        summary=f"Candidature {rules.APPLICATION_LABELS[status].lower()}",
    )
    return application


# ---------------------------------------------------------------- années accordées


@transaction.atomic
def grant_year(
    *,
    actor: User,
    application: Application,
    year: int,
    convention: Convention,
    amount: Decimal,
) -> Grant:
    """Accorde ``amount`` pour l'année ``year`` à une candidature retenue, sous une convention
    du même partenaire qui touche cette année, dans le budget de l'appel (verrouillé)."""
    call = ProjectCall.objects.select_for_update().get(pk=application.call_id)
    application = Application.objects.get(pk=application.pk)
    if application.status != rules.RETAINED:
        raise BusinessError("Seule une candidature retenue reçoit une subvention.")
    errors = {}
    if not call.year <= year < call.year + MAX_YEARS:
        errors["year"] = (
            f"L'année d'une subvention va de {call.year} à {call.year + MAX_YEARS - 1}."
        )
    elif Grant.objects.filter(application=application, year=year).exists():
        errors["year"] = f"Le montant de {year} est déjà accordé pour ce projet."
    if convention.partner_id != application.partner_id:
        errors["convention"] = "La convention doit être passée avec ce partenaire."
    elif not rules.convention_covers(convention.start, convention.end, year):
        errors["convention"] = (
            f"Pas de subvention sans convention : « {convention.object} » "
            f"(du {convention.start:%d/%m/%Y} au {convention.end:%d/%m/%Y}) ne couvre pas {year}."
            if convention.end
            else f"Pas de subvention sans convention : « {convention.object} » ne couvre pas "
            f"{year}."
        )
    budget = rules.budget_error(call.budget, granted_total(call), amount)
    if budget:
        errors["amount"] = budget
    if errors:
        raise BusinessError(errors)
    grant = Grant(application=application)
    _save(
        actor=actor,
        obj=grant,
        data={"year": year, "convention": convention, "amount": amount},
        fields={"year", "convention", "amount"},
        summary=f"Subvention accordée pour {year}",
    )
    return grant


@transaction.atomic
def record_payment(
    *, actor: User, grant: Grant, paid_on: datetime.date, amount: Decimal
) -> Payment:
    """Un versement, jamais au-delà du montant accordé pour l'année (ligne verrouillée)."""
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    error = rules.payment_error(grant.amount, paid_total(grant), amount)
    if error:
        raise BusinessError({"amount": error})
    payment = Payment(grant=grant)
    _save(
        actor=actor,
        obj=payment,
        data={"paid_on": paid_on, "amount": amount},
        fields={"paid_on", "amount"},
        summary=f"Versement sur la subvention {grant.year}",
    )
    return payment


# ---------------------------------------------------------------- bilans


@transaction.atomic
def record_report(*, actor: User, grant: Grant, data: dict[str, Any]) -> YearlyReport:
    """Enregistre (ou corrige) le bilan annuel que le partenaire remet pour l'année."""
    report = YearlyReport.objects.filter(grant=grant).first() or YearlyReport(grant=grant)
    if data["received_on"].year < grant.year:
        raise BusinessError(
            {"received_on": f"Un bilan de {grant.year} ne peut être reçu avant {grant.year}."}
        )
    _save(
        actor=actor,
        obj=report,
        data=data,
        fields=REPORT_FIELDS,
        summary=f"Bilan {grant.year} {'corrigé' if report.pk else 'enregistré'}",
    )
    return report


# ---------------------------------------------------------------- export


@transaction.atomic
def record_grants_export(*, actor: User, year: int, count: int, fmt: str) -> AuditEntry:
    """La liste des subventions d'une année remise en fichier : qui, quand, combien de lignes
    (des montants d'organismes, aucune donnée sur une personne)."""
    return audit.record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_type="export",
        summary=f"Subventions accordées {year} ({count} ligne{'s' if count > 1 else ''}, {fmt})",
        changes={"annee": year, "lignes": count, "format": fmt},
    )
