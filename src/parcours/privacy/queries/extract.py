"""Lecture de l'extrait pseudonymisé (formats.md §8) : les entretiens d'une année, en flux.

La population est celle du rapport d'activité (formats.md §5, « aidées individuellement ») : les
entretiens (``cases.Contact``) datés dans l'année, de l'organisme, chacun rattaché au département
et au programme de son accompagnement — ``steering.report.contacts_of_year``, réutilisé tel quel.
L'âge est celui du rapport (au 31 décembre, ``rules.report``).

La lecture se fait en flux : trois requêtes lues par paquets (``iterator``), triées de la même
façon par ``(date, id de l'entretien)`` — entretiens avec accompagnement et personne, actions,
problématiques — et fusionnées au fil de l'eau ; jamais toute l'année en mémoire.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

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


def _codes(model, contacts) -> Iterator[tuple[int, list[str]]]:
    """Les codes (actions ou problématiques) des entretiens de ``contacts``, en flux, dans
    l'ordre des entretiens (date, id) : ``(id de l'entretien, codes triés)``."""
    stream = (
        model.objects.filter(contact__in=contacts.values("id"))
        .order_by("contact__on", "contact_id")
        .values_list("contact_id", "code")
        .iterator(chunk_size=CHUNK)
    )
    current: int | None = None
    codes: list[str] = []
    for contact_id, code in stream:
        if contact_id != current:
            if current is not None:
                yield current, sorted(codes)
            current, codes = contact_id, []
        codes.append(code)
    if current is not None:
        yield current, sorted(codes)


class _Merge:
    """Les codes d'un entretien, en avançant un flux de codes trié comme les entretiens : la
    tête du flux est celle de l'entretien courant, ou d'un entretien qui vient après."""

    def __init__(self, stream: Iterator[tuple[int, list[str]]]):
        self.stream = stream
        self.head = next(stream, None)

    def take(self, contact_id: int) -> str:
        if self.head is None or self.head[0] != contact_id:
            return ""
        codes = self.head[1]
        self.head = next(self.stream, None)
        return SEPARATOR.join(codes)


def rows(
    organisation: Organisation,
    year: int,
    pseudonym: Callable[[int], str],
    *,
    chunk: int = CHUNK,
) -> Iterator[Row]:
    """Une ligne par entretien de l'année, ordonnées par date puis par entretien ;
    ``pseudonym(person_id)`` donne la colonne ``pseudonyme``. Trois lectures en flux, triées de
    la même façon (entretiens, actions, problématiques), fusionnées au fil de l'eau."""
    base = contacts(organisation, year)
    stream = (
        base.order_by("on", "id")
        .values_list(
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
        .iterator(chunk_size=chunk)
    )
    actions = _Merge(_codes(ContactAction, base))
    problems = _Merge(_codes(ContactProblem, base))
    bands: dict[date, str] = {}
    for cid, on, mode, minutes, dep, programme, pid, sex, born in stream:
        band = bands.get(born)
        if band is None:
            band = bands[born] = report_rules.age_band(report_rules.age_on_dec31(born, year))
        yield (
            pseudonym(pid),
            sex,
            band,
            dep,
            programme,
            mode,
            on,
            minutes,
            actions.take(cid),
            problems.take(cid),
        )
