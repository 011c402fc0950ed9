"""Section « pdp » : profil des accompagnements de prévention de la désinsertion professionnelle et
leurs issues (formats.md §5).
"""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from django.db import connection
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.expressions import RawSQL

from parcours.cases.models import Case, Contact
from parcours.core.nomenclatures import (
    Programme,
    Risque,
    Secteur,
    Sexe,
)
from parcours.people.models import Person
from parcours.rules import report as rules
from parcours.steering.report.activity import (
    pdp_participants_information_collective,
    pdp_signales_service_medical,
)
from parcours.steering.report.people import people_table
from parcours.steering.report.scope import PDP_ISSUES, UNKNOWN, Scope, Section, _sql


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
