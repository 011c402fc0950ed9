"""Écritures de l'annuaire (partenaires, contacts, conventions) : chacune avec sa ligne au
journal d'audit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from parcours.core import audit
from parcours.core.exceptions import BusinessError
from parcours.partners.models import Application, Convention, Partner, PartnerContact
from parcours.rules import siret as siret_rules
from parcours.rules import text

if TYPE_CHECKING:
    from django.db.models import Model

    from parcours.core.models import Departement, Site, User

PARTNER_FIELDS = {"kind", "name", "code", "siret", "address", "commune", "active"}
CONTACT_FIELDS = {"name", "function", "phone", "email"}
CONVENTION_FIELDS = {"object", "start", "end", "services", "unit_price"}


def _check_partner(data: dict[str, Any], organisation_id: int, pk: int | None = None) -> None:
    if data.get("kind") not in Partner.Kind.values:
        raise BusinessError({"kind": "Type de partenaire inconnu."})
    if data.get("code") and (
        Partner.objects.filter(organisation_id=organisation_id, code=data["code"])
        .exclude(pk=pk or 0)
        .exists()
    ):
        raise BusinessError({"code": "Ce code désigne déjà un autre partenaire de l'annuaire."})
    if data.get("siret"):
        written = siret_rules.normalise(data["siret"])
        if written is None:
            raise BusinessError({"siret": siret_rules.MESSAGE})
        data["siret"] = written


def _check_sites(organisation_id: int, sites: Iterable[Site]) -> list[Site]:
    sites = list(sites)
    if any(site.organisation_id != organisation_id for site in sites):
        raise BusinessError({"hosted_sites": "Ce lieu n'est pas un lieu de l'organisme."})
    return sites


def _check_convention(data: dict[str, Any]) -> None:
    if data.get("end") is not None and data["end"] < data["start"]:
        raise BusinessError({"end": "La fin doit être le même jour que le début ou après."})
    if data.get("unit_price") is not None and data["unit_price"] < 0:
        raise BusinessError({"unit_price": "Le prix unitaire ne peut pas être négatif."})


def _save(
    *,
    actor: User | None,
    obj: models.Model,
    data: dict[str, Any],
    fields: set[str],
    summary: str,
    territories: Iterable[Departement] | None = None,
    hosted_sites: Iterable[Site] | None = None,
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
    if hosted_sites is not None:
        obj.hosted_sites.set(hosted_sites)  # type: ignore[attr-defined]
    audit.record_write(actor=actor, obj=obj, before=before, person_id=None, summary=summary)


@transaction.atomic
def create_partner(
    *,
    actor: User | None,
    organisation_id: int,
    data: dict[str, Any],
    territories: Iterable[Departement] = (),
    hosted_sites: Iterable[Site] = (),
) -> Partner:
    data = dict(data)
    _check_partner(data, organisation_id)
    hosted_sites = _check_sites(organisation_id, hosted_sites)
    partner = Partner(organisation_id=organisation_id)
    _save(
        actor=actor,
        obj=partner,
        data=data,
        fields=PARTNER_FIELDS,
        summary="Partenaire créé",
        territories=territories,
        hosted_sites=hosted_sites,
    )
    return partner


@transaction.atomic
def update_partner(
    *,
    actor: User,
    partner: Partner,
    data: dict[str, Any],
    territories: Iterable[Departement] = (),
    hosted_sites: Iterable[Site] | None = None,
) -> Partner:
    data = dict(data)
    _check_partner(data, partner.organisation_id, partner.pk)
    if hosted_sites is not None:
        hosted_sites = _check_sites(partner.organisation_id, hosted_sites)
    _save(
        actor=actor,
        obj=partner,
        data=data,
        fields=PARTNER_FIELDS,
        summary="Partenaire modifié",
        territories=territories,
        hosted_sites=hosted_sites,
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


@transaction.atomic
def confirm_partner(*, actor: User, partner: Partner) -> Partner:
    """Le partenaire repris d'un texte libre est vérifié : il n'est plus « à vérifier »."""
    before = audit.snapshot(partner)
    partner.to_verify = False
    partner.save(update_fields=["to_verify"])
    audit.record_write(
        actor=actor, obj=partner, before=before, person_id=None, summary="Partenaire vérifié"
    )
    return partner


#: (modèle, clé étrangère) et (modèle, relation plusieurs-à-plusieurs) qui désignent un
#: partenaire : la fusion les reporte tous. Les couches hautes s'y inscrivent au démarrage
#: (``register_partner_reference``), l'annuaire ne les importe pas.
PARTNER_FOREIGN_KEYS: list[tuple[type[Model], str]] = []
PARTNER_MANY_TO_MANY: list[tuple[type[Model], str]] = []


def register_partner_reference(model: type[Model], field: str) -> None:
    """Point d'accroche : ``model.field`` désigne un partenaire (clé étrangère ou
    plusieurs-à-plusieurs) ; ``merge_partners`` le reportera."""
    target = (
        PARTNER_MANY_TO_MANY if model._meta.get_field(field).many_to_many else PARTNER_FOREIGN_KEYS
    )
    if (model, field) not in target:
        target.append((model, field))


@transaction.atomic
def merge_partners(*, actor: User, source: Partner, target: Partner) -> Partner:
    """Fusionne ``source`` dans ``target`` : chaque lien vers ``source`` (contacts,
    conventions, lieux accueillis, et tout champ inscrit par ``register_partner_reference``)
    passe à ``target``, les textes d'origine s'ajoutent, puis ``source`` est supprimé. Refusé
    entre deux organismes et d'un partenaire sur lui-même."""
    if source.pk == target.pk:
        raise BusinessError({"target": "Choisissez un autre partenaire que celui-ci."})
    if source.organisation_id != target.organisation_id:
        raise BusinessError({"target": "Les deux partenaires doivent être du même organisme."})
    source = Partner.objects.select_for_update().get(pk=source.pk)
    before = audit.snapshot(target)
    moved: dict[str, int] = {
        "contacts": PartnerContact.objects.filter(partner=source).update(partner=target),
        "conventions": Convention.objects.filter(partner=source).update(partner=target),
        "candidatures": Application.objects.filter(partner=source).update(partner=target),
    }
    target.hosted_sites.add(*source.hosted_sites.all())
    territories = list(source.territories.all())
    for model, field in PARTNER_FOREIGN_KEYS:
        label = str(model._meta.verbose_name_plural)
        count = model._default_manager.filter(**{field: source}).update(**{field: target})
        moved[label] = moved.get(label, 0) + count
    for model, field in PARTNER_MANY_TO_MANY:
        label = str(model._meta.verbose_name_plural)
        rows = list(model._default_manager.filter(**{field: source}))
        for row in rows:
            getattr(row, field).remove(source)
            getattr(row, field).add(target)
        moved[label] = moved.get(label, 0) + len(rows)
    target.territories.add(*territories)
    lines = [line for line in target.origin_text.splitlines() if line]
    lines += [source.name] + [line for line in source.origin_text.splitlines() if line]
    target.origin_text = "\n".join(dict.fromkeys(lines))
    target.save(update_fields=["origin_text"])
    summary = f"Partenaire « {source.name} » (n° {source.pk}) fusionné dans celui-ci"
    details = ", ".join(
        f"{label} : {moved[label]}" for label in sorted(moved, key=text.fold) if moved[label]
    )
    audit.record_write(
        actor=actor,
        obj=target,
        before=before,
        person_id=None,
        summary=f"{summary} ({details})" if details else summary,
    )
    source.delete()
    return target
