"""L'organisme : sa fiche (administrateur) et sa création (opérateur, ``parcours init``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction

from parcours.core import audit
from parcours.core.exceptions import BusinessError
from parcours.core.models import Departement, Organisation, Region
from parcours.core.services._common import _codes, _lock, _plural, _record
from parcours.core.services.staff import create_staff

if TYPE_CHECKING:
    from parcours.core.models import User

ORGANISATION_AUDIT_FIELDS = ["code", "name", "kind", "region", "home_visit_target"]


def _organisation_snapshot(organisation: Organisation) -> dict:
    return audit.snapshot(organisation, ORGANISATION_AUDIT_FIELDS) | {
        "departements": sorted(organisation.departements.values_list("code", flat=True))
    }


def _check_departements(codes: list[str], errors: dict[str, str]) -> None:
    if not codes:
        errors["departements"] = "Choisissez au moins un département."
        return
    known = set(Departement.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        errors["departements"] = "Départements inconnus : " + ", ".join(unknown) + "."


def _check_target(home_visit_target: object, errors: dict[str, str]) -> None:
    if not isinstance(home_visit_target, int) or not 0 <= home_visit_target <= 2000:
        errors["home_visit_target"] = "L'objectif est un nombre entier entre 0 et 2 000."


@transaction.atomic
def update_organisation(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    departements: Iterable[Departement | str],
    home_visit_target: int,
) -> Organisation:
    """Nom, départements couverts, objectif de visites à domicile.

    Un département ne peut être retiré tant qu'un lieu, un secteur ou un agent y est rattaché.
    """
    organisation = _lock(Organisation, organisation.pk)
    name, codes, errors = (name or "").strip(), _codes(departements), {}
    if not name:
        errors["name"] = "Donnez le nom de l'organisme."
    _check_departements(codes, errors)
    _check_target(home_visit_target, errors)
    before = _organisation_snapshot(organisation)
    removed = sorted(set(before["departements"]) - set(codes))
    if removed and "departements" not in errors:
        blocking = []
        for code in removed:
            uses = [
                _plural(n, singular, plural)
                for n, singular, plural in (
                    (organisation.sites.filter(departement_id=code).count(), "lieu", "lieux"),
                    (
                        organisation.sectors.filter(departement_id=code).count(),
                        "secteur",
                        "secteurs",
                    ),
                    (
                        organisation.agents.filter(departements__code=code).count(),
                        "agent",
                        "agents",
                    ),
                )
                if n
            ]
            if uses:
                blocking.append(f"{code} ({', '.join(uses)})")
        if blocking:
            errors["departements"] = (
                "Ces départements sont encore utilisés : "
                + " ; ".join(blocking)
                + ". Rattachez d'abord ces lieux, secteurs et agents ailleurs."
            )
    if errors:
        raise BusinessError(errors)
    organisation.name, organisation.home_visit_target = name, home_visit_target
    organisation.save(update_fields=["name", "home_visit_target"])
    # django-stubs n'admet que des clés entières ; celle d'un département est son code.
    organisation.departements.set(codes)  # type: ignore[arg-type]
    _record(
        actor=actor,
        obj=organisation,
        before=before,
        after=_organisation_snapshot(organisation),
        summary="Organisme modifié",
        organisation_id=organisation.pk,
    )
    return organisation


@transaction.atomic
def create_organisation(
    *,
    actor: User | None,
    code: str,
    name: str,
    kind: str,
    region: Region | str | None = None,
    departements: Iterable[Departement | str] = (),
    home_visit_target: int = 300,
    first_admin: dict | None = None,
    departements_required: bool = True,
) -> Organisation:
    """Un nouvel organisme (opérateur de la plateforme, ou ``parcours init`` sans ``actor``).
    Sans départements, ceux de sa région.

    ``first_admin`` (facultatif) : les arguments de ``create_staff`` de son premier
    administrateur, créé dans la même transaction ; ses erreurs portent le préfixe ``admin_``.
    ``departements_required=False`` accepte un organisme sans département (sans région, à la
    commande ``parcours init``) ; l'administrateur les choisira ensuite.
    """
    code, name, errors = (code or "").strip().lower(), (name or "").strip(), {}
    try:
        validate_slug(code)
    except ValidationError:
        errors["code"] = "Le code ne contient que des lettres sans accent, chiffres et tirets."
    else:
        if Organisation.objects.filter(code=code).exists():
            errors["code"] = f"Le code « {code} » est déjà pris."
    if not name:
        errors["name"] = "Donnez le nom de l'organisme."
    if kind not in Organisation.Kind.values:
        errors["kind"] = "Nature d'organisme inconnue."
    region_code = (region.pk if isinstance(region, Region) else region) or None
    if region_code is not None and not Region.objects.filter(code=region_code).exists():
        errors["region"] = f"Région inconnue : {region_code}."
    codes = _codes(departements)
    if not codes and region_code and "region" not in errors:
        codes = sorted(
            Departement.objects.filter(region_id=region_code).values_list("code", flat=True)
        )
    if codes or departements_required:
        _check_departements(codes, errors)
    _check_target(home_visit_target, errors)
    if errors:
        raise BusinessError(errors)
    organisation = Organisation.objects.create(
        code=code,
        name=name,
        kind=kind,
        region_id=region_code,
        home_visit_target=home_visit_target,
    )
    # django-stubs n'admet que des clés entières ; celle d'un département est son code.
    organisation.departements.set(codes)  # type: ignore[arg-type]
    _record(
        actor=actor,
        obj=organisation,
        before=None,
        after=_organisation_snapshot(organisation),
        summary="Organisme créé",
        organisation_id=organisation.pk,
    )
    if first_admin:
        try:
            create_staff(
                actor=actor,
                organisation=organisation,
                **{"is_org_admin": True, "departements": codes} | first_admin,
            )
        except BusinessError as error:  # champs du premier administrateur : préfixe « admin_ »
            raise BusinessError({f"admin_{k}": v for k, v in error.errors.items()}) from None
    return organisation
