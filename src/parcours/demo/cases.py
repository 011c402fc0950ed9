"""Un an d'activité des accompagnements : ouvertures, entretiens, objectifs, notes, clôtures.

Proportions de ``domaine.md`` : ~35 % d'interventions ponctuelles, ~7 entretiens par
accompagnement suivi, visites à domicile fréquentes pour les plus âgés, issues PDP
21 / 34 / 21 / 24 %. Écrit en masse, avec événements et entrées d'audit.
"""

import datetime
import random

from parcours.cases.models import (
    Case,
    CaseEvent,
    Contact,
    ContactAction,
    ContactProblem,
    Objective,
    PrivateNote,
)
from parcours.core import clock
from parcours.core.models import AuditEntry, Organisation, Site, User
from parcours.core.nomenclatures import Mode, Programme
from parcours.demo.common import Summary
from parcours.demo.common import pick as _pick
from parcours.demo.people import Profile
from parcours.people.models import Person

ORIGINS = [
    ("SIGNALEMENT", 48),
    ("OFFRE_DE_SERVICE", 37),
    ("DEMANDE_DIRECTE", 10),
    ("INFORMATION_COLLECTIVE", 5),
]
MODES_WORKING_AGE = [
    (Mode.RECEPTION_RDV, 36),
    (Mode.TELEPHONE, 30),
    (Mode.VAD, 8),
    (Mode.PERMANENCE, 7),
    (Mode.ACCUEIL_SANS_RDV, 5),
    (Mode.VISIO, 5),
    (Mode.COURRIER, 4),
    (Mode.CONTACT_TIERS, 4),
    (Mode.RENCONTRE_INFORMELLE, 1),
]
MODES_OLDER = [
    (Mode.VAD, 24),
    (Mode.TELEPHONE, 28),
    (Mode.RECEPTION_RDV, 10),
    (Mode.CONTACT_TIERS, 8),
    (Mode.PERMANENCE, 4),
    (Mode.COURRIER, 3),
    (Mode.RENCONTRE_INFORMELLE, 1),
]
ACTIONS = [
    ("INFO_ORIENTATION", 35),
    ("DEMARCHES_LIAISONS", 28),
    ("EVALUATION_BESOINS", 30),
    ("RECHERCHE_INFORMATIONS", 17),
    ("AIDE_ADMINISTRATIVE", 14),
    ("PRESCRIPTION_PRESTATIONS", 16),
    ("MISE_EN_OEUVRE_SERVICES", 13),
    ("AIDE_AIDANTS", 5),
    ("SOUTIEN_PSYCHOSOCIAL", 10),
    ("CONSEIL_BUDGETAIRE", 6),
    ("AIDE_NUMERIQUE", 5),
]
PROBLEMS_WORKING_AGE = [
    ("EMPLOI", 40),
    ("SANTE", 30),
    ("ACCES_DROITS", 28),
    ("FINANCIERE", 18),
    ("HABITAT", 6),
    ("RELATIONS_FAMILIALES", 5),
    ("INSERTION_PRO", 6),
    ("ACCES_SOINS", 8),
    ("COMPLEMENTAIRE_SANTE", 6),
    ("HANDICAP", 3),
]
PROBLEMS_OLDER = [
    ("PERTE_AUTONOMIE", 50),
    ("ACCES_DROITS", 30),
    ("ISOLEMENT", 12),
    ("HOSPITALISATION", 14),
    ("HABITAT", 9),
    ("FINANCIERE", 10),
    ("DEUIL", 5),
    ("PLACEMENT", 5),
    ("RELATIONS_FAMILIALES", 6),
    ("FIN_DE_VIE", 1),
    ("MALTRAITANCE", 1),
]
PDP_OUTCOMES = [
    ("MAINTIEN_EMPLOI", 21),
    ("LICENCIEMENT_INAPTITUDE", 34),
    ("INVALIDITE_RETRAITE", 21),
    ("PARCOURS_SOINS", 24),
]
GENERAL_OUTCOMES = [
    ("OBJECTIFS_ATTEINTS", 55),
    ("ORIENTATION_PARTENAIRE", 20),
    ("ABANDON", 10),
    ("DECES", 5),
    ("DEMENAGEMENT", 5),
    ("AUTRE", 5),
]
SECTORS = [
    ("INDUSTRIE", 24),
    ("CONSTRUCTION", 12),
    ("TERTIAIRE_MARCHAND", 38),
    ("TERTIAIRE_NON_MARCHAND", 22),
    ("AGRICULTURE", 4),
]
NOTES = [
    "Point sur la situation et les démarches en cours.",
    "Visite au domicile : logement adapté, entourage présent.",
    "Échange avec le médecin du travail sur la visite de pré-reprise.",
    "Dossier de demande d'aide constitué avec la personne.",
    "Appel de suivi : la personne se dit rassurée.",
    "Orientation vers le CCAS pour une aide alimentaire.",
    "Préparation du retour à domicile après hospitalisation.",
    "Informations sur les droits à la retraite anticipée pour inaptitude.",
]
OBJECTIVES = [
    "Préparer la visite de pré-reprise",
    "Constituer le dossier MDPH",
    "Mettre en place une aide à domicile",
    "Ouvrir les droits à la complémentaire santé",
    "Rompre l'isolement : inscription à un atelier",
    "Stabiliser le budget du foyer",
]


