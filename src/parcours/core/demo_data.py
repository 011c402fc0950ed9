"""L'organisme de démonstration : 2 départements, 12 agents, ~2 000 personnes, un an d'activité.

Déterministe pour une graine donnée ; « aujourd'hui » vient de ``core.clock``. Les proportions
suivent ``domaine.md`` : PDP majoritaire, 9 personnes sur 10 détectées (signalement, offre de
service), ~35 % d'interventions ponctuelles, ~7 entretiens par accompagnement suivi, visites à
domicile fréquentes pour les plus âgés, issues PDP 21 / 34 / 21 / 24 %.

Les écritures passent par les mêmes fonctions que les services (clés de recherche, chiffrement du
NIR, événements, audit), en masse pour tenir en quelques secondes.
"""

import datetime
import random
import time
import zoneinfo
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

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
from parcours.core.models import AuditEntry, Commune, Organisation, Sector, Site, User
from parcours.core.nomenclatures import Fonction, Mode, Programme
from parcours.outreach.models import Appointment, AppointmentRequest
from parcours.people.models import Person
from parcours.people.services import derive_search_keys, set_nir
from parcours.rules import nir as nir_rules

DEMO_PASSWORD = "parcours-demo-2026"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")

STAFF = [
    # identifiant, prénom, nom, fonction, départements, ETP, administrateur
    ("as.ain", "Claire", "Morel", Fonction.AS, ["01"], "1.00", False),
    ("as2.ain", "Julien", "Perrin", Fonction.AS, ["01"], "1.00", False),
    ("as.rhone", "Samia", "Benali", Fonction.AS, ["69"], "1.00", False),
    ("as2.rhone", "Thomas", "Girard", Fonction.AS, ["69"], "1.00", False),
    ("as3.rhone", "Nadia", "Lopez", Fonction.AS, ["69"], "0.80", False),
    ("csam.ain", "Léa", "Fournier", Fonction.CSAM, ["01"], "1.00", False),
    ("csam.rhone", "Karim", "Mansouri", Fonction.CSAM, ["69"], "1.00", False),
    ("secretaire.rhone", "Isabelle", "Roux", Fonction.SECRETAIRE, ["69"], "1.00", False),
    ("manager.ain", "Paul", "Chevalier", Fonction.MANAGER, ["01"], "1.00", False),
    ("manager.rhone", "Sophie", "Lambert", Fonction.MANAGER, ["69"], "1.00", False),
    ("pilotage", "Hélène", "Garnier", Fonction.PILOTAGE, ["01", "69"], "1.00", False),
    ("admin", "Marc", "Renaud", "", ["01", "69"], "1.00", True),
]
DEMO_LOGINS = [
    ("as.ain, as2.ain, as.rhone, as2.rhone, as3.rhone", "assistant·e de service social"),
    ("csam.ain, csam.rhone, secretaire.rhone", "accueil"),
    ("manager.ain, manager.rhone", "responsable d'équipe"),
    ("pilotage", "pilotage"),
    ("admin", "administrateur (second facteur à enrôler à la première connexion)"),
]
SITES = [
    (
        "Point d'accueil Bourg-en-Bresse",
        Site.Kind.ACCUEIL_PERMANENT,
        "01",
        "01053",
        "1 place de la Grenouillère",
        "",
    ),
    (
        "Consultation Oyonnax",
        Site.Kind.POINT_CONSULTATION,
        "01",
        "01283",
        "13 rue Brillat-Savarin",
        "",
    ),
    (
        "Permanence France Services Belley",
        Site.Kind.PERMANENCE_PARTENAIRE,
        "01",
        "01034",
        "34 Grande Rue",
        "France Services de Belley",
    ),
    (
        "Agence Lyon Part-Dieu",
        Site.Kind.ACCUEIL_PERMANENT,
        "69",
        "69123",
        "35 rue Maurice Flandin",
        "",
    ),
    (
        "Accueil sur rendez-vous Villeurbanne",
        Site.Kind.SUR_RDV,
        "69",
        "69266",
        "3 avenue Henri Barbusse",
        "",
    ),
    (
        "Permanence centre de santé Vénissieux",
        Site.Kind.PERMANENCE_PARTENAIRE,
        "69",
        "69259",
        "8 boulevard Laurent Gérin",
        "Centre de santé municipal",
    ),
]
LAST_NAMES = (
    "Martin,Bernard,Thomas,Petit,Robert,Richard,Durand,Dubois,Moreau,Laurent,Simon,Michel,"
    "Lefèvre,Leroy,Roux,David,Bertrand,Morel,Fournier,Girard,Bonnet,Dupont,Lambert,Fontaine,"
    "Rousseau,Vincent,Muller,Lefebvre,Faure,André,Mercier,Blanc,Guérin,Boyer,Garnier,Chevalier,"
    "François,Legrand,Gauthier,Garcia,Perrin,Robin,Clément,Morin,Nicolas,Henry,Roussel,Mathieu,"
    "Gautier,Masson,Marchand,Duval,Denis,Dumont,Marie,Lemaire,Noël,Meyer,Dufour,Meunier,Brun,"
    "Blanchard,Giraud,Joly,Rivière,Lucas,Brunet,Gaillard,Barbier,Arnaud,Martinez,Gérard,Roche,"
    "Renard,Schmitt,Roy,Leroux,Colin,Vidal,Caron,Picard,Roger,Fabre,Aubert,Lemoine,Renaud,Dumas,"
    "Lacroix,Olivier,Philippe,Bourgeois,Pierre,Benoît,Rey,Leclerc,Payet,Rolland,Leclercq,"
    "Guillaume,Lecomte,Lopez,Jean,Dupuy,Guillot,Hubert,Berger,Carpentier,Sanchez,Dupuis,Moulin,"
    "Louis,Deschamps,Huet,Vasseur,Perez,Boucher,Fleury,Royer,Klein,Jacquet,Adam,Paris,Poirier,"
    "Marty,Aubry,Guyot,Carré,Charles,Renault,Charpentier,Ménard,Maillard,Baron,Bertin,Bailly,"
    "Hervé,Schneider,Fernandez,Le Gall,Collet,Léger,Bouvier,Julien,Prévost,Millet,Perrot,Daniel,"
    "Le Roux,Cousin,Germain,Breton,Besson,Langlois,Rémy,Le Goff,Pelletier,Lévêque,Perrier,"
    "Benali,Haddad,Mansouri,Nguyen,Diallo,Traoré,Ferreira,Da Silva,Pereira,Rodrigues"
).split(",")
FIRST_F = (
    "Marie,Nathalie,Isabelle,Sylvie,Catherine,Françoise,Christine,Monique,Valérie,Sandrine,"
    "Hélène,Camille,Léa,Chloé,Zoé,Anne,Élodie,Julie,Sophie,Brigitte,Jeanne,Odile,Agnès,Josiane,"
    "Martine,Nicole,Danielle,Fatima,Aïcha,Inès,Manon,Laura,Céline,Aurélie,Émilie,Lucie,Yvette,"
    "Simone,Germaine,Colette"
).split(",")
FIRST_M = (
    "Jean,Pierre,Michel,Philippe,Alain,Nicolas,Christophe,Patrick,Daniel,Bernard,Éric,Laurent,"
    "Thomas,Hugo,Lucas,Louis,Gérard,René,Marcel,André,Jacques,Olivier,Stéphane,Mathieu,Karim,"
    "Mohamed,Youssef,Julien,David,Sébastien,Frédéric,Maurice,Roger,Henri,Georges,Lucien,Raymond,"
    "Antoine,Kevin"
).split(",")
STREETS = [
    "rue de la République",
    "avenue Jean Jaurès",
    "rue Victor Hugo",
    "place du Marché",
    "chemin des Vignes",
    "rue Pasteur",
    "boulevard Gambetta",
    "rue des Écoles",
    "allée des Tilleuls",
    "rue du Stade",
    "impasse des Lilas",
    "route de Lyon",
]

