"""Lectures de l'observatoire : les lignes de formats.md §6.3 (communes, départements) et des
EPCI, le croisement avec les actions collectives d'une période, les années disponibles.

Les agrégats viennent de ``Aggregate`` (écrits à l'import) ; les actions collectives se comptent
à la lecture sur la période demandée (``groups.queries.actions_by_commune``). Les appelants
passent les départements du périmètre de l'agent (``observatory.policies``) ; la commande en
ligne, celle de l'organisme entier."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from fractions import Fraction
from math import isqrt

from parcours.core.models import Commune, Departement, Epci
from parcours.groups.queries import actions_by_commune
from parcours.observatory.models import Aggregate, ObservatorySettings
from parcours.rules import fragility

#: les colonnes de formats.md §6.3, dans cet ordre
COMMUNE_COLUMNS = (
    "commune_insee", "commune", "epci", "departement", "retraites", "retraites_60_plus",
    "score_moyen", "secret", "fragile", "concentration", "actions_collectives", "zone_blanche",
)  # fmt: skip
DEPARTEMENT_COLUMNS = (
    "departement", "retraites", "retraites_60_plus", "score_moyen", "moyenne_communes",
    "ecart_type_communes", "communes", "communes_fragiles", "zones_blanches",
)  # fmt: skip


@dataclass(frozen=True)
class CommuneRow:
    commune_insee: str
    commune: str
    epci: str
    departement: str
    retraites: int
    retraites_60_plus: int
    score_moyen: float | None
    secret: int
    fragile: int
    concentration: int
    actions_collectives: int
    zone_blanche: int
    #: pour les écrans : la moyenne exacte, la classe de la carte, les noms
    exact_mean: Fraction | None = None
    map_class: int | None = None
    epci_name: str = ""

    def as_dict(self) -> dict:
        """L'objet JSON de formats.md §6.3 : exactement ces clés."""
        data = asdict(self)
        return {k: data[k] for k in COMMUNE_COLUMNS}


@dataclass(frozen=True)
class DepartementRow:
    departement: str
    retraites: int
    retraites_60_plus: int
    score_moyen: float | None
    moyenne_communes: float | None
    ecart_type_communes: float | None
    communes: int
    communes_fragiles: int
    zones_blanches: int
    name: str = ""
    exact_mean: Fraction | None = None

    def as_dict(self) -> dict:
        data = asdict(self)
        return {k: data[k] for k in DEPARTEMENT_COLUMNS}


def years(organisation_id: int) -> list[int]:
    """Les années importées de l'organisme, de la plus récente à la plus ancienne."""
    return sorted(
        set(
            Aggregate.objects.filter(
                organisation_id=organisation_id, level=Aggregate.Level.DEPARTEMENT
            ).values_list("year", flat=True)
        ),
        reverse=True,
    )


def departement_names() -> dict[str, str]:
    """Le nom de chaque département (et collectivité) du référentiel, par code (pages)."""
    return dict(Departement.objects.values_list("code", "name"))


def regions_of(departements: Iterable[str]) -> tuple[dict[str, str], list]:
    """La région de chacun de ces départements, et ces régions (``Region``) triées par nom."""
    rows = Departement.objects.filter(code__in=list(departements)).select_related("region")
    of = {d.code: d.region_id for d in rows.order_by("code")}
    regions = {d.region_id: d.region for d in rows.order_by("code")}
    return of, sorted(regions.values(), key=lambda r: r.name)


def departement(code: str) -> Departement:
    return Departement.objects.get(code=code)


def region_with_departements(code: str) -> tuple[object | None, set[str]]:
    """La région ``code`` (ou ``None``) et les codes de ses départements."""
    members = list(Departement.objects.filter(region_id=code).select_related("region"))
    if not members:
        return None, set()
    return members[0].region, {d.code for d in members}


def _aggregates(organisation_id: int, year: int, level: str, departements: Iterable[str] | None):
    qs = Aggregate.objects.filter(organisation_id=organisation_id, year=year, level=level)
    if departements is not None:
        qs = qs.filter(departement__in=list(departements))
    return qs.order_by("code")