def activity(
    organisation: Organisation,
    persons: list[tuple[Person, Profile]],
    workers: dict[str, list[User]],
    sites: dict[str, list[Site]],
    rng: random.Random,
    today: datetime.date,
    summary: Summary,
) -> None:
    """Un accompagnement par personne (parfois un plus ancien, clos) et son année d'entretiens ;
    ``summary`` reçoit les comptes."""
    year_ago = today - datetime.timedelta(days=365)
    cases, plans = [], []
    for person, profile in persons:
        referent = rng.choice(workers[person.departement_id])
        opened = (
            year_ago - datetime.timedelta(days=60) + datetime.timedelta(days=rng.randint(0, 420))
        )
        opened = min(opened, today)
        one_off = rng.random() < 0.35
        n_contacts = 1 if one_off else max(2, int(rng.gauss(7, 2.5)))
        older = profile.age >= 60
        # Quelques accompagnements en sommeil : dernier entretien il y a plus de 4 mois.
        dormant = not one_off and rng.random() < 0.06
        span_end = min(today, opened + datetime.timedelta(days=int(rng.gauss(200, 60))))
        if dormant:
            span_end = min(span_end, today - datetime.timedelta(days=rng.randint(125, 200)))
        span_end = max(span_end, opened)
        dates = sorted(
            opened + datetime.timedelta(days=rng.randint(0, (span_end - opened).days))
            for _ in range(n_contacts)
        )
        dates[0] = opened
        closes = (
            rng.random() < (0.75 if one_off else 0.30)
            and not dormant
            and (today - dates[-1]).days > 7
        )
        if not closes and not dormant and (today - dates[-1]).days > 75:
            # Un accompagnement ouvert et suivi a eu un entretien récent (≈ 5 % en sommeil).
            dates[-1] = max(opened, today - datetime.timedelta(days=rng.randint(0, 75)))
            dates.sort()
        case = Case(
            organisation=organisation,
            person=person,
            programme=profile.programme,
            origin=_pick(rng, ORIGINS),
            departement_id=person.departement_id,
            referent=referent,
            opened_on=opened,
        )
        if profile.programme == Programme.PDP:
            case.risk = _pick(rng, [("MALADIE", 80), ("AT_MP", 20)])
            case.sector = _pick(rng, SECTORS)
            case.employment_contract = _pick(
                rng, [("CDI", 70), ("CDD", 15), ("INTERIM", 8), ("AUTRE", 4), ("SANS", 3)]
            )
        if closes:
            case.state = Case.State.CLOS
            case.closed_on = min(today, dates[-1] + datetime.timedelta(days=rng.randint(0, 20)))
            case.outcome = _pick(
                rng, PDP_OUTCOMES if profile.programme == Programme.PDP else GENERAL_OUTCOMES
            )
            summary.closed += 1
        if rng.random() < 0.3:
            case.synthesis = rng.choice(NOTES)
        cases.append(case)
        plans.append((dates, older, referent))
        if rng.random() < 0.10:  # un accompagnement plus ancien : la chronologie couvre des années
            earlier = opened - datetime.timedelta(days=rng.randint(500, 1100))
            past = sorted(
                earlier + datetime.timedelta(days=rng.randint(0, 150))
                for _ in range(rng.randint(2, 4))
            )
            past[0] = earlier
            cases.append(
                Case(
                    organisation=organisation,
                    person=person,
                    programme=profile.programme,
                    origin=_pick(rng, ORIGINS),
                    departement_id=person.departement_id,
                    referent=referent,
                    opened_on=earlier,
                    state=Case.State.CLOS,
                    closed_on=past[-1] + datetime.timedelta(days=rng.randint(1, 30)),
                    outcome=_pick(
                        rng,
                        PDP_OUTCOMES if profile.programme == Programme.PDP else GENERAL_OUTCOMES,
                    ),
                    risk=case.risk,
                    sector=case.sector,
                    employment_contract=case.employment_contract,
                )
            )
            plans.append((past, older, referent))
            summary.closed += 1
    cases = Case.objects.bulk_create(cases, batch_size=500)
    summary.cases = len(cases)
    events, contacts, objectives, notes = [], [], [], []
    olders = []  # pour chaque entretien : la personne a-t-elle 60 ans ou plus ?
    for case, (dates, older, referent) in zip(cases, plans, strict=True):
        events.append(
            CaseEvent(
                case=case,
                kind=CaseEvent.Kind.OUVERTURE,
                on=case.opened_on,
                by=referent,
                details={"referent": referent.pk},
            )
        )
        if case.closed_on:
            events.append(
                CaseEvent(
                    case=case,
                    kind=CaseEvent.Kind.CLOTURE,
                    on=case.closed_on,
                    by=referent,
                    details={"issue": case.outcome},
                )
            )
        for on in dates:
            mode = _pick(rng, MODES_OLDER if older else MODES_WORKING_AGE)
            contact = Contact(
                organisation=organisation,
                case=case,
                on=on,
                mode=mode,
                staff=referent,
                duration_minutes=rng.choice([20, 30, 45, 45, 60, 90])
                if mode != Mode.COURRIER
                else None,
                site=rng.choice(sites[case.departement_id])
                if mode in (Mode.RECEPTION_RDV, Mode.PERMANENCE, Mode.ACCUEIL_SANS_RDV)
                else None,
                note=rng.choice(NOTES) if rng.random() < 0.4 else "",
            )
            contacts.append(contact)
            olders.append(older)
        if len(dates) > 2 and rng.random() < 0.5:
            objectives.append(
                Objective(
                    case=case,
                    label=rng.choice(OBJECTIVES),
                    created_by=referent,
                    status=rng.choice(["en_cours", "en_cours", "atteint"]),
                )
            )
        if rng.random() < 0.08:
            notes.append(
                PrivateNote(
                    case=case,
                    author=referent,
                    text="Note personnelle : à revoir lors du prochain entretien.",
                )
            )
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    Objective.objects.bulk_create(objectives, batch_size=1000)
    PrivateNote.objects.bulk_create(notes, batch_size=1000)
    contacts = Contact.objects.bulk_create(contacts, batch_size=1000)
    summary.contacts = len(contacts)
    summary.home_visits = sum(1 for c in contacts if c.mode == Mode.VAD)
    actions, problems = [], []
    for contact, older in zip(contacts, olders, strict=True):
        for code in set(
            rng.choices([a for a, _ in ACTIONS], [w for _, w in ACTIONS], k=rng.randint(1, 3))
        ):
            actions.append(ContactAction(contact=contact, code=code))
        weighted = PROBLEMS_OLDER if older else PROBLEMS_WORKING_AGE
        for code in set(
            rng.choices([p for p, _ in weighted], [w for _, w in weighted], k=rng.randint(1, 2))
        ):
            problems.append(ContactProblem(contact=contact, code=code))
    ContactAction.objects.bulk_create(actions, batch_size=2000)
    ContactProblem.objects.bulk_create(problems, batch_size=2000)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                organisation=organisation,
                actor=c.referent,
                at=clock.now(),
                action=AuditEntry.Action.CREATE,
                object_type="case",
                object_id=str(c.pk),
                person_id=c.person_id,
                summary="Ouverture d'un accompagnement (démonstration)",
            )
            for c in cases
        ],
        batch_size=1000,
    )
