"""Les secteurs : des communes d'un département couvert, confiées à une AS."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import transaction

from parcours.core import audit
from parcours.core.exceptions import BusinessError
from parcours.core.models import Commune, Departement, Organisation, Sector, User
from parcours.core.nomenclatures import Fonction
from parcours.core.services._common import _codes, _covered, _key, _lock, _record


def parse_insee_codes(raw: str) -> list[str]:
    """« 01053, 01004\\n69123 » → ['01004', '01053', '69123'] (espaces, virgules, points-virgules
    ou retours à la ligne ; sans doublon)."""
    return sorted({c.upper() for c in re.split(r"[\s,;]+", raw or "") if c})


def _sector_values(
    organisation: Organisation,
    *,
    sector_pk: int | None,
    name: str,
    departement: Departement | str,
    communes: Iterable[Commune | str],
    social_worker: User | int | None,
    current_worker_id: int | None,
) -> tuple[dict, list[str]]:
    errors = {}
    name = (name or "").strip()
    covered = _covered(organisation)
    if not name:
        errors["name"] = "Donnez un nom au secteur."
    else:
        homonyms = Sector.objects.filter(organisation=organisation, name__iexact=name)
        if sector_pk is not None:
            homonyms = homonyms.exclude(pk=sector_pk)
        if homonyms.exists():
            errors["name"] = f"Un autre secteur s'appelle déjà « {name} »."
    code = str(_key(departement) or "")
    if code not in covered:
        errors["departement"] = f"Le département « {code} » n'est pas couvert par l'organisme."
    codes = _codes(communes)
    known = {
        c["code"]: c
        for c in Commune.objects.filter(code__in=codes).values("code", "name", "departement_id")
    }
    problems = []
    unknown = [c for c in codes if c not in known]
    if unknown:
        problems.append("codes inconnus : " + ", ".join(unknown))
    outside = [known[c] for c in codes if c in known and known[c]["departement_id"] not in covered]
    if outside:
        problems.append(
            "hors du territoire de l'organisme : "
            + ", ".join(f"{c['code']} ({c['name']}, {c['departement_id']})" for c in outside)
        )
    elsewhere = [
        known[c]
        for c in codes
        if c in known
        and known[c]["departement_id"] in covered
        and known[c]["departement_id"] != code
    ]
    if elsewhere and "departement" not in errors:
        problems.append(
            f"hors du département {code} du secteur : "
            + ", ".join(f"{c['code']} ({c['name']})" for c in elsewhere)
        )
    here = [c for c in codes if c in known and known[c]["departement_id"] == code]
    links = Sector.communes.through.objects.filter(
        sector__organisation=organisation, commune_id__in=here
    )
    if sector_pk is not None:
        links = links.exclude(sector_id=sector_pk)
    taken = links.values_list("commune_id", "commune__name", "sector__name").order_by("commune_id")
    if taken:
        problems.append(
            "déjà dans un autre secteur : "
            + ", ".join(f"{c} ({n}, secteur « {s} »)" for c, n, s in taken)
        )
    if problems:
        errors["communes"] = "Communes refusées — " + " ; ".join(problems) + "."
    if social_worker is not None:
        worker_pk = social_worker.pk if isinstance(social_worker, User) else social_worker
        worker = User.objects.filter(pk=worker_pk, organisation=organisation).first()
        if worker is None:
            errors["social_worker"] = "Cet agent n'appartient pas à l'organisme."
        elif worker.pk != current_worker_id and not worker.is_active:
            errors["social_worker"] = "Ce compte est désactivé : choisissez une autre AS."
        elif worker.function != Fonction.AS:
            errors["social_worker"] = "Le secteur est confié à une ou un AS."
        elif not worker.departements.filter(code=code).exists() and "departement" not in errors:
            errors["social_worker"] = f"{worker} n'intervient pas dans le département {code}."
        social_worker = worker
    if errors:
        raise BusinessError(errors)
    return {"name": name, "departement_id": code, "social_worker": social_worker}, codes


def _sector_snapshot(sector: Sector) -> dict:
    return audit.snapshot(sector) | {
        "communes": sorted(sector.communes.values_list("code", flat=True))
    }


@transaction.atomic
def create_sector(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    departement: Departement | str,
    communes: Iterable[Commune | str] = (),
    social_worker: User | int | None = None,
) -> Sector:
    """Un secteur : des communes (codes INSEE) d'un département couvert, confiées à une AS.

    Une commune n'appartient qu'à un secteur de l'organisme.
    """
    values, codes = _sector_values(
        organisation,
        sector_pk=None,
        name=name,
        departement=departement,
        communes=communes,
        social_worker=social_worker,
        current_worker_id=None,
    )
    sector = Sector.objects.create(organisation=organisation, **values)
    # django-stubs n'admet que des clés entières ; celle d'une commune est son code INSEE.
    sector.communes.set(codes)  # type: ignore[arg-type]
    _record(
        actor=actor,
        obj=sector,
        before=None,
        after=_sector_snapshot(sector),
        summary=f"Secteur créé : {sector.name}",
        organisation_id=organisation.pk,
    )
    return sector


@transaction.atomic
def update_sector(
    *,
    actor: User | None,
    sector: Sector,
    name: str,
    departement: Departement | str,
    communes: Iterable[Commune | str] = (),
    social_worker: User | int | None = None,
) -> Sector:
    sector = _lock(Sector, sector.pk)
    values, codes = _sector_values(
        sector.organisation,
        sector_pk=sector.pk,
        name=name,
        departement=departement,
        communes=communes,
        social_worker=social_worker,
        current_worker_id=sector.social_worker_id,
    )
    before = _sector_snapshot(sector)
    for key, value in values.items():
        setattr(sector, key, value)
    sector.save()
    # django-stubs n'admet que des clés entières ; celle d'une commune est son code INSEE.
    sector.communes.set(codes)  # type: ignore[arg-type]
    _record(
        actor=actor,
        obj=sector,
        before=before,
        after=_sector_snapshot(sector),
        summary=f"Secteur modifié : {sector.name}",
        organisation_id=sector.organisation_id,
    )
    return sector
