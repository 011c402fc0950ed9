"""Ce que partagent les pages de l'observatoire : le droit d'entrer, l'année, la période."""

from __future__ import annotations

import datetime
import unicodedata

from django.http import Http404

from parcours.core.params import BadParameter, date_param, year_param
from parcours.observatory import policies, queries


def scope_or_404(request) -> list[str]:
    """Les départements visibles de l'agent ; 404 s'il n'a pas droit à l'observatoire."""
    if not policies.can_see_observatory(request.user):
        raise Http404("Introuvable.")
    departements = policies.visible_departements(request.user)
    if not departements:
        raise Http404("Introuvable.")
    return departements


def tabs(request) -> dict:
    """Ce que montrent les onglets de l'observatoire (imports et tranches pour qui importe)."""
    return {"nav": "observatoire", "can_import": policies.can_import_observatory(request.user)}


def chosen_year(request) -> tuple[int | None, list[int]]:
    """L'année demandée (``?annee=``) parmi les années importées, la plus récente à défaut ;
    ``None`` quand rien n'est importé. Une année non importée : 404."""
    available = queries.years(request.user.organisation_id)
    year = year_param(request, "annee")
    if year is None:
        return (available[0] if available else None), available
    if year not in available:
        raise Http404("Introuvable.")
    return year, available


def chosen_period(request, year: int) -> tuple[datetime.date, datetime.date]:
    """``?du=`` et ``?au=`` (par défaut l'année entière, formats.md §6.2)."""
    since, until = queries.period_or_default(
        year, date_param(request, "du"), date_param(request, "au")
    )
    if since > until:
        raise BadParameter("Période : la date « du » doit précéder la date « au ».")
    return since, until


def folded(text: str) -> str:
    """Minuscules sans accents, pour chercher un nom de commune."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def number(value, places: int | None = None) -> str:
    """Un nombre à la française (espace fine des milliers, virgule) ; « — » pour rien."""
    if value is None:
        return "—"
    if places is not None:
        return f"{float(value):,.{places}f}".replace(",", "\u202f").replace(".", ",")
    return f"{int(value):,}".replace(",", "\u202f")
