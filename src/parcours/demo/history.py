"""L'historique migré de la démonstration : les années passées d'un service qui existait avant
Parcours, importées par l'import d'historique du produit (formats.md §2), comme le ferait un
vrai service.

La démonstration « vivante » commence ~14 mois avant aujourd'hui (``demo.cases``) ; avant cette
date, le service avait son ancien outil. On écrit un lot (bénéficiaires, accompagnements,
entretiens, signalements, offres de service, actions collectives, séances et présences,
contacts d'accueil) couvrant les quatre années précédentes jusqu'à ce démarrage, puis on
l'importe par ``steering.history.run``. Les volumes suivent ceux de l'année en cours (rapport
d'activité de l'année), avec une variation d'une année sur l'autre tirée entre −5 % et +12 %
(un service qui grandit un peu, avec des creux) : les évolutions sur cinq ans et les tendances
du tableau de bord ressemblent à celles d'un service réel. Les agents de l'ancien outil sont les
AS et l'accueil de la démonstration (la correspondance des identifiants d'agents est posée avant
l'import, comme lors d'une reprise réelle).
"""

from __future__ import annotations

import datetime
import random
import tempfile
from pathlib import Path

from django.db.models import Count

from parcours.cases.models import Case, Contact
from parcours.core import clock, tabular
from parcours.core.models import Organisation, User
from parcours.core.nomenclatures import Fonction, Programme
from parcours.demo import cases as demo_cases
from parcours.demo import outreach as demo_outreach
from parcours.demo import people as demo_people
from parcours.demo.common import pick
from parcours.people.models import Person
from parcours.steering import history, report
from parcours.steering.models import ExternalRef

#: années passées importées (avec l'année en cours : les cinq ans des évolutions)
PAST_YEARS = 4
#: variation d'une année sur l'autre du nombre de personnes aidées (année suivante / année)
GROWTH = (0.95, 1.12)
#: part des personnes d'une année déjà suivies l'année précédente
RECURRING = 0.3
#: actions collectives de chaque année et département (type, programme, intitulé) ; pas de
#: réunion d'information : une campagne d'offres ne propose pas une réunion passée
COLLECTIVE = [
    ("TSG", "PDP", "Groupe d'échanges « reprendre le travail »"),
    ("ATELIER", "BIEN_VIEILLIR", "Atelier bien vieillir"),
]
#: jours entre le démarrage de Parcours et aujourd'hui (``demo.cases`` : un an et deux mois)
LIVE_DAYS = 425


