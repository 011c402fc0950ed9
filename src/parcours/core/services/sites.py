"""Les lieux d'accueil de l'organisme."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from parcours.core import audit
from parcours.core.exceptions import BusinessError
from parcours.core.models import Commune, Departement, Organisation, Site
from parcours.core.services._common import _covered, _key, _lock, _record

if TYPE_CHECKING:
    from parcours.core.models import User


def _site_values(
    organisation: Organisation,
    *,
    name: str,
    kind: str,
    departement: Departement | str,
    commune: Commune | str | None,
    address: str,
    partner: str,
    active: bool,
) -> dict:
    errors = {}
    name, partner = (name or "").strip(), (partner or "").strip()
    if not name:
        errors["name"] = "Donnez un nom au lieu d'accueil."
    if kind not in Site.Kind.values:
        errors["kind"] = "Choisissez le type de lieu."
    code = str(_key(departement) or "")
    if code not in _covered(organisation):
        errors["departement"] = f"Le département « {code} » n'est pas couvert par l'organisme."
    commune_code = str(_key(commune) or "").strip()
    found = None
    if commune_code:
        found = Commune.objects.filter(code=commune_code).first()
        if found is None:
            errors["commune"] = f"Code commune inconnu : « {commune_code} »."
        elif found.departement_id != code:
            errors["commune"] = (
                f"{found.name} ({found.code}) n'est pas dans le département « {code} »."
            )
    if kind == Site.Kind.PERMANENCE_PARTENAIRE and not partner:
        errors["partner"] = "Pour une permanence chez un partenaire, indiquez qui accueille."
    if errors:
        raise BusinessError(errors)
    return {
        "name": name,
        "kind": kind,
        "departement_id": code,
        "commune": found,
        "address": (address or "").strip(),
        "partner": partner,
        "active": bool(active),
    }


@transaction.atomic
def create_site(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    kind: str,
    departement: Departement | str,
    commune: Commune | str | None = None,
    address: str = "",
    partner: str = "",
    active: bool = True,
) -> Site:
    """Un lieu d'accueil dans un département couvert (commune facultative, du même département)."""
    values = _site_values(
        organisation,
        name=name,
        kind=kind,
        departement=departement,
        commune=commune,
        address=address,
        partner=partner,
        active=active,
    )
    site = Site.objects.create(organisation=organisation, **values)
    _record(
        actor=actor,
        obj=site,
        before=None,
        after=audit.snapshot(site),
        summary=f"Lieu d'accueil créé : {site.name}",
        organisation_id=organisation.pk,
    )
    return site


@transaction.atomic
def update_site(
    *,
    actor: User | None,
    site: Site,
    name: str,
    kind: str,
    departement: Departement | str,
    commune: Commune | str | None = None,
    address: str = "",
    partner: str = "",
    active: bool = True,
) -> Site:
    site = _lock(Site, site.pk)
    values = _site_values(
        site.organisation,
        name=name,
        kind=kind,
        departement=departement,
        commune=commune,
        address=address,
        partner=partner,
        active=active,
    )
    before = audit.snapshot(site)
    for key, value in values.items():
        setattr(site, key, value)
    site.save()
    _record(
        actor=actor,
        obj=site,
        before=before,
        after=audit.snapshot(site),
        summary=f"Lieu d'accueil modifié : {site.name}",
        organisation_id=site.organisation_id,
    )
    return site
