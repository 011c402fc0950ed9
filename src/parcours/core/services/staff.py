"""Les comptes des agents : création, modification, désactivation, réactivation."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from parcours.core import audit
from parcours.core.exceptions import BusinessError
from parcours.core.models import Departement, Organisation, Site, User
from parcours.core.nomenclatures import Fonction
from parcours.core.services._common import _codes, _covered, _lock, _record

FTE_MIN, FTE_MAX = Decimal("0.1"), Decimal("1")

#: Les fonctions qui travaillent sur un territoire : au moins un département d'intervention.
TERRITORIAL_FUNCTIONS = frozenset(
    {Fonction.AS, Fonction.CSAM, Fonction.SECRETAIRE, Fonction.MANAGER}
)

#: Champs d'un agent repris dans le journal (ni mot de passe, ni dates de connexion).
STAFF_AUDIT_FIELDS = [
    "username",
    "first_name",
    "last_name",
    "email",
    "function",
    "fte",
    "site",
    "is_org_admin",
    "is_dpo",
    "is_active",
    "competences",
]


def _staff_snapshot(user: User) -> dict:
    return audit.snapshot(user, STAFF_AUDIT_FIELDS) | {
        "departements": sorted(user.departements.values_list("code", flat=True))
    }


def _staff_values(
    organisation: Organisation,
    *,
    user_pk: int | None,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    function: str,
    fte: Decimal | str | float,
    site: Site | int | str | None,
    departements: Iterable[Departement | str],
    is_org_admin: bool,
    competences: str,
    is_dpo: bool = False,
) -> tuple[dict[str, Any], list[str]]:
    errors = {}
    username = (username or "").strip()
    if not username:
        errors["username"] = "Donnez un identifiant de connexion."
    else:
        try:
            User.username_validator(username)
        except ValidationError:
            errors["username"] = (
                "L'identifiant ne contient que des lettres, chiffres et les caractères @ . + - _."
            )
        else:
            taken = User.objects.filter(username__iexact=username)
            if user_pk is not None:
                taken = taken.exclude(pk=user_pk)
            if taken.exists():
                errors["username"] = f"L'identifiant « {username} » est déjà pris."
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    if not first_name:
        errors["first_name"] = "Donnez le prénom."
    if not last_name:
        errors["last_name"] = "Donnez le nom."
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Adresse électronique invalide."
    function = function or ""
    if function and function not in Fonction.values:
        errors["function"] = "Fonction inconnue."
    elif not function and not is_org_admin and not is_dpo:
        errors["function"] = (
            "Choisissez une fonction (ou cochez « administrateur de l'organisme » ou "
            "« délégué·e à la protection des données »)."
        )
    fte_value: Decimal | None
    try:
        fte_value = Decimal(str(fte).replace(",", ".")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        fte_value = None
    if fte_value is None or not FTE_MIN <= fte_value <= FTE_MAX:
        errors["fte"] = "L'ETP est compris entre 0,1 et 1 (par exemple 0,8 pour un 80 %)."
    site_obj = None
    if site is not None and site != "":
        site_pk = site.pk if isinstance(site, Site) else site
        site_obj = Site.objects.filter(pk=site_pk, organisation=organisation).first()
        if site_obj is None:
            errors["site"] = "Ce lieu d'accueil n'appartient pas à l'organisme."
    codes = _codes(departements)
    outside = sorted(set(codes) - _covered(organisation))
    if outside:
        errors["departements"] = "Départements hors de l'organisme : " + ", ".join(outside) + "."
    elif function in TERRITORIAL_FUNCTIONS and not codes:
        errors["departements"] = "Choisissez au moins un département d'intervention."
    if errors:
        raise BusinessError(errors)
    values = {
        "username": username,
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "function": function,
        "fte": fte_value,
        "site": site_obj,
        "is_org_admin": bool(is_org_admin),
        "is_dpo": bool(is_dpo),
        "competences": (competences or "").strip(),
    }
    return values, codes


def _set_password(user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise BusinessError({"password": " ".join(error.messages)}) from None
    user.set_password(password)


@transaction.atomic
def create_staff(
    *,
    actor: User | None,
    organisation: Organisation,
    username: str,
    first_name: str,
    last_name: str,
    password: str,
    email: str = "",
    function: str = "",
    fte: Decimal | str | float = Decimal("1"),
    site: Site | int | str | None = None,
    departements: Iterable[Departement | str] = (),
    is_org_admin: bool = False,
    competences: str = "",
    is_dpo: bool = False,
) -> User:
    """Un compte d'agent ; le mot de passe initial passe les validateurs de Django."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    codes: list[str] = []
    try:
        values, codes = _staff_values(
            organisation,
            user_pk=None,
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            function=function,
            fte=fte,
            site=site,
            departements=departements,
            is_org_admin=is_org_admin,
            competences=competences,
            is_dpo=is_dpo,
        )
    except BusinessError as error:
        errors = dict(error.errors)
    user = User(organisation=organisation, is_active=True, **values)
    if not values:  # pour comparer le mot de passe au nom même quand le reste est refusé
        user.username, user.first_name, user.last_name = username, first_name, last_name
        user.email = email
    try:
        if not password:
            raise BusinessError({"password": "Donnez un mot de passe initial."})
        _set_password(user, password)
    except BusinessError as error:
        errors |= error.errors
    if errors:
        raise BusinessError(errors)
    user.save()
    # django-stubs n'admet que des clés entières ; celle d'un département est son code.
    user.departements.set(codes)  # type: ignore[arg-type]
    after = _staff_snapshot(user)
    _record(
        actor=actor,
        obj=user,
        object_type="user",
        before=None,
        after=after | {"mot_de_passe": "défini"},
        summary=f"Agent créé : {user}",
        organisation_id=organisation.pk,
    )
    return user


