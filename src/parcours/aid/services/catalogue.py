"""Catalogue des aides sous règlement daté : versions, aides, catalogue de démonstration."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from parcours.aid.models import (
    Aid,
    BudgetLine,
    Regulation,
)
from parcours.core import audit
from parcours.core.exceptions import BusinessError
from parcours.rules import aid_rules
from parcours.rules.calendar import format_fr

if TYPE_CHECKING:
    from parcours.core.models import User

_ONE_DAY = timedelta(days=1)


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