def references(
    organisation_id: int, year: int, departements: Iterable[str] | None = None
) -> dict[str, fragility.Reference]:
    """La référence de chaque département, recalculée exactement depuis ses communes."""
    means: dict[str, list[Fraction]] = {}
    rows = _aggregates(organisation_id, year, Aggregate.Level.COMMUNE, departements).values_list(
        "departement", "retirees", "score_sum", "secret"
    )
    for dep, retirees, score_sum, secret in rows:
        bucket = means.setdefault(dep, [])
        if not secret:
            bucket.append(Fraction(score_sum, retirees))
    return {dep: fragility.reference(values) for dep, values in means.items()}


def _sqrt_fraction(value: Fraction) -> Fraction:
    """La racine carrée de ``value`` tronquée à 10⁻²⁴, en fraction exacte : un écart type
    exactement à mi-chemin de deux valeurs à 4 décimales s'arrondit vers le haut, comme la
    règle le veut (la virgule flottante pourrait le voir juste en dessous)."""
    scale = 10**24
    return Fraction(isqrt(int(value * scale * scale)), scale)


def period_or_default(
    year: int, since: datetime.date | None, until: datetime.date | None
) -> tuple[datetime.date, datetime.date]:
    default_since, default_until = fragility.default_period(year)
    return since or default_since, until or default_until