@transaction.atomic
def update_staff(
    *,
    actor: User,
    user: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    function: str = "",
    fte: Decimal | str | float = Decimal("1"),
    site: Site | int | str | None = None,
    departements: Iterable[Departement | str] = (),
    is_org_admin: bool = False,
    competences: str = "",
    is_dpo: bool = False,
    password: str | None = None,
) -> User:
    """Modifie un agent ; ``password`` (facultatif) le remplace. L'état actif ne change que par
    ``deactivate_staff`` / ``reactivate_staff``."""
    user = _lock(User, user.pk)
    organisation = user.organisation
    if organisation is None:
        raise BusinessError("Ce compte n'appartient à aucun organisme.")
    errors = {}
    if user.pk == actor.pk and user.is_org_admin and not is_org_admin:
        errors["is_org_admin"] = "Vous ne pouvez pas retirer vos propres droits d'administration."
    try:
        values, codes = _staff_values(
            organisation,
            user_pk=user.pk,
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            function=function,
            fte=fte,
            site=site,
            departements=departements,
            is_org_admin=is_org_admin,
            competences=competences,
            is_dpo=is_dpo,
        )
    except BusinessError as error:
        errors |= error.errors
    if errors:
        raise BusinessError(errors)
    before = _staff_snapshot(user)
    for key, value in values.items():
        setattr(user, key, value)
    if password:
        _set_password(user, password)
    user.save()
    # django-stubs n'admet que des clés entières ; celle d'un département est son code.
    user.departements.set(codes)  # type: ignore[arg-type]
    after = _staff_snapshot(user)
    if password:
        before, after = before | {"mot_de_passe": "…"}, after | {"mot_de_passe": "modifié"}
    _record(
        actor=actor,
        obj=user,
        object_type="user",
        before=before,
        after=after,
        summary=f"Agent modifié : {user}",
        organisation_id=organisation.pk,
    )
    return user


def _set_active(*, actor: User, user: User, active: bool, summary: str) -> User:
    user = _lock(User, user.pk)
    if user.is_active == active:
        raise BusinessError("Ce compte est déjà " + ("actif." if active else "désactivé."))
    if not active and user.pk == actor.pk:
        raise BusinessError("Vous ne pouvez pas désactiver votre propre compte.")
    before = _staff_snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    _record(
        actor=actor,
        obj=user,
        object_type="user",
        before=before,
        after=_staff_snapshot(user),
        summary=f"{summary} : {user}",
        organisation_id=user.organisation_id,
    )
    return user


@transaction.atomic
def deactivate_staff(*, actor: User, user: User) -> User:
    """Un compte ne se supprime jamais (il signe des écritures du journal) : il se désactive ;
    l'agent ne peut plus se connecter et ses sessions ouvertes cessent de valoir."""
    return _set_active(actor=actor, user=user, active=False, summary="Compte désactivé")


@transaction.atomic
def reactivate_staff(*, actor: User, user: User) -> User:
    return _set_active(actor=actor, user=user, active=True, summary="Compte réactivé")