# Programmes : PDP > 50 % (Carsat), puis retour à domicile, bien vieillir, parcours santé…
PROGRAMMES = [
    (Programme.PDP, 52),
    (Programme.RETOUR_DOMICILE, 14),
    (Programme.BIEN_VIEILLIR, 13),
    (Programme.PARCOURS_SANTE, 11),
    (Programme.DEUIL, 6),
    (Programme.AUTRE, 4),
]
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


def _pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


@dataclass
class Summary:
    people: int = 0
    cases: int = 0
    contacts: int = 0
    home_visits: int = 0
    closed: int = 0
    seconds: float = 0.0
    lines: list[str] = field(default_factory=list)


def exists(code: str) -> bool:
    return Person.objects.filter(organisation__code=code).exists()


def reset(code: str) -> None:
    """Efface l'activité de démonstration ; agents, lieux et journal d'audit (immuable) restent."""
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        return
    with transaction.atomic():
        cases = Case.objects.filter(organisation=organisation)
        Contact.objects.filter(case__in=cases).delete()
        cases.delete()
        Appointment.objects.filter(organisation=organisation).delete()
        AppointmentRequest.objects.filter(organisation=organisation).delete()
        Person.objects.filter(organisation=organisation).delete()
        Sector.objects.filter(organisation=organisation).delete()


