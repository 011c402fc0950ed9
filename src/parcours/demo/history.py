"""L'historique migré de la démonstration : les années passées d'un service qui existait avant
Parcours, importées par l'import d'historique du produit (formats.md §2), comme le ferait un
vrai service.

La démonstration « vivante » commence ~14 mois avant aujourd'hui (``demo.cases``) ; avant cette
date, le service avait son ancien outil. On écrit un lot (bénéficiaires, accompagnements,
entretiens) couvrant les quatre années précédentes jusqu'à ce démarrage, puis on l'importe par
``steering.history.run``. Les volumes suivent ceux de l'année en cours, avec une variation d'une
année sur l'autre tirée entre −5 % et +12 % (un service qui grandit un peu, avec des creux) : les
évolutions sur cinq ans et les tendances du tableau de bord ressemblent à celles d'un service
réel. Les agents de l'ancien outil sont les AS de la démonstration (la correspondance des
identifiants d'agents est posée avant l'import, comme lors d'une reprise réelle).
"""

from __future__ import annotations

import csv
import datetime
import random
import tempfile
from pathlib import Path

from django.db.models import Count

from parcours.cases.models import Case, Contact
from parcours.core import clock
from parcours.core.models import Organisation, User
from parcours.core.nomenclatures import Fonction, Programme
from parcours.demo import cases as demo_cases
from parcours.demo import people as demo_people
from parcours.demo.common import pick
from parcours.people.models import Person
from parcours.steering import history
from parcours.steering.models import ExternalRef

#: années passées importées (avec l'année en cours : les cinq ans des évolutions)
PAST_YEARS = 4
#: variation d'une année sur l'autre du nombre de personnes aidées (année suivante / année)
GROWTH = (0.95, 1.12)
#: part des personnes d'une année déjà suivies l'année précédente
RECURRING = 0.3
#: jours entre le démarrage de Parcours et aujourd'hui (``demo.cases`` : un an et deux mois)
LIVE_DAYS = 425


