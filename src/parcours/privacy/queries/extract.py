"""Lecture de l'extrait pseudonymisé (formats.md §8) : les entretiens d'une année, en flux.

La population est celle du rapport d'activité (formats.md §5, « aidées individuellement ») : les
entretiens (``cases.Contact``) datés dans l'année, de l'organisme, chacun rattaché au département
et au programme de son accompagnement — ``steering.report.contacts_of_year``, réutilisé tel quel.
L'âge est celui du rapport (au 31 décembre, ``rules.report``).

La lecture se fait par paquets (pagination par clé sur ``(date, id)``) : trois requêtes par
paquet (entretiens avec accompagnement et personne ; actions ; problématiques), jamais toute
l'année en mémoire.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date

from django.db.models import Q

from parcours.cases.models import ContactAction, ContactProblem
from parcours.core.models import Organisation
from parcours.rules import report as report_rules
from parcours.steering import report

#: Les colonnes de l'extrait, dans cet ordre (formats.md §8).
COLUMNS = (
    "pseudonyme",
    "sexe",
    "tranche_age",
    "departement",
    "programme",
    "mode",
    "date",
    "duree_minutes",
    "actions",
    "problematiques",
)
#: Séparateur des codes d'une cellule (actions, problématiques), comme formats.md (« | »).
SEPARATOR = "|"
#: Entretiens lus par paquet.
CHUNK = 2000

Row = tuple[str, str, str, str, str, str, date, int | None, str, str]


def _scope(organisation: Organisation, year: int) -> report.Scope:
    return report.Scope(
        organisation_id=organisation.pk, year=year, territory=report.territory(organisation)
    )


def contacts(organisation: Organisation, year: int):
    """Les entretiens de l'extrait : ceux que compte le rapport d'activité de l'organisme."""
    return report.contacts_of_year(_scope(organisation, year))


def summary(organisation: Organisation, year: int) -> tuple[int, int]:
    """(entretiens, personnes distinctes) de l'extrait."""
    qs = contacts(organisation, year)
    return qs.count(), qs.values("case__person_id").distinct().count()


def _codes(model, ids: list[int]) -> dict[int, str]:
    found: dict[int, list[str]] = defaultdict(list)
    for contact_id, code in (
        model.objects.filter(contact_id__in=ids)
        .order_by("contact_id", "code")
        .values_list("contact_id", "code")
    ):
        found[contact_id].append(code)
    return {k: SEPARATOR.join(v) for k, v in found.items()}


def rows(
    organisation: Organisation,
    year: int,
    pseudonym: Callable[[int], str],
    *,
    chunk: int = CHUNK,
) -> Iterator[Row]:
    """Une ligne par entretien de l'année, ordonnées par date puis par entretien ;
    ``pseudonym(person_id)`` donne la colonne ``pseudonyme``."""
    base = contacts(organisation, year)
    fields = (
        "id",
        "on",
        "mode",
        "duration_minutes",
        "case__departement_id",
        "case__programme",
        "case__person_id",
        "case__person__sex",
        "case__person__birth_date",
    )
    after: Q | None = None
    while True:
        page = base.filter(after) if after is not None else base
        batch = list(page.order_by("on", "id").values_list(*fields)[:chunk])
        if not batch:
            return
        ids = [r[0] for r in batch]
        actions, problems = _codes(ContactAction, ids), _codes(ContactProblem, ids)
        for cid, on, mode, minutes, dep, programme, pid, sex, born in batch:
            band = report_rules.age_band(report_rules.age_on_dec31(born, year))
            yield (
                pseudonym(pid),
                sex,
                band,
                dep,
                programme,
                mode,
                on,
                minutes,
                actions.get(cid, ""),
                problems.get(cid, ""),
            )
        last_on, last_id = batch[-1][1], batch[-1][0]
        after = Q(on__gt=last_on) | Q(on=last_on, id__gt=last_id)
        if len(batch) < chunk:
            return