def generate(*, code: str = "carsat-demo", people: int = 2000, seed: int = 2026) -> Summary:
    started = time.perf_counter()
    rng = random.Random(seed)
    today = clock.today()
    summary = Summary()
    with transaction.atomic():
        organisation = _organisation(code)
        staff = _staff(organisation)
        sites = _sites(organisation)
        _sectors(organisation, staff, rng)
        workers = {
            d: [u for u in staff.values() if u.function == Fonction.AS and d in u.demo_departements]
            for d in ("01", "69")
        }
        communes = {
            d: list(
                Commune.objects.filter(departement_id=d)
                .exclude(population__isnull=True)
                .values_list("code", "population", "postal_codes")
            )
            for d in ("01", "69")
        }
        persons = _people(organisation, staff["csam.ain"], people, rng, today, communes)
        summary.people = len(persons)
        _activity(organisation, persons, workers, sites, rng, today, summary)
        _appointments(organisation, persons, workers, sites, staff, rng, today)
    summary.seconds = time.perf_counter() - started
    return summary


def _organisation(code):
    organisation, _ = Organisation.objects.update_or_create(
        code=code,
        defaults={
            "name": "Carsat Rhône-Alpes (démonstration)",
            "kind": Organisation.Kind.CARSAT,
            "region_id": "84",
            "home_visit_target": 300,
        },
    )
    organisation.departements.set(["01", "69"])
    return organisation


def _staff(organisation):
    staff = {}
    for username, first, last, function, deps, fte, admin in STAFF:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "function": function,
                "organisation": organisation,
                "fte": fte,
                "is_org_admin": admin,
                "email": f"{username}@demo.parcours.invalid",
                "is_active": True,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.departements.set(deps)
        user.demo_departements = deps
        staff[username] = user
    return staff


def _sites(organisation):
    sites = {}
    for name, kind, dep, commune, address, partner in SITES:
        site, _ = Site.objects.update_or_create(
            organisation=organisation,
            name=name,
            defaults={
                "kind": kind,
                "departement_id": dep,
                "commune_id": commune,
                "address": address,
                "partner": partner,
            },
        )
        sites.setdefault(dep, []).append(site)
    for username, dep in (
        ("as.ain", "01"),
        ("as2.ain", "01"),
        ("csam.ain", "01"),
        ("manager.ain", "01"),
        ("as.rhone", "69"),
        ("as2.rhone", "69"),
        ("as3.rhone", "69"),
        ("csam.rhone", "69"),
        ("secretaire.rhone", "69"),
        ("manager.rhone", "69"),
    ):
        User.objects.filter(username=username).update(site=sites[dep][0])
    return sites


def _sectors(organisation, staff, rng):
    for dep, names in (
        ("01", ["as.ain", "as2.ain"]),
        ("69", ["as.rhone", "as2.rhone", "as3.rhone"]),
    ):
        codes = list(
            Commune.objects.filter(departement_id=dep)
            .order_by("code")
            .values_list("code", flat=True)
        )
        size = len(codes) // len(names) + 1
        for i, username in enumerate(names):
            sector, _ = Sector.objects.update_or_create(
                organisation=organisation,
                name=f"Secteur {dep}-{i + 1}",
                defaults={"departement_id": dep, "social_worker": staff[username]},
            )
            sector.communes.set(codes[i * size : (i + 1) * size])


