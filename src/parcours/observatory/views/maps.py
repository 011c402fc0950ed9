"""Les cartes et les listes de l'observatoire : départements du périmètre, une région, un
département (ses communes), l'export de la liste des communes.

Chaque carte a son tableau équivalent sur la même page (formats.md §6.3) ; les droits viennent
de ``observatory.policies`` seulement."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from parcours.core import tabular
from parcours.core.nomenclatures import Programme
from parcours.core.pagination import paginate
from parcours.core.params import choice_param, flag_param, text_param
from parcours.groups import policies as group_policies
from parcours.observatory import geometry, maps, queries
from parcours.observatory.models import Aggregate
from parcours.observatory.services.exports import record_list_export
from parcours.observatory.views.common import (
    chosen_period,
    chosen_year,
    folded,
    number,
    scope_or_404,
    tabs,
)
from parcours.rules import fragility

#: en-têtes français des colonnes de formats.md §6.3 (l'export garde les noms du contrat)
COMMUNE_HEADERS = {
    "commune_insee": "Code INSEE", "commune": "Commune", "epci": "EPCI",
    "departement": "Département", "retraites": "Retraités", "retraites_60_plus": "60 ans et plus",
    "score_moyen": "Score moyen", "secret": "Secret", "fragile": "Fragile",
    "concentration": "Concentration", "actions_collectives": "Actions collectives",
    "zone_blanche": "Zone blanche",
}  # fmt: skip
#: ``?tri=`` : la clé de tri de chaque colonne triable
SORTS = {
    "code": lambda r: r.commune_insee,
    "commune": lambda r: (folded(r.commune), r.commune_insee),
    "retraites": lambda r: (r.retraites, r.commune_insee),
    "soixante": lambda r: (r.retraites_60_plus, r.commune_insee),
    "score": lambda r: (r.exact_mean is not None, r.exact_mean or 0, r.commune_insee),
    "actions": lambda r: (r.actions_collectives, r.commune_insee),
}
SORT_CHOICES = [*SORTS, *(f"-{k}" for k in SORTS)]
PER_PAGE = 100


def _departements(year: int, organisation_id: int, codes: list[str], period):
    return queries.departement_rows(
        organisation_id=organisation_id,
        year=year,
        departements=codes,
        since=period[0],
        until=period[1],
    )


@login_required
def overview(request):
    """La carte et le tableau des départements du périmètre (ou d'une région, ``?region=``)."""
    scope = scope_or_404(request)
    year, available = chosen_year(request)
    names = queries.departement_names()
    regions_of, regions = queries.regions_of(scope)
    region = choice_param(request, "region", [r.code for r in regions])
    shown = [c for c in scope if not region or regions_of.get(c) == region]
    context = {
        **tabs(request),
        "year": year,
        "years": available,
        "regions": regions,
        "region": next((r for r in regions if r.code == region), None),
        "scope": shown,
    }
    if year is None:
        return render(request, "observatory/accueil.html", context)
    period = chosen_period(request, year)
    rows = _departements(year, request.user.organisation_id, shown, period)
    ref = maps.departement_reference(rows)
    where = context["region"].name if context["region"] else "votre périmètre"
    context.update(
        {
            "period": period,
            "rows": [
                {
                    "row": r,
                    "cls": fragility.map_class(r.exact_mean, ref),
                    "link": f"{reverse('observatoire-departement', args=[r.departement])}?"
                    + urlencode({"annee": year}),
                    "figures": _departement_figures(r),
                }
                for r in rows
            ],
            "classes": maps.legend_items(ref),
            "missing": [c for c in shown if c not in {r.departement for r in rows}],
            "names": names,
            "map": maps.departement_map(
                title=f"Score moyen des départements, {year} — {where}",
                description=(
                    "Chaque département du périmètre est coloré selon la classe de son score "
                    "moyen par rapport à la moyenne des départements montrés ; le tableau qui "
                    "suit donne les mêmes chiffres."
                ),
                rows=rows,
                scope=shown,
                names=names,
            ),
        }
    )
    return render(request, "observatory/accueil.html", context)


def _departement_figures(r) -> list[str]:
    return [
        number(r.retraites),
        number(r.retraites_60_plus),
        number(r.score_moyen, 2),
        number(r.moyenne_communes, 4),
        number(r.ecart_type_communes, 4),
        number(r.communes),
        number(r.communes_fragiles),
        number(r.zones_blanches),
    ]


def _filters(request) -> dict:
    return {
        "fragiles": flag_param(request, "fragiles"),
        "zones_blanches": flag_param(request, "zones_blanches"),
        "concentration": flag_param(request, "concentration"),
        "q": text_param(request, "q"),
        "tri": choice_param(request, "tri", SORT_CHOICES, "code"),
    }


def _filtered(rows, f: dict) -> list:
    if f["fragiles"]:
        rows = [r for r in rows if r.fragile]
    if f["zones_blanches"]:
        rows = [r for r in rows if r.zone_blanche]
    if f["concentration"]:
        rows = [r for r in rows if r.concentration]
    if f["q"]:
        needle = folded(f["q"])
        rows = [r for r in rows if needle in folded(r.commune) or r.commune_insee == f["q"]]
    key = f["tri"].lstrip("-")
    return sorted(rows, key=SORTS[key], reverse=f["tri"].startswith("-"))


def _territory(request, kind: str, code: str):
    """Les départements montrés d'un département ou d'une région du périmètre (sinon 404)."""
    scope = scope_or_404(request)
    if kind == "departement":
        if code not in scope:
            raise Http404("Introuvable.")
        return [code], queries.departement(code)
    region, members = queries.region_with_departements(code)
    if region is None:
        raise Http404("Introuvable.")
    codes = [c for c in scope if c in members]
    if not codes:
        raise Http404("Introuvable.")
    return codes, region


def _communes(request, kind: str, code: str):
    codes, place = _territory(request, kind, code)
    year, available = chosen_year(request)
    if year is None:
        raise Http404("Introuvable.")
    period = chosen_period(request, year)
    rows = queries.commune_rows(
        organisation_id=request.user.organisation_id,
        year=year,
        departements=codes,
        since=period[0],
        until=period[1],
    )
    return codes, place, year, available, period, rows


@login_required
def departement(request, code):
    return _commune_page(request, "departement", code)


@login_required
def region(request, code):
    return _commune_page(request, "region", code)


def _commune_page(request, kind: str, code: str):
    codes, place, year, available, period, rows = _communes(request, kind, code)
    f = _filters(request)
    shown = _filtered(rows, f)
    refs = queries.references(request.user.organisation_id, year, codes)
    ref = refs.get(codes[0]) if kind == "departement" else None
    name = place.name if kind == "region" else f"{place.code} {place.name}"
    page, page_query = paginate(request, shown, PER_PAGE)
    can_program = group_policies.can_create_action(request.user)
    new_action = reverse("collectif-action-nouvelle")
    base = {"annee": year, "du": period[0].isoformat(), "au": period[1].isoformat()}
    query = {**base, **{k: ("1" if v is True else v) for k, v in f.items() if v and k != "tri"}}
    evolution = (
        queries.evolution(
            organisation_id=request.user.organisation_id,
            level=Aggregate.Level.DEPARTEMENT,
            code=code,
        )
        if kind == "departement"
        else []
    )
    drawn = _paths(codes)
    dep_names = queries.departement_names() if kind == "region" else {}
    dep_row = None
    if kind == "departement":
        found = _departements(year, request.user.organisation_id, codes, period)
        dep_row = found[0] if found else None
    return render(
        request,
        "observatory/communes.html",
        {
            **tabs(request),
            "kind": kind,
            "place": place,
            "name": name,
            "year": year,
            "years": available,
            "period": period,
            "filters": f,
            "rows": rows,
            "page": page,
            "page_query": page_query,
            "lines": [_commune_line(r, can_program, new_action) for r in page],
            "headers": _sort_headers(request, f["tri"]),
            "query": urlencode(query),
            "sort_query": urlencode({**query, "tri": f["tri"]}),
            "reference": ref,
            "dep_row": dep_row,
            "reference_figures": None
            if ref is None or ref.mean is None
            else {
                "moyenne": number(ref.mean, 4),
                "ecart_type": number(ref.sd, 4),
                "seuil": number(ref.threshold, 4),
            },
            "classes": maps.legend_items(ref),
            "outlined": sum(1 for r in rows if r.commune_insee in drawn),
            "without_outline": [r for r in rows if r.commune_insee not in drawn],
            "evolution": [(y, number(n), number(v, 2)) for y, n, v in evolution],
            "epcis": [
                (e, number(e.retraites), number(e.retraites_60_plus), number(e.score_moyen, 2))
                for e in queries.epci_rows(
                    organisation_id=request.user.organisation_id,
                    year=year,
                    departements=codes,
                    communes=rows,
                )
            ],
            "evolution_chart": maps.evolution_chart(
                f"Évolution du score moyen — {name}", [(y, v) for y, _, v in evolution]
            ),
            "map": maps.commune_map(
                title=f"Score moyen des communes, {year} — {name}",
                description=(
                    f"{len(rows)} communes avec des retraités, colorées selon leur classe par "
                    "rapport à la moyenne de leur département ; zones blanches cerclées de noir, "
                    "communes au secret statistique hachurées. La liste qui suit donne les mêmes "
                    "chiffres."
                ),
                rows=rows,
                departements=codes,
                ref=ref,
            ),
            "departement_links": [
                (
                    f"{c} {dep_names.get(c, '')}".strip(),
                    f"{reverse('observatoire-departement', args=[c])}?{urlencode(base)}",
                )
                for c in codes
            ]
            if kind == "region"
            else [],
        },
    )


def _paths(codes: list[str]) -> dict[str, str]:
    layer = geometry.communes(codes)
    return layer.paths if layer is not None else {}


def _commune_line(r, can_program: bool, new_action: str) -> dict:
    program = ""
    if r.zone_blanche and can_program:
        program = f"{new_action}?" + urlencode(
            {"commune": r.commune_insee, "programme": Programme.BIEN_VIEILLIR.value}
        )
    return {
        "row": r,
        "cls": r.map_class,
        "class_label": "" if r.map_class is None else fragility.MAP_CLASSES[r.map_class],
        "retraites": number(r.retraites),
        "soixante": number(r.retraites_60_plus),
        "score": "secret" if r.secret else number(r.score_moyen, 2),
        "program": program,
    }


def _sort_headers(request, current: str) -> list[dict]:
    """Les en-têtes du tableau des communes, avec le lien de tri et ``aria-sort``."""
    columns = [
        ("code", "Code INSEE"),
        ("commune", "Commune"),
        ("retraites", "Retraités"),
        ("soixante", "60 ans et plus"),
        ("score", "Score moyen"),
        ("actions", "Actions collectives"),
    ]
    query = request.GET.copy()
    query.pop("page", None)
    out = []
    for key, label in columns:
        direction = (
            "ascending" if current == key else "descending" if current == f"-{key}" else "none"
        )
        query["tri"] = f"-{key}" if current == key else key
        out.append({"label": label, "sort": direction, "link": f"?{query.urlencode()}", "key": key})
    return out


@login_required
def export(request, code, fmt):
    """La liste des communes filtrée, en CSV ou XLSX, colonnes exactes de formats.md §6.3."""
    if fmt not in {"csv", "xlsx"}:
        raise Http404("Introuvable.")
    codes, place, year, _available, period, rows = _communes(request, "departement", code)
    f = _filters(request)
    shown = sorted(_filtered(rows, f), key=lambda r: r.commune_insee)
    header = list(queries.COMMUNE_COLUMNS)
    lines = [[r.as_dict()[k] for k in header] for r in shown]
    name = f"observatoire-{year}-{code}-communes.{fmt}"
    record_list_export(
        actor=request.user,
        what=f"Observatoire {year} : communes du département {code} ({fmt.upper()})",
        rows=len(lines),
        criteria={
            "annee": year,
            "departement": code,
            "du": period[0].isoformat(),
            "au": period[1].isoformat(),
            **{k: v for k, v in f.items() if v and k != "tri"},
        },
    )
    if fmt == "csv":
        response, _count = tabular.csv_response(name, header, lines)
        return response
    book = tabular.workbook()
    sheet = book.create_sheet(f"Communes {code} {year}")
    tabular.xlsx_rows(sheet, [header, *lines])
    response = HttpResponse(
        tabular.xlsx_bytes(book),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
