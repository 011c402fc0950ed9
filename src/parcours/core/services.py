"""Écritures d'administration : organisme, lieux d'accueil, secteurs, agents.

Chaque fonction est une transaction qui écrit aussi son entrée du journal d'audit (avant/après ;
jamais de mot de passe). Qui a le droit d'appeler quoi se décide avant, dans les vues, par
``policies.can_administer`` ; ici sont vérifiés les invariants : tout reste dans l'organisme
(départements couverts, lieux, agents), et les refus sont des ``BusinessError`` en français,
champ par champ, pour être affichés à côté de la saisie.
"""

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import transaction

from parcours.core import audit
from parcours.core.exceptions import BusinessError
from parcours.core.models import (
    AuditEntry,
    Commune,
    Departement,
    Organisation,
    Region,
    Sector,
    Site,
    User,
)
from parcours.core.nomenclatures import Fonction

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
    "is_active",
    "competences",
]
ORGANISATION_AUDIT_FIELDS = ["code", "name", "kind", "region", "home_visit_target"]


# --- outils communs ----------------------------------------------------------------------------


def _key(value):
    """Un objet ou sa clé → la clé (code de département ou de commune, identifiant)."""
    return getattr(value, "pk", value)


def _codes(values: Iterable | None) -> list[str]:
    return sorted({str(_key(v)).strip().upper() for v in values or () if str(_key(v)).strip()})


def _covered(organisation: Organisation) -> set[str]:
    return set(organisation.departements.values_list("code", flat=True))


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _record(
    *,
    actor,
    obj,
    before: dict | None,
    after: dict,
    summary: str,
    organisation_id: int,
    object_type: str = "",
) -> AuditEntry:
    """Comme ``audit.record_write`` (création : tout « après » ; modification : l'écart), avec
    en plus les relations multiples (départements, communes) et l'organisme explicite."""
    if before is None:
        action = AuditEntry.Action.CREATE
        changes = {k: {"avant": None, "apres": v} for k, v in after.items()}
    else:
        action = AuditEntry.Action.UPDATE
        changes = audit.diff(before, after)
    return audit.record(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        summary=summary,
        changes=changes,
        organisation_id=organisation_id,
    )


def _lock(model, pk):
    return model.objects.select_for_update().get(pk=pk)


# --- organisme ---------------------------------------------------------------------------------


def _organisation_snapshot(organisation: Organisation) -> dict:
    return audit.snapshot(organisation, ORGANISATION_AUDIT_FIELDS) | {
        "departements": sorted(organisation.departements.values_list("code", flat=True))
    }


