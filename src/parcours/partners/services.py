"""Écritures de l'annuaire : chacune avec sa ligne au journal d'audit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction

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


def _apply(
    obj: Partner | PartnerContact | Convention, data: dict[str, Any], fields: set[str]
) -> None:
    for key, value in data.items():
        if key in fields:
            setattr(obj, key, value)


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
    _apply(partner, data, PARTNER_FIELDS)
    partner.save()
    partner.territories.set(territories)
    audit.record_write(
        actor=actor, obj=partner, before=None, person_id=None, summary="Partenaire créé"
    )
    return partner


@transaction.atomic
def update_partner(
    *, actor: User, partner: Partner, data: dict[str, Any], territories: Iterable[Departement] = ()
) -> Partner:
    data = dict(data)
    _check_partner(data)
    before = audit.snapshot(partner)
    _apply(partner, data, PARTNER_FIELDS)
    partner.save()
    partner.territories.set(territories)
    audit.record_write(
        actor=actor, obj=partner, before=before, person_id=None, summary="Partenaire modifié"
    )
    return partner


@transaction.atomic
def create_contact(*, actor: User, partner: Partner, data: dict[str, Any]) -> PartnerContact:
    contact = PartnerContact(partner=partner)
    _apply(contact, data, CONTACT_FIELDS)
    contact.save()
    audit.record_write(
        actor=actor, obj=contact, before=None, person_id=None, summary="Contact du partenaire créé"
    )
    return contact


@transaction.atomic
def update_contact(*, actor: User, contact: PartnerContact, data: dict[str, Any]) -> PartnerContact:
    before = audit.snapshot(contact)
    _apply(contact, data, CONTACT_FIELDS)
    contact.save()
    audit.record_write(
        actor=actor,
        obj=contact,
        before=before,
        person_id=None,
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
    _apply(convention, data, CONVENTION_FIELDS)
    convention.save()
    convention.territories.set(territories)
    audit.record_write(
        actor=actor, obj=convention, before=None, person_id=None, summary="Convention créée"
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
    before = audit.snapshot(convention)
    _apply(convention, data, CONVENTION_FIELDS)
    convention.save()
    convention.territories.set(territories)
    audit.record_write(
        actor=actor, obj=convention, before=before, person_id=None, summary="Convention modifiée"
    )
    return convention
