"""Écritures de l'annuaire (partenaires, contacts, conventions) : chacune avec sa ligne au
journal d'audit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from parcours.core import audit
from parcours.core.exceptions import BusinessError
from parcours.partners.models import Convention, Partner, PartnerContact
from parcours.rules import siret as siret_rules

if TYPE_CHECKING:
    from parcours.core.models import Departement, User

PARTNER_FIELDS = {"kind", "name", "siret", "address", "commune", "active"}
CONTACT_FIELDS = {"name", "function", "phone", "email"}
CONVENTION_FIELDS = {"object", "start", "end", "services", "unit_price"}


def _check_partner(data: dict[str, Any]) -> None:
    if data.get("kind") not in Partner.Kind.values:
        raise BusinessError({"kind": "Type de partenaire inconnu."})
    if data.get("siret"):
        written = siret_rules.normalise(data["siret"])
        if written is None:
            raise BusinessError({"siret": siret_rules.MESSAGE})
        data["siret"] = written


def _check_convention(data: dict[str, Any]) -> None:
    if data["end"] < data["start"]:
        raise BusinessError({"end": "La fin doit être le même jour que le début ou après."})
    if data.get("unit_price") is not None and data["unit_price"] < 0:
        raise BusinessError({"unit_price": "Le prix unitaire ne peut pas être négatif."})


def _save(
    *,
    actor: User,
    obj: models.Model,
    data: dict[str, Any],
    fields: set[str],
    summary: str,
    territories: Iterable[Departement] | None = None,
) -> None:
    """Écrit ``data`` (les seuls ``fields``) dans ``obj``, ses territoires s'il en a, et la ligne
    du journal : création si ``obj`` est neuf, sinon l'écart avec l'état d'avant."""
    before = audit.snapshot(obj) if obj.pk else None
    for key, value in data.items():
        if key in fields:
            setattr(obj, key, value)
    obj.save()
    if territories is not None:
        obj.territories.set(territories)  # type: ignore[attr-defined]
    audit.record_write(actor=actor, obj=obj, before=before, person_id=None, summary=summary)


@transaction.atomic
def create_partner(
    *,
    actor: User,
    organisation_id: int,
    data: dict[str, Any],
    territories: Iterable[Departement] = (),
) -> Partner:
    data = dict(data)
    _check_partner(data)
    partner = Partner(organisation_id=organisation_id)
    _save(
        actor=actor,
        obj=partner,
        data=data,
        fields=PARTNER_FIELDS,
        summary="Partenaire créé",
        territories=territories,
    )
    return partner


@transaction.atomic
def update_partner(
    *, actor: User, partner: Partner, data: dict[str, Any], territories: Iterable[Departement] = ()
) -> Partner:
    data = dict(data)
    _check_partner(data)
    _save(
        actor=actor,
        obj=partner,
        data=data,
        fields=PARTNER_FIELDS,
        summary="Partenaire modifié",
        territories=territories,
    )
    return partner


@transaction.atomic
def create_contact(*, actor: User, partner: Partner, data: dict[str, Any]) -> PartnerContact:
    contact = PartnerContact(partner=partner)
    _save(
        actor=actor,
        obj=contact,
        data=data,
        fields=CONTACT_FIELDS,
        summary="Contact du partenaire créé",
    )
    return contact


@transaction.atomic
def update_contact(*, actor: User, contact: PartnerContact, data: dict[str, Any]) -> PartnerContact:
    _save(
        actor=actor,
        obj=contact,
        data=data,
        fields=CONTACT_FIELDS,
        summary="Contact du partenaire modifié",
    )
    return contact


@transaction.atomic
def create_convention(
    *,
    actor: User,
    partner: Partner,
    data: dict[str, Any],
    territories: Iterable[Departement] = (),
) -> Convention:
    _check_convention(data)
    convention = Convention(partner=partner)
    _save(
        actor=actor,
        obj=convention,
        data=data,
        fields=CONVENTION_FIELDS,
        summary="Convention créée",
        territories=territories,
    )
    return convention


@transaction.atomic
def update_convention(
    *,
    actor: User,
    convention: Convention,
    data: dict[str, Any],
    territories: Iterable[Departement] = (),
) -> Convention:
    _check_convention(data)
    _save(
        actor=actor,
        obj=convention,
        data=data,
        fields=CONVENTION_FIELDS,
        summary="Convention modifiée",
        territories=territories,
    )
    return convention
