"""Données de démonstration de la détection et de l'agenda.

- ``appointments`` (appelé par ``base.generate``, avec sa graine) : demandes de rendez-vous et
  rendez-vous des AS ;
- ``generate`` : signalements, contacts d'accueil, plages d'agenda, un ciblage réel et une
  campagne ; les offres acceptées mènent à un premier entretien ;
- ``generate_extract`` : un extrait d'arrêts de travail réaliste (démonstration, mesures, tests).
"""

import datetime
import random
import tempfile
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from parcours.cases import services as case_services
from parcours.cases.models import Case
from parcours.core import clock
from parcours.core.models import Organisation, Site, User
from parcours.core.nomenclatures import Fonction, Mode
from parcours.demo import partners as demo_partners
from parcours.demo.common import PARIS
from parcours.demo.common import pick as _pick
from parcours.outreach import services
from parcours.outreach.models import (
    Appointment,
    AppointmentRequest,
    Campaign,
    FrontLineContact,
    Permanence,
    Referral,
    ServiceOffer,
    TargetingEntry,
    TargetingRun,
)
from parcours.people.models import Person
from parcours.rules import nir as nir_rules
from parcours.rules.sick_leave_extract import COLUMNS

HEADER = ";".join(COLUMNS)
POSTAL_CODES = {
    "01053": "01000",
    "01283": "01100",
    "69123": "69003",
    "69266": "69100",
    "69029": "69500",
    "69259": "69200",
    "38185": "38000",
    "42218": "42000",
}


def generate_extract(
    path: Path, count: int, *, seed: int = 1, extraction=None, communes=None, names=None
) -> Path:
    """Un extrait réaliste de ``count`` lignes : ~55 % d'arrêts de plus de 60 jours."""
    extraction = extraction or datetime.date(2026, 6, 1)
    rng = random.Random(seed)
    communes = communes or ["01053", "01283", "69123", "69266", "69029", "38185", "42218"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER + "\n")
        for i in range(count):
            sex = rng.choice("FM")
            birth = datetime.date(1962, 1, 1) + datetime.timedelta(days=rng.randrange(16000))
            base = (
                f"{'2' if sex == 'F' else '1'}{birth.year % 100:02d}{birth.month:02d}"
                f"{rng.choice(['01', '69', '38', '75'])}{i // 1000 % 1000:03d}{i % 1000:03d}"
            )
            start = extraction - datetime.timedelta(days=rng.randrange(3, 140))
            handle.write(
                ";".join(
                    [
                        base + f"{nir_rules.compute_key(base):02d}",
                        rng.choice(names) if names else f"Nom{i}",
                        rng.choice(["Claire", "Jean", "Léa", "Marc", "Zoé"]),
                        sex,
                        birth.isoformat(),
                        commune := rng.choice(communes),
                        f"{rng.randrange(1, 200)} rue de la République",
                        POSTAL_CODES.get(commune, ""),
                        start.isoformat(),
                        rng.choice(["MALADIE", "MALADIE", "AT_MP"]),
                        f"06{rng.randrange(10**8):08d}",
                        "",
                    ]
                )
                + "\n"
            )
    return path


# --- Démonstration ------------------------------------------------------------------------

REFERRAL_EMITTERS = [
    ("SERVICE_MEDICAL", 40),
    ("ETABLISSEMENT_SANTE", 20),
    ("SANTE_TRAVAIL", 8),
    ("RETRAITE", 8),
    ("CCAS", 6),
    ("DEPARTEMENT", 5),
    ("CAP_EMPLOI", 4),
    ("MDPH", 3),
    ("FAMILLE", 4),
    ("ASSOCIATION", 2),
]
REFERRAL_REASONS = {
    "PDP": ["Arrêt long, inquiétude sur la reprise", "Avis d'inaptitude probable"],
    "RETOUR_DOMICILE": ["Sortie d'hospitalisation, vit seul·e", "Retour à domicile difficile"],
    "BIEN_VIEILLIR": ["Isolement signalé par la famille", "Perte d'autonomie"],
    "PARCOURS_SANTE": ["Renoncement aux soins", "Pas de complémentaire santé"],
    "DEUIL": ["Décès du conjoint", "Veuvage récent, difficultés administratives"],
}
FRONT_LINE_REASONS = [
    "Question sur les indemnités journalières",
    "Demande d'aide à domicile",
    "Information sur la complémentaire santé solidaire",
    "Difficultés après le décès du conjoint",
    "Demande de rendez-vous avec une assistante sociale",
    "Renseignements sur la retraite pour inaptitude",
]


