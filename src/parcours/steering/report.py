"""Le rapport d'activité (formats.md §5) : une fonction par section, tout en agrégats SQL.

Chaque section renvoie un :class:`Section` : les chiffres du territoire entier (``total``) et,
pour un rapport de région ou d'organisme, ceux de chaque département (``by_dep``). Une personne
est comptée une fois par territoire : les comptes de personnes distinctes du territoire sont
calculés par leur propre requête, jamais en additionnant les départements.

Les personnes aidées collectivement viennent de ``groups.Registration`` (présences), les sections
``collectif``, ``signalements``, ``offres`` et ``contacts_accueil`` de ``groups`` et ``outreach``.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case as Case_
from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from parcours.cases.models import Case, Contact
from parcours.core.models import Departement, Organisation, Region
from parcours.core.nomenclatures import (
    FACE_TO_FACE_MODES,
    Emetteur,
    Mode,
    Programme,
    Risque,
    Secteur,
    Sexe,
    TypeCollectif,
)
from parcours.groups.models import Registration, Session
from parcours.outreach.models import FrontLineContact, Referral, ServiceOffer
from parcours.people.models import Person
from parcours.rules import report as rules

FORMAT = "parcours.rapport-activite/1"
ORGANISATION, REGION, DEPARTEMENT = "organisation", "region", "departement"
PDP_ISSUES = ("MAINTIEN_EMPLOI", "LICENCIEMENT_INAPTITUDE", "INVALIDITE_RETRAITE", "PARCOURS_SOINS")
UNKNOWN = "INCONNU"


# ---------------------------------------------------------------- territoire et périmètre


@dataclass(frozen=True)
class Territory:
    level: str
    code: str
    label: str
    departements: tuple[str, ...] | None  # None : tout l'organisme

    def as_json(self) -> dict:
        return {"niveau": self.level, "code": self.code, "libelle": self.label}


@dataclass(frozen=True)
class Scope:
    organisation_id: int
    year: int
    territory: Territory
    with_departements: bool = True
    cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def bounds(self) -> tuple[date, date]:
        return rules.year_bounds(self.year)

    @property
    def breakdown(self) -> bool:
        return self.with_departements and self.territory.level != DEPARTEMENT

    def dep_filter(self, field_name: str) -> Q:
        if self.territory.departements is None:
            return Q()
        return Q(**{f"{field_name}__in": self.territory.departements})


class UnknownTerritory(ValueError):
    pass


def territory(organisation: Organisation, *, region: str = "", departement: str = "") -> Territory:
    """Le territoire d'un rapport : l'organisme entier, une région ou un département."""
    if region and departement:
        raise UnknownTerritory("Choisissez une région ou un département, pas les deux.")
    if region:
        found = Region.objects.filter(code=region).first()
        if found is None:
            raise UnknownTerritory(f"Région inconnue : « {region} ».")
        codes = tuple(found.departements.order_by("code").values_list("code", flat=True))
        return Territory(REGION, found.code, found.name, codes)
    if departement:
        dep = Departement.objects.filter(code=departement).first()
        if dep is None:
            raise UnknownTerritory(f"Département inconnu : « {departement} ».")
        return Territory(DEPARTEMENT, dep.code, dep.name, (dep.code,))
    return Territory(ORGANISATION, organisation.code, organisation.name, None)


def departement_territory(code: str, labels: dict[str, str]) -> Territory:
    return Territory(DEPARTEMENT, code, labels.get(code, code), (code,))


@dataclass
class Section:
    total: object
    by_dep: dict = field(default_factory=dict)
    zero: object = None

    def for_dep(self, code: str):
        return self.by_dep.get(code, self.zero)


def _zero_codes(codes) -> dict:
    return dict.fromkeys(codes, 0)


def _sql(qs: QuerySet) -> tuple[str, tuple] | None:
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:
        return None
    return sql, tuple(params)


# ---------------------------------------------------------------- sources de personnes


def contacts_of_year(scope: Scope) -> QuerySet:
    """Les entretiens datés dans l'année, du territoire (département de l'accompagnement)."""
    first, last = scope.bounds
    return Contact.objects.filter(
        Q(organisation_id=scope.organisation_id, on__gte=first, on__lte=last)
        & scope.dep_filter("case__departement_id")
    ).order_by()


MODE_COLUMNS = [f"mode_{m.lower()}" for m in Mode.values]


def individual_people(scope: Scope) -> QuerySet:
    """Une ligne par accompagnement ayant des entretiens dans l'année : ``cid``, ``dep``,
    ``pid``, ``grp`` (programme), le nombre d'entretiens ``n``, en face à face ``faf`` et par
    mode (``mode_vad``…)."""
    face = [m.value for m in FACE_TO_FACE_MODES]
    return (
        contacts_of_year(scope)
        .values(
            cid=F("case_id"),
            dep=F("case__departement_id"),
            pid=F("case__person_id"),
            grp=F("case__programme"),
        )
        .annotate(
            n=Count("id"),
            faf=Count("id", filter=Q(mode__in=face)),
            **{c: Count("id", filter=Q(mode=m)) for c, m in zip(MODE_COLUMNS, Mode.values)},
        )
        .order_by()
    )


def present_of_year(scope: Scope) -> QuerySet:
    """Les présences (``groups.Registration``, ``present=True``) aux séances datées dans l'année,
    du territoire (département de l'action)."""
    first, last = scope.bounds
    return Registration.objects.filter(
        Q(
            organisation_id=scope.organisation_id,
            present=True,
            session__date__gte=first,
            session__date__lte=last,
        )
        & scope.dep_filter("session__action__departement_id")
    ).order_by()


def sessions_of_year(scope: Scope) -> QuerySet:
    """Les séances datées dans l'année, du territoire (département de l'action)."""
    first, last = scope.bounds
    return Session.objects.filter(
        Q(organisation_id=scope.organisation_id, date__gte=first, date__lte=last)
        & scope.dep_filter("action__departement_id")
    ).order_by()


def collective_people(scope: Scope) -> QuerySet:
    """(dep, pid, grp) distincts : personnes présentes à une séance datée dans l'année, avec le
    département et le programme de l'action (``groups.Registration``, ``present=True``)."""
    return (
        present_of_year(scope)
        .values(
            dep=F("session__action__departement_id"),
            pid=F("person_id"),
            grp=F("session__action__programme"),
        )
        .distinct()
        .order_by()
    )


# ---------------------------------------------------------------- personnes


def _band_sums(prefix: str, bands, year: int, birth_column: str) -> tuple[list[str], list]:
    columns, params = [], []
    for band in bands:
        first, last = rules.birth_range(band, year)
        conditions = []
        if first is not None:
            conditions.append(f"{birth_column} >= %s")
            params.append(first)
        if last is not None:
            conditions.append(f"{birth_column} <= %s")
            params.append(last)
        columns.append(
            f"SUM(CASE WHEN {' AND '.join(conditions)} THEN 1 ELSE 0 END) AS {prefix}{band.key}"
        )
    return columns, params


@contextmanager
def people_table(scope: Scope):
    """Table temporaire : une ligne par accompagnement ayant des entretiens dans l'année (avec ses
    comptes d'entretiens) et par personne présente à une séance (département, programme) ; un
    seul passage sur les entretiens pour les sections personnes, entretiens, programmes et PDP."""
    if scope.cache.get("people_table"):
        yield scope.cache["people_table"]
        return
    counts = ["n", "faf", *MODE_COLUMNS]
    sources = []
    compiled = _sql(individual_people(scope))
    if compiled is not None:
        # Only compiled ORM SQL and constants are interpolated; values go as parameters.
        select = (
            f"SELECT cid, dep, pid, grp, 1 AS ind, 0 AS col, {', '.join(counts)} "  # noqa: S608
            f"FROM ({compiled[0]}) s"
        )
        sources.append((select, compiled[1]))
    compiled = _sql(collective_people(scope))
    if compiled is not None:
        zeros = ", ".join(f"0 AS {c}" for c in counts)
        select = (
            f"SELECT NULL AS cid, dep, pid, grp, 0 AS ind, 1 AS col, {zeros} FROM ({compiled[0]}) s"  # noqa: S608, E501
        )
        sources.append((select, compiled[1]))
    name = f"steering_people_{uuid.uuid4().hex[:12]}"
    columns = ", ".join(f"{c} integer" for c in counts)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {name} (cid bigint, dep varchar(3), pid bigint, "
            f"grp varchar(30), ind integer, col integer, {columns})"
        )
        if sources:
            union = " UNION ALL ".join(sql for sql, _ in sources)
            params = [p for _, ps in sources for p in ps]
            cursor.execute(f"INSERT INTO {name} {union}", params)  # noqa: S608
    scope.cache["people_table"] = name
    try:
        yield name
    finally:
        del scope.cache["people_table"]
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {name}")


def _people_rows(scope: Scope, *, keyed: bool, by_dep: bool) -> list[dict]:
    """Personnes distinctes (aidées individuellement et/ou collectivement), groupées par
    département et/ou programme ; colonnes de profil (sexe, âge) quand ``keyed`` est faux."""
    group = ["pid"] + (["dep"] if by_dep else []) + (["grp"] if keyed else [])
    select_group = ", ".join(f"x.{g}" for g in group if g != "pid")
    person = Person._meta.db_table
    profile: list[str] = []
    profile_params: list[Any] = []
    if not keyed:
        profile = [
            f"SUM(CASE WHEN p.sex = '{s}' THEN 1 ELSE 0 END) AS sexe_{s}" for s in Sexe.values
        ]
        bands, profile_params = _band_sums("age_", rules.AGE_BANDS, scope.year, "p.birth_date")
        profile += bands
    columns = [
        "COUNT(*) AS total",
        "SUM(CASE WHEN x.ind = 1 AND x.col = 0 THEN 1 ELSE 0 END) AS individuel_seul",
        "SUM(CASE WHEN x.ind = 1 AND x.col = 1 THEN 1 ELSE 0 END) AS individuel_et_collectif",
        "SUM(CASE WHEN x.ind = 0 AND x.col = 1 THEN 1 ELSE 0 END) AS collectif_seul",
        *profile,
    ]
    with people_table(scope) as table:
        # Identifiers are constants, values are parameters.
        sql = (
            f"SELECT {select_group + ', ' if select_group else ''}{', '.join(columns)} "  # noqa: S608
            f"FROM (SELECT {', '.join(group)}, MAX(ind) AS ind, MAX(col) AS col FROM {table} "
            f"GROUP BY {', '.join(group)}) x JOIN {person} p ON p.id = x.pid"
            + (f" GROUP BY {select_group}" if select_group else "")
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, profile_params)
            names = [c[0].lower() for c in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]


def _personnes_json(row: dict | None) -> dict:
    row = row or {}
    value = lambda k: int(row.get(k) or 0)  # noqa: E731
    return {
        "total": value("total"),
        "individuel_seul": value("individuel_seul"),
        "individuel_et_collectif": value("individuel_et_collectif"),
        "collectif_seul": value("collectif_seul"),
        "sexe": {s: value(f"sexe_{s.lower()}") for s in Sexe.values},
        "age": {b.key: value(f"age_{b.key}") for b in rules.AGE_BANDS},
    }


def personnes(scope: Scope) -> Section:
    """Personnes aidées : individuellement (≥ 1 entretien daté dans l'année) et/ou
    collectivement (présentes à ≥ 1 séance datée dans l'année) ; sexe, âge au 31 décembre."""
    total = _people_rows(scope, keyed=False, by_dep=False)
    by_dep = {}
    if scope.breakdown:
        by_dep = {
            row["dep"]: _personnes_json(row)
            for row in _people_rows(scope, keyed=False, by_dep=True)
        }
    return Section(_personnes_json(total[0] if total else None), by_dep, _personnes_json(None))


# ---------------------------------------------------------------- entretiens


def _entretiens_json(row: dict | None) -> dict:
    row = row or {}
    return {
        "total": row.get("total") or 0,
        "face_a_face": row.get("face_a_face") or 0,
        "par_mode": {m: row.get(f"mode_{m}") or 0 for m in Mode.values},
    }


def entretiens(scope: Scope) -> Section:
    """Entretiens datés dans l'année, par mode ; face à face : formats.md §1."""
    sums = ", ".join(f"SUM({c})" for c in ["n", "faf", *MODE_COLUMNS])
    with people_table(scope) as table, connection.cursor() as cursor:
        cursor.execute(f"SELECT dep, {sums} FROM {table} WHERE ind = 1 GROUP BY dep")  # noqa: S608
        rows = cursor.fetchall()
    keys = ["total", "face_a_face", *[f"mode_{m}" for m in Mode.values]]
    by_dep = {row[0]: dict(zip(keys, (int(v or 0) for v in row[1:]))) for row in rows}
    total = {k: sum(row[k] for row in by_dep.values()) for k in keys}
    return Section(
        _entretiens_json(total),
        {k: _entretiens_json(v) for k, v in by_dep.items()},
        _entretiens_json(None),
    )


# ---------------------------------------------------------------- accueil, collectif, signalements


def _grouped(qs: QuerySet, dep_field, aggregates: dict, breakdown: bool) -> tuple[dict, dict]:
    """Les agrégats ``aggregates`` sur le territoire entier et, si demandé, par département
    (``dep_field`` : expression du département) — deux requêtes SQL."""
    total = qs.aggregate(**aggregates)
    by_dep = {}
    if breakdown:
        for row in qs.values(dep=dep_field).annotate(**aggregates).order_by():
            by_dep[row.pop("dep")] = row
    return total, by_dep


def front_line_of_year(scope: Scope) -> QuerySet:
    """Les contacts d'accueil datés dans l'année, du territoire (leur département)."""
    first, last = scope.bounds
    return FrontLineContact.objects.filter(
        Q(organisation_id=scope.organisation_id, date__gte=first, date__lte=last)
        & scope.dep_filter("departement_id")
    ).order_by()


def contacts_accueil(scope: Scope) -> Section:
    """Contacts d'accueil (``outreach.FrontLineContact``) datés dans l'année, par leur
    département."""
    total, by_dep = _grouped(
        front_line_of_year(scope), F("departement_id"), {"n": Count("id")}, scope.breakdown
    )
    return Section(total["n"] or 0, {d: r["n"] for d, r in by_dep.items()}, 0)


def _collectif_json(row: dict | None = None) -> dict:
    row = row or {}
    value = lambda k: int(row.get(k) or 0)  # noqa: E731
    return {
        "actions": value("actions"),
        "seances": value("seances"),
        "participants": value("participants"),
        "par_type": {
            t: {"seances": value(f"seances_{t}"), "participants": value(f"participants_{t}")}
            for t in TypeCollectif.values
        },
    }


def collectif(scope: Scope) -> Section:
    """Actions ayant une séance dans l'année, séances datées dans l'année, personnes distinctes
    présentes ; par type (séances, participants distincts). Une séance appartient au
    département de son action (``groups.GroupAction`` / ``Session`` / ``Registration``)."""
    session_aggregates = {
        "actions": Count("action", distinct=True),
        "seances": Count("id"),
        **{f"seances_{t}": Count("id", filter=Q(action__type=t)) for t in TypeCollectif.values},
    }
    present_aggregates = {
        "participants": Count("person", distinct=True),
        **{
            f"participants_{t}": Count("person", distinct=True, filter=Q(session__action__type=t))
            for t in TypeCollectif.values
        },
    }
    s_total, s_dep = _grouped(
        sessions_of_year(scope), F("action__departement_id"), session_aggregates, scope.breakdown
    )
    p_total, p_dep = _grouped(
        present_of_year(scope),
        F("session__action__departement_id"),
        present_aggregates,
        scope.breakdown,
    )
    by_dep = {
        dep: _collectif_json({**s_dep.get(dep, {}), **p_dep.get(dep, {})})
        for dep in set(s_dep) | set(p_dep)
    }
    return Section(_collectif_json({**s_total, **p_total}), by_dep, _collectif_json())


def _own_or_person_departement():
    """Le département d'un signalement ou d'une offre, à défaut celui de la personne."""
    return Coalesce(F("departement_id"), F("person__departement_id"))


def referrals_of_year(scope: Scope) -> QuerySet:
    """Les signalements (``outreach.Referral``) reçus dans l'année, du territoire."""
    first, last = scope.bounds
    return (
        Referral.objects.filter(
            organisation_id=scope.organisation_id, received_on__gte=first, received_on__lte=last
        )
        .annotate(dep=_own_or_person_departement())
        .filter(scope.dep_filter("dep"))
        .order_by()
    )


def _signalements_json(row: dict | None = None) -> dict:
    row = row or {}
    return {
        "total": int(row.get("total") or 0),
        "par_emetteur": {e: int(row.get(f"emetteur_{e}") or 0) for e in Emetteur.values},
    }


def signalements(scope: Scope) -> Section:
    """Signalements datés dans l'année, par émetteur ; un signalement appartient à son
    département, à défaut à celui de la personne."""
    aggregates = {
        "total": Count("id"),
        **{f"emetteur_{e}": Count("id", filter=Q(emitter=e)) for e in Emetteur.values},
    }
    total, by_dep = _grouped(referrals_of_year(scope), F("dep"), aggregates, scope.breakdown)
    return Section(
        _signalements_json(total),
        {d: _signalements_json(r) for d, r in by_dep.items()},
        _signalements_json(),
    )


def _helped_between(first: str, days: int):
    """Vrai quand la personne de la ligne a un entretien ou une présence à une séance entre la
    date ``first`` (colonne) et ``days`` jours après, bornes comprises (organisme entier)."""
    last = ExpressionWrapper(OuterRef(first) + timedelta(days=days), output_field=DateField())
    contacts = Contact.objects.filter(
        organisation_id=OuterRef("organisation_id"),
        case__person_id=OuterRef("person_id"),
        on__gte=OuterRef(first),
        on__lte=last,
    )
    sessions = Registration.objects.filter(
        organisation_id=OuterRef("organisation_id"),
        person_id=OuterRef("person_id"),
        present=True,
        session__date__gte=OuterRef(first),
        session__date__lte=last,
    )
    return Q(Exists(contacts)) | Q(Exists(sessions))


def offers_of_year(scope: Scope) -> QuerySet:
    """Les offres de service (``outreach.ServiceOffer``) envoyées dans l'année, du territoire
    (département de l'offre, à défaut de la personne)."""
    first, last = scope.bounds
    return (
        ServiceOffer.objects.filter(
            organisation_id=scope.organisation_id, sent_on__gte=first, sent_on__lte=last
        )
        .annotate(dep=_own_or_person_departement())
        .filter(scope.dep_filter("dep"))
        .order_by()
    )


def followed_offers(scope: Scope) -> QuerySet:
    """Les offres de l'année suivies d'intervention dans ``rules.report.FOLLOW_DAYS`` jours."""
    return offers_of_year(scope).filter(_helped_between("sent_on", rules.FOLLOW_DAYS))


def _offres_json(row: dict | None = None) -> dict:
    row = row or {}
    sent, followed = int(row.get("envoyees") or 0), int(row.get("suivies") or 0)
    return {
        "envoyees": sent,
        "suivies_d_intervention": followed,
        "taux_pct": rules.pct(followed, sent),
    }


def offres(scope: Scope) -> Section:
    """Offres dont la date d'envoi est dans l'année ; suivies d'intervention : la personne a eu
    un entretien ou une présence à une séance dans ``rules.report.follow_window`` (90 jours,
    le jour d'envoi et le 90e compris)."""
    aggregates = {
        "envoyees": Count("id"),
        "suivies": Sum(
            Case_(
                When(_helped_between("sent_on", rules.FOLLOW_DAYS), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        ),
    }
    total, by_dep = _grouped(offers_of_year(scope), F("dep"), aggregates, scope.breakdown)
    return Section(
        _offres_json(total), {d: _offres_json(r) for d, r in by_dep.items()}, _offres_json()
    )


def _distinct_people(qs: QuerySet, dep_field, breakdown: bool) -> Section:
    total, by_dep = _grouped(qs, dep_field, {"n": Count("person", distinct=True)}, breakdown)
    return Section(total["n"] or 0, {d: r["n"] for d, r in by_dep.items()}, 0)


def pdp_participants_information_collective(scope: Scope) -> Section:
    """Personnes distinctes présentes à une séance d'une action ``INFO_COLLECTIVE`` du programme
    PDP datée dans l'année."""
    present = present_of_year(scope).filter(
        session__action__type=TypeCollectif.INFO_COLLECTIVE,
        session__action__programme=Programme.PDP,
    )
    return _distinct_people(present, F("session__action__departement_id"), scope.breakdown)


def pdp_signales_service_medical(scope: Scope) -> Section:
    """Personnes distinctes ayant un signalement ``SERVICE_MEDICAL`` daté dans l'année."""
    referrals = referrals_of_year(scope).filter(emitter=Emetteur.SERVICE_MEDICAL)
    return _distinct_people(referrals, F("dep"), scope.breakdown)


# ---------------------------------------------------------------- programmes


def _programmes_json(rows: dict) -> dict:
    return {
        p: {
            "individuel": int(rows.get(p, {}).get("ind") or 0),
            "collectif": int(rows.get(p, {}).get("col") or 0),
            "total": int(rows.get(p, {}).get("total") or 0),
        }
        for p in Programme.values
    }


def _programme_rows(scope: Scope, by_dep: bool) -> list[dict]:
    """Par programme (et département) : personnes distinctes aidées individuellement,
    collectivement, et leur union."""
    rows = _people_rows(scope, keyed=True, by_dep=by_dep)
    for row in rows:
        row["ind"] = row["individuel_seul"] + row["individuel_et_collectif"]
        row["col"] = row["collectif_seul"] + row["individuel_et_collectif"]
    return rows


def programmes(scope: Scope) -> Section:
    """Par programme : personnes aidées individuellement dans un accompagnement de ce programme,
    collectivement dans une action de ce programme, et l'union des deux."""
    total = _programmes_json({r["grp"]: r for r in _programme_rows(scope, False)})
    by_dep: dict = {}
    if scope.breakdown:
        grouped: dict = {}
        for row in _programme_rows(scope, True):
            grouped.setdefault(row["dep"], {})[row["grp"]] = row
        by_dep = {dep: _programmes_json(rows) for dep, rows in grouped.items()}
    return Section(total, by_dep, _programmes_json({}))


# ---------------------------------------------------------------- PDP


def _pdp_qualifying(scope: Scope) -> QuerySet:
    """Les accompagnements PDP du territoire ayant un entretien dans l'année."""
    table = scope.cache.get("people_table")
    if table:  # déjà calculés dans la table temporaire
        ids = RawSQL(f"SELECT cid FROM {table} WHERE ind = 1 AND grp = %s", [Programme.PDP.value])  # noqa: S608, S611, E501
        return (
            Case.objects.filter(id__in=ids)
            .order_by()
            .values("id", "person_id", "departement_id", "opened_on")
        )
    first, last = scope.bounds
    return (
        Case.objects.filter(
            Q(organisation_id=scope.organisation_id, programme=Programme.PDP)
            & scope.dep_filter("departement_id")
        )
        .filter(Exists(Contact.objects.filter(case=OuterRef("pk"), on__gte=first, on__lte=last)))
        .order_by()
        .values("id", "person_id", "departement_id", "opened_on")
    )


def pdp_profile_cases(scope: Scope, *, per_departement: bool) -> QuerySet:
    """Pour chaque personne aidée individuellement dans un accompagnement PDP dans l'année :
    le plus récemment ouvert de ces accompagnements (par département si demandé).

    Le choix se fait par une fonction de fenêtre (``ROW_NUMBER``), calculée une fois."""
    qualifying = _pdp_qualifying(scope)
    compiled = _sql(qualifying)
    if compiled is None:
        return Case.objects.none()
    partition = "person_id, departement_id" if per_departement else "person_id"
    ranked = (
        f"SELECT id, ROW_NUMBER() OVER (PARTITION BY {partition} "  # noqa: S608
        f"ORDER BY opened_on DESC, id DESC) AS rn FROM ({compiled[0]}) q"
    )
    ids = RawSQL(f"SELECT id FROM ({ranked}) r WHERE rn = 1", compiled[1])  # noqa: S608, S611
    return Case.objects.filter(id__in=ids).order_by()


def closures(scope: Scope) -> QuerySet:
    first, last = scope.bounds
    return Case.objects.filter(
        Q(
            organisation_id=scope.organisation_id,
            programme=Programme.PDP,
            closed_on__gte=first,
            closed_on__lte=last,
        )
        & scope.dep_filter("departement_id")
    ).order_by()


def _zero(key: str):
    return timedelta(0) if key == "jours" else 0


def _closure_aggregates() -> dict:
    return {
        "clotures": Count("id"),
        "jours": Sum(
            ExpressionWrapper(F("closed_on") - F("opened_on"), output_field=DurationField())
        ),
        **{f"issue_{i}": Count("id", filter=Q(outcome=i)) for i in PDP_ISSUES},
    }


def _pdp_json(profile: dict | None, closures: dict | None, pic: int, medical: int) -> dict:
    profile, closures = profile or {}, closures or {}
    helped = profile.get("accompagnes") or 0
    closed = closures.get("clotures") or 0
    days = closures.get("jours")
    total_days = days.days if days is not None else 0
    issues = {i: closures.get(f"issue_{i}") or 0 for i in PDP_ISSUES}
    return {
        "participants_information_collective": pic,
        "signales_service_medical": medical,
        "accompagnes": helped,
        "sexe_pct": {s: rules.pct(profile.get(f"sexe_{s}") or 0, helped) for s in Sexe.values},
        "age_pct": {
            b.key: rules.pct(profile.get(f"age_{b.key}") or 0, helped) for b in rules.PDP_AGE_BANDS
        },
        "risque_pct": {
            r: rules.pct(profile.get(f"risque_{r}") or 0, helped) for r in [*Risque.values, UNKNOWN]
        },
        "secteur_pct": {
            s: rules.pct(profile.get(f"secteur_{s}") or 0, helped)
            for s in [*Secteur.values, UNKNOWN]
        },
        "clotures": closed,
        "duree_moyenne_mois": rules.mean_months(total_days, closed),
        "issues_pct": {
            **{i: rules.pct(issues[i], closed) for i in PDP_ISSUES},
            "AUTRE": rules.pct(closed - sum(issues.values()), closed),
        },
    }


def pdp(scope: Scope) -> Section:
    """Les pages PDP : entrée en relation, profil des personnes accompagnées, clôtures."""
    with people_table(scope):
        return _pdp(scope)


def _pdp_profiles(scope: Scope) -> tuple[dict, dict]:
    """Le profil PDP du territoire et de chaque département en une requête : deux fonctions de
    fenêtre choisissent l'accompagnement le plus récent par personne (``rn_t``) et par personne
    et département (``rn_d``) ; les comptes du territoire sont la somme des ``rn_t`` de chaque
    département (chaque personne n'y a qu'une ligne)."""
    qualifying = _pdp_qualifying(scope).values(
        "id", "person_id", "departement_id", "opened_on", "risk", "sector"
    )
    compiled = _sql(qualifying)
    if compiled is None:
        return {}, {}
    conditions: list[tuple[str, str, list]] = [("accompagnes", "1 = 1", [])]
    conditions += [(f"sexe_{s}", f"p.sex = '{s}'", []) for s in Sexe.values]
    known_risks = ", ".join(f"'{r}'" for r in Risque.values)
    conditions += [(f"risque_{r}", f"r.risk = '{r}'", []) for r in Risque.values]
    conditions.append((f"risque_{UNKNOWN}", f"r.risk NOT IN ({known_risks})", []))
    known_sectors = ", ".join(f"'{x}'" for x in Secteur.values)
    conditions += [(f"secteur_{x}", f"r.sector = '{x}'", []) for x in Secteur.values]
    conditions.append((f"secteur_{UNKNOWN}", f"r.sector NOT IN ({known_sectors})", []))
    for band in rules.PDP_AGE_BANDS:
        first, last = rules.birth_range(band, scope.year)
        parts, params = [], []
        if first is not None:
            parts.append("p.birth_date >= %s")
            params.append(first)
        if last is not None:
            parts.append("p.birth_date <= %s")
            params.append(last)
        conditions.append((f"age_{band.key}", " AND ".join(parts), params))
    columns, column_params = [], []
    for prefix in ("t", "d"):
        for i, (_, condition, params) in enumerate(conditions):
            columns.append(
                f"SUM(CASE WHEN r.rn_{prefix} = 1 AND ({condition}) THEN 1 ELSE 0 END) "
                f"AS {prefix}{i}"
            )
            column_params += params
    order = "ORDER BY opened_on DESC, id DESC"
    person = Person._meta.db_table
    sql = (
        f"SELECT r.departement_id, {', '.join(columns)} FROM ("  # noqa: S608
        f"SELECT q.*, ROW_NUMBER() OVER (PARTITION BY person_id {order}) AS rn_t, "
        f"ROW_NUMBER() OVER (PARTITION BY person_id, departement_id {order}) AS rn_d "
        f"FROM ({compiled[0]}) q) r JOIN {person} p ON p.id = r.person_id "
        "WHERE r.rn_t = 1 OR r.rn_d = 1 GROUP BY r.departement_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*column_params, *compiled[1]])
        rows = cursor.fetchall()
    keys = [k for k, _, _ in conditions]
    by_dep, total = {}, dict.fromkeys(keys, 0)
    for row in rows:
        values = [int(v or 0) for v in row[1:]]
        for key, value in zip(keys, values[: len(keys)]):
            total[key] += value
        by_dep[row[0]] = dict(zip(keys, values[len(keys) :]))
    return total, by_dep


def _pdp(scope: Scope) -> Section:
    profile_total, profiles = _pdp_profiles(scope)
    aggregates = _closure_aggregates()
    closed = {
        row.pop("departement_id"): row
        for row in closures(scope).values("departement_id").annotate(**aggregates)
    }
    closures_total = {
        k: sum((row[k] for row in closed.values() if row[k] is not None), start=_zero(k))
        for k in aggregates
    }
    pic = pdp_participants_information_collective(scope)
    medical = pdp_signales_service_medical(scope)
    by_dep = {}
    if scope.breakdown:
        for dep in set(profiles) | set(closed) | set(pic.by_dep) | set(medical.by_dep):
            by_dep[dep] = _pdp_json(
                profiles.get(dep), closed.get(dep), pic.for_dep(dep), medical.for_dep(dep)
            )
    return Section(
        _pdp_json(profile_total, closures_total, cast(int, pic.total), cast(int, medical.total)),
        by_dep,
        _pdp_json(None, None, 0, 0),
    )


# ---------------------------------------------------------------- assemblage

SECTIONS = (
    ("personnes", personnes),
    ("entretiens", entretiens),
    ("contacts_accueil", contacts_accueil),
    ("programmes", programmes),
    ("collectif", collectif),
    ("signalements", signalements),
    ("offres", offres),
    ("pdp", pdp),
)


def _document(year: int, where: Territory, values: dict) -> dict:
    return {"format": FORMAT, "annee": year, "territoire": where.as_json(), **values}


def build(
    organisation: Organisation, year: int, where: Territory, *, departements: bool = True
) -> dict:
    """Le rapport d'activité de ``organisation`` pour ``year`` sur le territoire ``where``
    (sans le détail par département si ``departements`` est faux)."""
    scope = Scope(organisation.pk, year, where, departements)
    with people_table(scope):
        sections = {name: func(scope) for name, func in SECTIONS}
    report = _document(year, where, {name: s.total for name, s in sections.items()})
    report["departements"] = []
    if scope.breakdown:
        active = set()
        for section in sections.values():
            active |= set(section.by_dep)
        if where.departements is not None:
            active &= set(where.departements)
        labels = dict(Departement.objects.filter(code__in=active).values_list("code", "name"))
        for code in sorted(active):
            values = {name: s.for_dep(code) for name, s in sections.items()}
            report["departements"].append(
                _document(year, departement_territory(code, labels), values) | {"departements": []}
            )
    return report


def evolution(organisation: Organisation, year: int, where: Territory, years: int = 5) -> list:
    """Les rapports (sans détail départemental) des ``years`` dernières années, la plus ancienne
    d'abord : les évolutions du rapport et des tableaux de bord."""
    return [
        build(organisation, y, where, departements=False) for y in range(year - years + 1, year + 1)
    ]