def commune_rows(
    *,
    organisation_id: int,
    year: int,
    departements: Iterable[str] | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[CommuneRow]:
    """Une ligne par commune avec au moins un retraité, triée par code INSEE (§6.3)."""
    since, until = period_or_default(year, since, until)
    departements = None if departements is None else list(departements)
    selected = _aggregates(organisation_id, year, Aggregate.Level.COMMUNE, departements)
    aggregates = list(
        selected.values_list(
            "code",
            "departement",
            "epci",
            "retirees",
            "retirees_60_plus",
            "score_sum",
            "secret",
            "fragile",
            "concentration",
        )  # fmt: skip
    )
    # les noms par sous-requête : une liste de 35 000 codes dépasserait les paramètres de SQLite
    names = dict(
        Commune.objects.filter(code__in=selected.values("code")).values_list("code", "name")
    )
    epci_names = dict(
        Epci.objects.filter(code__in=selected.exclude(epci="").values("epci")).values_list(
            "code", "name"
        )
    )
    actions = actions_by_commune(
        organisation_id=organisation_id,
        since=since,
        until=until,
        communes=[a[0] for a in aggregates],
    )
    refs = references(organisation_id, year, departements)
    out = []
    for code, dep, epci, retirees, sixty, score_sum, secret, fragile, concentration in aggregates:
        exact = None if secret else fragility.mean(score_sum, retirees)
        n = actions.get(code, 0)
        out.append(
            CommuneRow(
                commune_insee=code,
                commune=names.get(code, ""),
                epci=epci,
                departement=dep,
                retraites=retirees,
                retraites_60_plus=sixty,
                score_moyen=None if exact is None else fragility.round2(exact),
                secret=int(secret),
                fragile=int(fragile),
                concentration=int(concentration),
                actions_collectives=n,
                zone_blanche=int(fragility.is_white_zone(fragile, n)),
                exact_mean=exact,
                map_class=fragility.map_class(exact, refs[dep]) if dep in refs else None,
                epci_name=epci_names.get(epci, ""),
            )
        )
    return out


def departement_rows(
    *,
    organisation_id: int,
    year: int,
    departements: Iterable[str] | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[DepartementRow]:
    """Une ligne par département avec au moins un retraité, triée par code (§6.3)."""
    departements = None if departements is None else list(departements)
    communes = commune_rows(
        organisation_id=organisation_id,
        year=year,
        departements=departements,
        since=since,
        until=until,
    )
    white: dict[str, int] = {}
    for c in communes:
        white[c.departement] = white.get(c.departement, 0) + c.zone_blanche
    refs = references(organisation_id, year, departements)
    names = dict(Departement.objects.values_list("code", "name"))
    out = []
    for a in _aggregates(organisation_id, year, Aggregate.Level.DEPARTEMENT, departements):
        exact = fragility.mean(a.score_sum, a.retirees)
        # la référence recalculée exactement (la ligne enregistrée la garde en virgule
        # flottante : un arrondi à 4 décimales sur une valeur exactement à mi-chemin y flancherait)
        ref = refs.get(a.code, fragility.reference(()))
        sd = None if ref.variance is None else _sqrt_fraction(ref.variance)
        out.append(
            DepartementRow(
                departement=a.code,
                retraites=a.retirees,
                retraites_60_plus=a.retirees_60_plus,
                score_moyen=None if exact is None else fragility.round2(exact),
                moyenne_communes=None if ref.mean is None else fragility.round4(ref.mean),
                ecart_type_communes=None if sd is None else fragility.round4(sd),
                communes=a.communes,
                communes_fragiles=a.fragile_communes,
                zones_blanches=white.get(a.code, 0),
                name=names.get(a.code, ""),
                exact_mean=exact,
            )
        )
    return out


@dataclass(frozen=True)
class EpciRow:
    """Un EPCI d'une année : ses totaux (toutes ses communes), ses communes fragiles (à
    l'import) et ses zones blanches sur la période."""

    epci: str
    name: str
    departement: str
    retraites: int
    retraites_60_plus: int
    score_moyen: float | None
    secret: int
    communes: int
    communes_fragiles: int
    zones_blanches: int


def epci_rows(
    *,
    organisation_id: int,
    year: int,
    departements: Iterable[str] | None,
    communes: Iterable[CommuneRow],
) -> list[EpciRow]:
    """Les EPCI rangés dans ``departements`` (celui de la plupart de leurs retraités), triés par
    nom ; ``communes`` : les lignes des communes de la même lecture (leurs zones blanches). Un
    EPCI de moins de 11 retraités suit le secret des communes."""
    white: dict[str, int] = {}
    for c in communes:
        if c.epci and c.zone_blanche:
            white[c.epci] = white.get(c.epci, 0) + 1
    aggregates = list(_aggregates(organisation_id, year, Aggregate.Level.EPCI, departements))
    names = dict(
        Epci.objects.filter(code__in=[a.code for a in aggregates]).values_list("code", "name")
    )
    out = []
    for a in aggregates:
        secret = fragility.is_secret(a.retirees)
        exact = None if secret else fragility.mean(a.score_sum, a.retirees)
        out.append(
            EpciRow(
                epci=a.code,
                name=names.get(a.code, a.code),
                departement=a.departement,
                retraites=a.retirees,
                retraites_60_plus=a.retirees_60_plus,
                score_moyen=None if exact is None else fragility.round2(exact),
                secret=int(secret),
                communes=a.communes,
                communes_fragiles=a.fragile_communes,
                zones_blanches=white.get(a.code, 0),
            )
        )
    return sorted(out, key=lambda r: (r.name, r.epci))


def evolution(
    *, organisation_id: int, level: str, code: str
) -> list[tuple[int, int, float | None]]:
    """Par année importée : (année, retraités, score moyen arrondi) du territoire."""
    rows = Aggregate.objects.filter(
        organisation_id=organisation_id, level=level, code=code
    ).order_by("year")
    return [
        (
            a.year,
            a.retirees,
            None
            if a.secret or not a.retirees
            else fragility.round2(Fraction(a.score_sum, a.retirees)),
        )
        for a in rows
    ]


def age_thresholds(organisation_id: int) -> tuple[int, int, int]:
    """Les âges qui ouvrent les tranches 2, 3 et 4 pour l'organisme (défauts sans réglage)."""
    current = ObservatorySettings.objects.filter(organisation_id=organisation_id).first()
    return fragility.DEFAULT_AGE_THRESHOLDS if current is None else current.thresholds