def _check_departements(codes: list[str], errors: dict) -> None:
    if not codes:
        errors["departements"] = "Choisissez au moins un département."
        return
    known = set(Departement.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        errors["departements"] = "Départements inconnus : " + ", ".join(unknown) + "."


def _check_target(home_visit_target, errors: dict) -> None:
    if not isinstance(home_visit_target, int) or not 0 <= home_visit_target <= 2000:
        errors["home_visit_target"] = "L'objectif est un nombre entier entre 0 et 2 000."


@transaction.atomic
def update_organisation(
    *, actor, organisation: Organisation, name: str, departements, home_visit_target: int
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
    organisation.departements.set(codes)
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
    actor,
    code: str,
    name: str,
    kind: str,
    region=None,
    departements=(),
    home_visit_target: int = 300,
    first_admin: dict | None = None,
) -> Organisation:
    """Un nouvel organisme (opérateur de la plateforme). Sans départements, ceux de sa région.

    ``first_admin`` (facultatif) : les arguments de ``create_staff`` de son premier
    administrateur, créé dans la même transaction ; ses erreurs portent le préfixe ``admin_``.
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
    region_code = _key(region) or None
    if region_code is not None and not Region.objects.filter(code=region_code).exists():
        errors["region"] = f"Région inconnue : {region_code}."
    codes = _codes(departements)
    if not codes and region_code and "region" not in errors:
        codes = sorted(
            Departement.objects.filter(region_id=region_code).values_list("code", flat=True)
        )
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
    organisation.departements.set(codes)
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


# --- lieux d'accueil ---------------------------------------------------------------------------


def _site_values(
    organisation: Organisation,
    *,
    name: str,
    kind: str,
    departement,
    commune,
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
    actor,
    organisation: Organisation,
    name: str,
    kind: str,
    departement,
    commune=None,
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
    actor,
    site: Site,
    name: str,
    kind: str,
    departement,
    commune=None,
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


# --- secteurs ----------------------------------------------------------------------------------


def parse_insee_codes(raw: str) -> list[str]:
    """« 01053, 01004\\n69123 » → ['01004', '01053', '69123'] (espaces, virgules, points-virgules
    ou retours à la ligne ; sans doublon)."""
    return sorted({c.upper() for c in re.split(r"[\s,;]+", raw or "") if c})


def _sector_values(
    organisation: Organisation,
    *,
    sector_pk: int | None,
    name: str,
    departement,
    communes,
    social_worker,
    current_worker_id: int | None,
) -> tuple[dict, list[str]]:
    errors = {}
    name = (name or "").strip()
    covered = _covered(organisation)
    if not name:
        errors["name"] = "Donnez un nom au secteur."
    elif (
        Sector.objects.filter(organisation=organisation, name__iexact=name)
        .exclude(pk=sector_pk)
        .exists()
    ):
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
    taken = (
        Sector.communes.through.objects.filter(
            sector__organisation=organisation, commune_id__in=here
        )
        .exclude(sector_id=sector_pk)
        .values_list("commune_id", "commune__name", "sector__name")
        .order_by("commune_id")
    )
    if taken:
        problems.append(
            "déjà dans un autre secteur : "
            + ", ".join(f"{c} ({n}, secteur « {s} »)" for c, n, s in taken)
        )
    if problems:
        errors["communes"] = "Communes refusées — " + " ; ".join(problems) + "."
    if social_worker is not None:
        worker = User.objects.filter(pk=_key(social_worker), organisation=organisation).first()
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
    actor,
    organisation: Organisation,
    name: str,
    departement,
    communes: Iterable = (),
    social_worker=None,
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
    sector.communes.set(codes)
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
    actor,
    sector: Sector,
    name: str,
    departement,
    communes: Iterable = (),
    social_worker=None,
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
    sector.communes.set(codes)
    _record(
        actor=actor,
        obj=sector,
        before=before,
        after=_sector_snapshot(sector),
        summary=f"Secteur modifié : {sector.name}",
        organisation_id=sector.organisation_id,
    )
    return sector


# --- agents ------------------------------------------------------------------------------------


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
    fte,
    site,
    departements,
    is_org_admin: bool,
    competences: str,
) -> tuple[dict, list[str]]:
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
            if User.objects.filter(username__iexact=username).exclude(pk=user_pk).exists():
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
    elif not function and not is_org_admin:
        errors["function"] = (
            "Choisissez une fonction (ou cochez « administrateur de l'organisme »)."
        )
    try:
        fte = Decimal(str(fte).replace(",", ".")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        fte = None
    if fte is None or not FTE_MIN <= fte <= FTE_MAX:
        errors["fte"] = "L'ETP est compris entre 0,1 et 1 (par exemple 0,8 pour un 80 %)."
    site_obj = None
    if site is not None and site != "":
        site_obj = Site.objects.filter(pk=_key(site), organisation=organisation).first()
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
        "fte": fte,
        "site": site_obj,
        "is_org_admin": bool(is_org_admin),
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
    actor,
    organisation: Organisation,
    username: str,
    first_name: str,
    last_name: str,
    password: str,
    email: str = "",
    function: str = "",
    fte=Decimal("1"),
    site=None,
    departements: Iterable = (),
    is_org_admin: bool = False,
    competences: str = "",
) -> User:
    """Un compte d'agent ; le mot de passe initial passe les validateurs de Django."""
    errors, values, codes = {}, {}, []
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
    user.departements.set(codes)
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
    actor,
    user: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    function: str = "",
    fte=Decimal("1"),
    site=None,
    departements: Iterable = (),
    is_org_admin: bool = False,
    competences: str = "",
    password: str | None = None,
) -> User:
    """Modifie un agent ; ``password`` (facultatif) le remplace. L'état actif ne change que par
    ``deactivate_staff`` / ``reactivate_staff``."""
    user = _lock(User, user.pk)
    errors = {}
    if user.pk == actor.pk and user.is_org_admin and not is_org_admin:
        errors["is_org_admin"] = "Vous ne pouvez pas retirer vos propres droits d'administration."
    try:
        values, codes = _staff_values(
            user.organisation,
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
    user.departements.set(codes)
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
        organisation_id=user.organisation_id,
    )
    return user


def _set_active(*, actor, user: User, active: bool, summary: str) -> User:
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
def deactivate_staff(*, actor, user: User) -> User:
    """Un compte ne se supprime jamais (il signe des écritures du journal) : il se désactive ;
    l'agent ne peut plus se connecter et ses sessions ouvertes cessent de valoir."""
    return _set_active(actor=actor, user=user, active=False, summary="Compte désactivé")


@transaction.atomic
def reactivate_staff(*, actor, user: User) -> User:
    return _set_active(actor=actor, user=user, active=True, summary="Compte réactivé")