def _meet_accepted(offers, staff, rng, today):
    """Les offres acceptées mènent à un premier entretien (accompagnement PDP ouvert par l'AS du
    département, origine « offre de service ») : l'entonnoir et le rapport le comptent."""
    referents = {"01": staff["as.ain"], "69": staff["as.rhone"]}
    for offer in offers:
        if offer.status != "ACCEPTEE" or offer.person.departement_id not in referents:
            continue
        referent = referents[offer.person.departement_id]
        case = case_services.open_case(
            actor=referent,
            person=offer.person,
            programme="PDP",
            origin="OFFRE_DE_SERVICE",
            referent=referent,
            opened_on=offer.answered_on,
        )
        met = offer.answered_on + datetime.timedelta(
            days=rng.randint(0, (today - offer.answered_on).days)
        )
        case_services.record_contact(
            actor=referent,
            case=case,
            on=met,
            mode=_pick(rng, [("RECEPTION_RDV", 60), ("TELEPHONE", 25), ("VAD", 15)]),
            duration_minutes=45,
            actions=["INFO_ORIENTATION", "EVALUATION_BESOINS"],
            problems=["EMPLOI"],
        )


def generate(*, code: str = "carsat-demo", seed: int = 2026) -> dict:
    """Signalements, contacts d'accueil, plages d'agenda, un ciblage réel et une campagne.

    Idempotent : l'activité de détection de démonstration est d'abord effacée.
    """
    rng = random.Random(seed + 3)
    today = clock.today()
    organisation = Organisation.objects.get(code=code)
    staff = {u.username: u for u in User.objects.filter(organisation=organisation)}
    with transaction.atomic():
        ServiceOffer.objects.filter(organisation=organisation).delete()
        Campaign.objects.filter(organisation=organisation).delete()
        TargetingEntry.objects.filter(organisation=organisation).delete()
        TargetingRun.objects.filter(organisation=organisation).delete()
        Referral.objects.filter(organisation=organisation).delete()
        FrontLineContact.objects.filter(organisation=organisation).delete()
        Permanence.objects.filter(organisation=organisation).delete()

        workers = [u for u in staff.values() if u.function == Fonction.AS]
        permanences = []
        for worker in workers:
            for weekday, start, mode in ((1, 9, "RECEPTION_RDV"), (3, 14, "PERMANENCE")):
                permanences.append(
                    Permanence(
                        organisation=organisation,
                        staff=worker,
                        site=worker.site,
                        mode=mode,
                        weekday=weekday,
                        start=datetime.time(start, 0),
                        end=datetime.time(start + 3, 0),
                        slot_minutes=45,
                    )
                )
        Permanence.objects.bulk_create(permanences)

        people = list(
            Person.objects.filter(organisation=organisation, merged_into__isnull=True).only(
                "id", "departement_id", "organisation_id"
            )
        )
        referents = dict(
            Case.objects.filter(organisation=organisation, state=Case.State.OUVERT).values_list(
                "person_id", "referent_id"
            )
        )
        by_dep = {
            d: [w for w in workers if d in set(w.departements.values_list("code", flat=True))]
            for d in ("01", "69")
        }
        creator = staff.get("manager.rhone")
        links = demo_partners.directory(organisation)
        referrals = []
        statuses = [
            ("RECU", 18),
            ("PRIS_EN_CHARGE", 32),
            ("RENCONTRE", 30),
            ("INJOIGNABLE", 8),
            ("REFUS", 6),
            ("REORIENTE", 6),
        ]
        count = max(10, len(people) // 15)
        unknown = [p for p in people if p.pk not in referents]  # sans accompagnement ouvert
        chosen = rng.sample(unknown, min(len(unknown), count * 2 // 5))
        chosen += rng.sample(people, min(len(people), count - len(chosen)))
        for person in chosen:
            programme = rng.choice(list(REFERRAL_REASONS))
            emitter_name = rng.choice(
                ["Dr Lefort", "Centre hospitalier", "Service de santé au travail", ""]
            )
            # l'émetteur de l'annuaire quand il y est (lien vers sa fiche), sinon son nom écrit
            emitter_partner = links[person.departement_id].get(emitter_name)
            received = today - datetime.timedelta(days=rng.randint(0, 120))
            status = _pick(rng, statuses)
            assigned = referents.get(person.pk)
            if assigned is None and rng.random() < 0.4:
                status = "RECU"  # en attente d'une AS
            if assigned is None and status != "RECU":
                assigned = rng.choice(by_dep[person.departement_id]).pk
            if assigned is not None and status == "RECU":
                status = "PRIS_EN_CHARGE"
            referrals.append(
                Referral(
                    organisation=organisation,
                    person=person,
                    emitter=_pick(rng, REFERRAL_EMITTERS),
                    emitter_name="" if emitter_partner else emitter_name,
                    emitter_partner=emitter_partner,
                    received_on=received,
                    reason=rng.choice(REFERRAL_REASONS[programme]),
                    priority=_pick(rng, [("NORMALE", 70), ("HAUTE", 25), ("URGENTE", 5)]),
                    programme=programme,
                    departement_id=person.departement_id,
                    status=status,
                    assigned_to_id=assigned,
                    status_changed_on=None if status == "RECU" else received,
                    answered_on=(
                        received + datetime.timedelta(days=20)
                        if status in {"RENCONTRE", "REFUS", "REORIENTE"} and rng.random() < 0.6
                        else None
                    ),
                    created_by=creator,
                )
            )
        Referral.objects.bulk_create(referrals)

        desks = {"01": [staff["csam.ain"]], "69": [staff["csam.rhone"], staff["secretaire.rhone"]]}
        contacts = []
        for offset in range(30):
            day = today - datetime.timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for dep, agents in desks.items():
                for _ in range(rng.randint(4, 9) if dep == "69" else rng.randint(2, 5)):
                    agent = rng.choice(agents)
                    at = timezone.make_aware(
                        datetime.datetime.combine(
                            day, datetime.time(rng.randint(8, 16), rng.choice([0, 15, 30, 45]))
                        ),
                        PARIS,
                    )
                    if at > clock.now():
                        continue
                    answer = _pick(
                        rng,
                        [("INFORMATION", 45), ("ORIENTATION", 20), ("RENDEZ_VOUS", 25),
                         ("MESSAGE_AS", 10)],
                    )  # fmt: skip
                    contacts.append(
                        FrontLineContact(
                            organisation=organisation,
                            at=at,
                            date=day,
                            departement_id=dep,
                            site=agent.site,
                            agent=agent,
                            person=rng.choice(people) if rng.random() < 0.8 else None,
                            channel=_pick(rng, [("TELEPHONE", 70), ("ACCUEIL", 22), ("EMAIL", 8)]),
                            reason=rng.choice(FRONT_LINE_REASONS),
                            answer=answer,
                            oriented_to=links[dep].get("CCAS") if answer == "ORIENTATION" else None,
                            duration_minutes=rng.randint(2, 15),
                        )
                    )
        for contact in contacts:
            if contact.person is not None:
                contact.departement_id = contact.person.departement_id
        FrontLineContact.objects.bulk_create(contacts)

    # Un ciblage réel sur un petit extrait (mêmes services que l'import : rien de truqué).
    extraction = today - datetime.timedelta(days=today.day - 1)
    manager = staff["manager.rhone"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"extrait-arrets-{extraction:%Y-%m}.csv"
        generate_extract(
            path,
            160,
            seed=seed,
            extraction=extraction,
            communes=["01053", "01283", "69123", "69266", "69259", "69029"],
            names=["Aubert", "Barre", "Cordier", "Delorme", "Esnault", "Ferrand", "Gillet"],
        )
        run = services.run_sick_leave_extract(
            actor=manager,
            organisation=organisation,
            path=path,
            extraction_date=extraction,
            dry_run=False,
        )
    entries = list(TargetingEntry.objects.filter(run=run).select_related("person").order_by("line"))
    campaign = services.create_campaign(
        actor=manager,
        name=f"Arrêts de plus de 60 jours — {extraction:%m/%Y}",
        channel="COURRIER",
        proposal=Campaign.Proposal.RENDEZ_VOUS,
        programme="PDP",
        phone="36 46",
        people=[e.person for e in entries],
        run=run,
        sent_on=extraction,
    )
    offers = list(ServiceOffer.objects.filter(campaign=campaign))
    for offer in offers:
        offer.status = _pick(
            rng, [("ENVOYEE", 20), ("SANS_REPONSE", 35), ("REFUSEE", 12), ("ACCEPTEE", 33)]
        )
        if offer.status in {"REFUSEE", "ACCEPTEE"}:
            offer.answered_on = min(today, extraction + datetime.timedelta(days=rng.randint(3, 20)))
        if offer.status in {"ENVOYEE", "SANS_REPONSE"} and rng.random() < 0.5:
            offer.reminders = 1
            offer.last_reminder_on = min(today, extraction + datetime.timedelta(days=15))
    ServiceOffer.objects.bulk_update(
        offers, ["status", "answered_on", "reminders", "last_reminder_on"]
    )
    _meet_accepted(offers, staff, rng, today)
    return {
        "referrals": len(referrals),
        "front_line_contacts": len(contacts),
        "targeted": run.targeted,
        "offers": len(offers),
    }


# --- Agenda des AS (étape de base.generate) ---------------------------------------------


def appointments(
    organisation: Organisation,
    persons: list[Person],
    workers: dict[str, list[User]],
    sites: dict[str, list[Site]],
    staff: dict[str, User],
    rng: random.Random,
    today: datetime.date,
) -> None:
    """Demandes en attente (certaines au-delà de 15 jours), rendez-vous de la semaine passée, de
    celle-ci et de la suivante, et demandes de l'année suivies d'un rendez-vous."""
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