def _write(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    with (folder / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)


def _helped(organisation: Organisation, year: int) -> int:
    """Personnes ayant un entretien dans l'année (déjà en base : l'activité de démonstration)."""
    return (
        Contact.objects.filter(case__organisation=organisation, on__year=year)
        .values("case__person_id")
        .distinct()
        .count()
    )


def targets(rng: random.Random, current: int, already: dict[int, int], year: int) -> dict:
    """Personnes à importer par année passée : de l'année en cours vers le passé, chaque année
    vaut la suivante divisée par une croissance tirée dans ``GROWTH`` ; moins ce qui est déjà
    en base (la fin de l'année précédente est dans la démonstration vivante)."""
    wanted, value = {}, float(current)
    for y in range(year - 1, year - PAST_YEARS - 1, -1):
        value /= rng.uniform(*GROWTH)
        wanted[y] = max(0, round(value) - already.get(y, 0))
    return wanted


def bundle(organisation: Organisation, folder: Path, rng: random.Random, today) -> dict:
    """Écrit le lot des années passées dans ``folder`` ; renvoie les personnes par année."""
    cutoff = today - datetime.timedelta(days=LIVE_DAYS + 1)  # dernier jour de l'ancien outil
    year = today.year
    workers = {
        d: list(
            User.objects.filter(
                organisation=organisation, function=Fonction.AS, departements__code=d
            ).values_list("username", flat=True)
        )
        for d in organisation.departements.values_list("code", flat=True)
    }
    workers = {d: sorted(w) for d, w in workers.items() if w}
    live = list(
        Person.objects.filter(organisation=organisation, departement_id__in=workers)
        .values_list("sex", "birth_date", "departement_id", "commune_id")
        .order_by("pk")
    )
    programmes = list(
        Case.objects.filter(organisation=organisation)
        .values_list("programme")
        .annotate(n=Count("id"))
        .order_by("programme")
    )
    already = {y: _helped(organisation, y) for y in range(year - PAST_YEARS, year)}
    wanted = targets(rng, _helped(organisation, year), already, year)
    people: list[list[str]] = []
    cases: list[list[str]] = []
    contacts: list[list[str]] = []
    previous: list[tuple[str, str, datetime.date]] = []
    for y in sorted(wanted):
        first, last = datetime.date(y, 1, 1), min(datetime.date(y, 12, 31), cutoff)
        if last < first:
            continue
        cohort = rng.sample(previous, min(len(previous), round(wanted[y] * RECURRING)))
        while len(cohort) < wanted[y]:
            sex, born, dep, commune = rng.choice(live)
            born = born + datetime.timedelta(days=rng.randint(-700, 700))
            source = f"B{len(people) + 1}"
            given = rng.choice(demo_people.FIRST_F if sex == "F" else demo_people.FIRST_M)
            people.append(
                [
                    source,
                    "",
                    rng.choice(demo_people.LAST_NAMES),
                    given,
                    sex,
                    born.isoformat(),
                    commune or "",
                    dep,
                ]
            )
            cohort.append((source, dep, born))
        for source, dep, born in cohort:
            programme: str = pick(rng, programmes)
            case_id = f"C{len(cases) + 1}"
            referent = rng.choice(workers[dep])
            opened = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
            one_off = rng.random() < 0.35
            n = 1 if one_off else max(2, int(rng.gauss(7, 2.5)))
            end = min(last, opened + datetime.timedelta(days=max(0, int(rng.gauss(200, 60)))))
            dates = sorted(
                opened + datetime.timedelta(days=rng.randint(0, (end - opened).days))
                for _ in range(n)
            )
            dates[0] = opened
            closed = min(last, dates[-1] + datetime.timedelta(days=rng.randint(0, 20)))
            pdp = programme == Programme.PDP
            outcomes = demo_cases.PDP_OUTCOMES if pdp else demo_cases.GENERAL_OUTCOMES
            cases.append(
                [
                    case_id,
                    source,
                    programme,
                    pick(rng, demo_cases.ORIGINS),
                    dep,
                    referent,
                    opened.isoformat(),
                    closed.isoformat(),
                    pick(rng, outcomes),
                    pick(rng, [("MALADIE", 80), ("AT_MP", 20)]) if pdp else "",
                    pick(rng, demo_cases.SECTORS) if pdp else "",
                ]
            )
            older = (y - born.year) >= 60
            modes = demo_cases.MODES_OLDER if older else demo_cases.MODES_WORKING_AGE
            problems = demo_cases.PROBLEMS_OLDER if older else demo_cases.PROBLEMS_WORKING_AGE
            for on in dates:
                contacts.append(
                    [
                        f"E{len(contacts) + 1}",
                        case_id,
                        on.isoformat(),
                        pick(rng, modes),
                        referent,
                        str(rng.choice([20, 30, 45, 60])),
                        pick(rng, demo_cases.ACTIONS),
                        pick(rng, problems),
                    ]
                )
        previous = cohort
    _write(
        folder,
        "beneficiaires.csv",
        ["id", "nir", "nom", "prenom", "sexe", "date_naissance", "commune_insee", "departement"],
        people,
    )
    _write(
        folder,
        "accompagnements.csv",
        [
            "id",
            "beneficiaire_id",
            "programme",
            "origine",
            "departement",
            "referent_id",
            "date_debut",
            "date_fin",
            "issue",
            "risque",
            "secteur",
        ],
        cases,
    )
    _write(
        folder,
        "entretiens.csv",
        [
            "id",
            "accompagnement_id",
            "date",
            "mode",
            "agent_id",
            "duree_minutes",
            "actions",
            "problematiques",
        ],
        contacts,
    )
    return wanted


def map_agents(organisation: Organisation) -> None:
    """La correspondance des agents de l'ancien outil (leur identifiant) avec leurs comptes."""
    ExternalRef.objects.bulk_create(
        [
            ExternalRef(
                organisation=organisation,
                kind=ExternalRef.Kind.AGENT,
                source_id=username,
                object_id=pk,
            )
            for username, pk in User.objects.filter(
                organisation=organisation, function=Fonction.AS
            ).values_list("username", "pk")
        ],
        ignore_conflicts=True,
    )


def generate(*, code: str, seed: int) -> history.Report | None:
    """Écrit puis importe l'historique des années passées de l'organisme de démonstration."""
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        return None
    admin = User.objects.filter(organisation=organisation, is_org_admin=True).first()
    rng = random.Random(seed * 11 + 5)
    map_agents(organisation)
    with tempfile.TemporaryDirectory(prefix="parcours-historique-") as tmp:
        bundle(organisation, Path(tmp), rng, clock.today())
        result = history.run(tmp, organisation=organisation, dry_run=False, actor=admin)
    if result.errors:  # le lot est produit ici : une erreur est un défaut de la démonstration
        raise RuntimeError(f"historique de démonstration refusé : {result.errors[:3]}")
    return result