def _write(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    with (folder / name).open("w", encoding="utf-8", newline="") as handle:
        tabular.write_csv(handle, header, rows)


def _helped(organisation: Organisation, year: int) -> int:
    """Personnes ayant un entretien dans l'année (déjà en base : l'activité de démonstration)."""
    return (
        Contact.objects.filter(case__organisation=organisation, on__year=year)
        .values("case__person_id")
        .distinct()
        .count()
    )


def targets(rng: random.Random, current: int, year: int) -> dict[int, float]:
    """Personnes aidées voulues par année passée : de l'année en cours vers le passé, chaque
    année vaut la suivante divisée par une croissance tirée dans ``GROWTH``."""
    wanted, value = {}, float(current)
    for y in range(year - 1, year - PAST_YEARS - 1, -1):
        value /= rng.uniform(*GROWTH)
        wanted[y] = value
    return wanted


def _live_volumes(organisation: Organisation, year: int) -> dict[str, int]:
    """Ce que le rapport de l'année en cours compte, hors entretiens : les années passées en
    reçoivent autant, à l'échelle de leurs personnes aidées."""
    document = report.build(organisation, year, report.territory(organisation), departements=False)
    return {
        "signalements": document["signalements"]["total"],
        "offres": document["offres"]["envoyees"],
        "presents": document["collectif"]["participants"],
        "accueil": document["contacts_accueil"],
    }


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
    desk = {  # l'accueil (CSAM) de chaque département
        d: sorted(
            User.objects.filter(
                organisation=organisation, function=Fonction.CSAM, departements__code=d
            ).values_list("username", flat=True)
        )
        for d in workers
    }
    templates = list(
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
    current = _helped(organisation, year)
    wanted = targets(rng, current, year)
    live = _live_volumes(organisation, year)
    referrals: list[list[str]] = []
    offers: list[list[str]] = []
    actions: list[list[str]] = []
    sessions: list[list[str]] = []
    attendances: list[list[str]] = []
    front_line: list[list[str]] = []
    people: list[list[str]] = []
    cases: list[list[str]] = []
    contacts: list[list[str]] = []
    previous: list[tuple[str, str, datetime.date]] = []

    def new_person() -> tuple[str, str, datetime.date]:
        sex, born, dep, commune = rng.choice(templates)
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
        return source, dep, born

    def day(start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))

    for y in sorted(wanted):
        first, last = datetime.date(y, 1, 1), min(datetime.date(y, 12, 31), cutoff)
        if last < first:
            continue
        # la fin de l'année précédente est déjà dans la démonstration vivante
        size = max(0, round(wanted[y]) - _helped(organisation, y))
        share = wanted[y] / current if current else 0  # l'échelle de l'année en cours
        cohort = rng.sample(previous, min(len(previous), round(size * RECURRING)))
        while len(cohort) < size:
            cohort.append(new_person())
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
            origin = cases[-1][3]
            if origin == "SIGNALEMENT" and rng.random() < share * live["signalements"] / (
                0.48 * size or 1
            ):
                referrals.append(
                    [
                        f"S{len(referrals) + 1}",
                        source,
                        max(
                            first, opened - datetime.timedelta(days=rng.randint(2, 30))
                        ).isoformat(),
                        pick(rng, demo_outreach.REFERRAL_EMITTERS),
                        programme,
                        dep,
                    ]
                )
        # offres : envoyées par campagnes (un envoi tous les deux mois), un tiers suivies d'un
        # accompagnement ouvert dans les 60 jours, les autres restées sans réponse
        mailings = sorted({day(first, last) for _ in range(6)})
        opened_on = {c[1]: datetime.date.fromisoformat(c[6]) for c in cases if c[6] >= str(first)}
        for _ in range(round(share * live["offres"])):
            sent, status = rng.choice(mailings), rng.choice(["SANS_REPONSE", "REFUSEE"])
            answered = [
                (source, dep)
                for source, dep, _born in cohort
                if 5 <= (opened_on[source] - sent).days <= 60
            ]
            if answered and rng.random() < 0.3:
                (source, dep), status = rng.choice(answered), "ACCEPTEE"
            else:
                source, dep, _born = new_person()
            offers.append(
                [f"O{len(offers) + 1}", source, sent.isoformat(), "COURRIER", status, "", dep]
            )
        # actions collectives : un groupe PDP et un atelier par département
        by_dep: dict[str, list[str]] = {}
        for source, dep, _born in cohort:
            by_dep.setdefault(dep, []).append(source)
        present = round(share * live["presents"])
        for dep, members in sorted(by_dep.items()):
            for kind, programme, title in COLLECTIVE:
                action_id = f"A{len(actions) + 1}"
                actions.append([action_id, kind, programme, dep, f"{title} {y}"])
                pool = rng.sample(members, min(len(members), present // (2 * len(by_dep))))
                per_session = max(1, len(pool) // 6 + 1)
                for k in range(0, len(pool), per_session):
                    session_id = f"SE{len(sessions) + 1}"
                    sessions.append([session_id, action_id, day(first, last).isoformat(), ""])
                    attendances += [[session_id, p, "1"] for p in pool[k : k + per_session]]
        for _ in range(round(share * live["accueil"])):
            dep = rng.choice(sorted(workers))
            agent = rng.choice(desk[dep]) if desk.get(dep) else ""
            front_line.append(
                [day(first, last).isoformat(), dep, agent, "", "Demande d'information"]
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
    _write(
        folder,
        "signalements.csv",
        ["id", "beneficiaire_id", "date", "emetteur", "programme", "departement"],
        referrals,
    )
    _write(
        folder,
        "offres.csv",
        ["id", "beneficiaire_id", "date_envoi", "canal", "statut", "programme", "departement"],
        offers,
    )
    _write(
        folder,
        "actions_collectives.csv",
        ["id", "type", "programme", "departement", "intitule"],
        actions,
    )
    _write(folder, "seances.csv", ["id", "action_id", "date", "lieu"], sessions)
    _write(folder, "participations.csv", ["seance_id", "beneficiaire_id", "present"], attendances)
    _write(
        folder,
        "contacts_accueil.csv",
        ["date", "departement", "agent_id", "beneficiaire_id", "motif"],
        front_line,
    )
    return {y: round(v) for y, v in wanted.items()}


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
                organisation=organisation, function__in=[Fonction.AS, Fonction.CSAM]
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