def _people(organisation, creator, count, rng, today, communes):
    persons = []
    for i in range(count):
        dep = "69" if i % 5 < 3 else "01"  # Rhône 60 %, Ain 40 %
        programme = _pick(rng, PROGRAMMES)
        if programme == Programme.PDP:
            age = rng.randint(24, 62)
        elif programme in (Programme.BIEN_VIEILLIR, Programme.RETOUR_DOMICILE):
            age = min(int(rng.triangular(60, 98, 80)), 99)
        else:
            age = rng.randint(25, 90)
        birth = today - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
        sex = (
            rng.choice("FM")
            if programme != Programme.BIEN_VIEILLIR
            else rng.choices("FM", [65, 35])[0]
        )
        first = rng.choice(FIRST_F if sex == "F" else FIRST_M)
        if rng.random() < 0.25:
            first += " " + rng.choice(FIRST_F if sex == "F" else FIRST_M)
        last = rng.choice(LAST_NAMES)
        code, _, postal = rng.choices(communes[dep], [p for _, p, _ in communes[dep]])[0]
        phone = f"0{rng.choice('4466677')}{rng.randrange(10**8):08d}"
        person = Person(
            organisation=organisation,
            last_name=last,
            first_names=first,
            sex=sex,
            birth_date=birth,
            departement_id=dep,
            commune_id=code,
            postal_code=postal.split()[0] if postal else "",
            address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            phone=phone if rng.random() < 0.9 else "",
            email=f"{first.split()[0].lower()}.{last.lower()}@exemple.fr".replace(" ", "")
            if rng.random() < 0.35
            else "",
            status="RETRAITE" if age >= 62 else "ASSURE",
            housing=_pick(rng, [("LOCATAIRE", 50), ("PROPRIETAIRE", 40), ("HEBERGE", 10)]),
            family_situation=_pick(
                rng, [("EN_COUPLE", 45), ("CELIBATAIRE", 20), ("SEPARE", 20), ("VEUF", 15)]
            ),
            employment="RETRAITE" if age >= 62 else "SALARIE",
            gir=rng.choice([4, 5, 5, 6, 6, 6]) if age >= 75 else None,
            created_by=creator,
        )
        person.demo_programme = programme
        person.demo_age = age
        derive_search_keys(person)
        if rng.random() < 0.8:
            base = (
                f"{'1' if sex == 'M' else '2'}{birth.year % 100:02d}{birth.month:02d}"
                f"{dep}{code[2:]}{rng.randint(1, 999):03d}"
            )
            set_nir(person, f"{base}{nir_rules.compute_key(base):02d}")
        persons.append(person)
    created = Person.objects.bulk_create(persons, batch_size=500)
    for person, original in zip(created, persons, strict=True):
        person.demo_programme, person.demo_age = original.demo_programme, original.demo_age
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                organisation=organisation,
                actor=creator,
                at=clock.now(),
                action=AuditEntry.Action.CREATE,
                object_type="person",
                object_id=str(p.pk),
                person_id=p.pk,
                summary="Création de la fiche (démonstration)",
            )
            for p in created
        ],
        batch_size=1000,
    )
    return created


def _activity(organisation, persons, workers, sites, rng, today, summary):
    year_ago = today - datetime.timedelta(days=365)
    cases, plans = [], []
    for person in persons:
        referent = rng.choice(workers[person.departement_id])
        opened = (
            year_ago - datetime.timedelta(days=60) + datetime.timedelta(days=rng.randint(0, 420))
        )
        opened = min(opened, today)
        one_off = rng.random() < 0.35
        n_contacts = 1 if one_off else max(2, int(rng.gauss(7, 2.5)))
        older = person.demo_age >= 60
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
            programme=person.demo_programme,
            origin=_pick(rng, ORIGINS),
            departement_id=person.departement_id,
            referent=referent,
            opened_on=opened,
        )
        if person.demo_programme == Programme.PDP:
            case.risk = _pick(rng, [("MALADIE", 80), ("AT_MP", 20)])
            case.sector = _pick(rng, SECTORS)
            case.employment_contract = _pick(
                rng, [("CDI", 70), ("CDD", 15), ("INTERIM", 8), ("AUTRE", 4), ("SANS", 3)]
            )
        if closes:
            case.state = Case.State.CLOS
            case.closed_on = min(today, dates[-1] + datetime.timedelta(days=rng.randint(0, 20)))
            case.outcome = _pick(
                rng, PDP_OUTCOMES if person.demo_programme == Programme.PDP else GENERAL_OUTCOMES
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
                    programme=person.demo_programme,
                    origin=_pick(rng, ORIGINS),
                    departement_id=person.departement_id,
                    referent=referent,
                    opened_on=earlier,
                    state=Case.State.CLOS,
                    closed_on=past[-1] + datetime.timedelta(days=rng.randint(1, 30)),
                    outcome=_pick(
                        rng,
                        PDP_OUTCOMES
                        if person.demo_programme == Programme.PDP
                        else GENERAL_OUTCOMES,
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
            contact.demo_older = older
            contacts.append(contact)
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
    for contact in contacts:
        for code in set(
            rng.choices([a for a, _ in ACTIONS], [w for _, w in ACTIONS], k=rng.randint(1, 3))
        ):
            actions.append(ContactAction(contact=contact, code=code))
        weighted = PROBLEMS_OLDER if contact.demo_older else PROBLEMS_WORKING_AGE
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


def _appointments(organisation, persons, workers, sites, staff, rng, today):
    monday = today - datetime.timedelta(days=today.weekday())
    requests, appointments = [], []
    desk = {"01": staff["csam.ain"], "69": staff["csam.rhone"]}
    by_dep = {d: [p for p in persons if p.departement_id == d] for d in ("01", "69")}
    for dep, worker_list in workers.items():
        for worker in worker_list:
            # Demandes en attente : certaines au-delà de 15 jours.
            for waited in (3, 9, 14, 17, 23):
                person = rng.choice(by_dep[dep])
                requests.append(
                    AppointmentRequest(
                        organisation=organisation,
                        person=person,
                        departement_id=dep,
                        received_on=today - datetime.timedelta(days=waited + rng.randint(0, 2)),
                        channel=rng.choice(["TELEPHONE", "COURRIER", "EMAIL"]),
                        reason=rng.choice(
                            [
                                "Difficultés à la reprise du travail",
                                "Aide à domicile après hospitalisation",
                                "Démarches suite au décès du conjoint",
                                "Demande d'information sur les aides",
                            ]
                        ),
                        assigned_to=worker,
                        created_by=desk[dep],
                    )
                )
            # Rendez-vous de la semaine passée, de celle-ci et de la suivante.
            for day_offset in range(-7, 12):
                day = monday + datetime.timedelta(days=day_offset)
                if day.weekday() >= 5 or rng.random() < 0.4:
                    continue
                hour = rng.choice([9, 10, 11, 14, 15, 16])
                starts = timezone.make_aware(
                    datetime.datetime.combine(day, datetime.time(hour, rng.choice([0, 30]))), PARIS
                )
                mode = _pick(
                    rng,
                    [
                        (Mode.RECEPTION_RDV, 45),
                        (Mode.VAD, 35),
                        (Mode.TELEPHONE, 15),
                        (Mode.VISIO, 5),
                    ],
                )
                status = Appointment.Status.PREVU
                if starts < clock.now():
                    status = _pick(
                        rng, [(Appointment.Status.HONORE, 85), (Appointment.Status.MANQUE, 15)]
                    )
                appointments.append(
                    Appointment(
                        organisation=organisation,
                        person=rng.choice(by_dep[dep]),
                        staff=worker,
                        starts_at=starts,
                        mode=mode,
                        status=status,
                        created_by=desk[dep],
                        site=sites[dep][0] if mode == Mode.RECEPTION_RDV else None,
                    )
                )
    answered = _answered_requests(organisation, by_dep, workers, sites, desk, rng, today)
    AppointmentRequest.objects.bulk_create(requests + [r for r, _ in answered])
    Appointment.objects.bulk_create(appointments + [a for _, a in answered])


def _answered_requests(organisation, by_dep, workers, sites, desk, rng, today):
    """Demandes de l'année passée suivies d'un rendez-vous : environ 87 % dans les 15 jours
    (Carsat 2020 : 87,2 %), les autres entre 16 et 35 jours ; 85 % des rendez-vous honorés."""
    pairs = []
    for dep, worker_list in workers.items():
        for worker in worker_list:
            for _ in range(30):
                person = rng.choice(by_dep[dep])
                received = today - datetime.timedelta(days=rng.randint(40, 330))
                delay = rng.randint(1, 15) if rng.random() < 0.87 else rng.randint(16, 35)
                day = received + datetime.timedelta(days=delay)
                while day.weekday() >= 5:
                    day += datetime.timedelta(days=1)
                request = AppointmentRequest(
                    organisation=organisation,
                    person=person,
                    departement_id=dep,
                    received_on=received,
                    channel=rng.choice(["TELEPHONE", "COURRIER", "EMAIL"]),
                    reason="Demande de rendez-vous",
                    assigned_to=worker,
                    created_by=desk[dep],
                    status=AppointmentRequest.Status.PLANIFIEE,
                )
                starts = timezone.make_aware(
                    datetime.datetime.combine(day, datetime.time(rng.choice([9, 10, 14, 15]))),
                    PARIS,
                )
                appointment = Appointment(
                    organisation=organisation,
                    person=person,
                    request=request,
                    staff=worker,
                    starts_at=starts,
                    mode=Mode.RECEPTION_RDV,
                    status=_pick(
                        rng, [(Appointment.Status.HONORE, 85), (Appointment.Status.MANQUE, 15)]
                    ),
                    created_by=desk[dep],
                    site=sites[dep][0],
                )
                pairs.append((request, appointment))
    return pairs
