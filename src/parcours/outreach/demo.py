"""Données de démonstration du module de détection (signalements, accueil, ciblage, campagne)."""

import datetime
import random
from pathlib import Path

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
    from parcours.cases import services as case_services

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


def _pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def generate(*, code: str = "carsat-demo", seed: int = 2026) -> dict:
    """Signalements, contacts d'accueil, plages d'agenda, un ciblage réel et une campagne.

    Idempotent : l'activité de détection de démonstration est d'abord effacée.
    """
    import tempfile
    import zoneinfo

    from django.db import transaction
    from django.utils import timezone

    from parcours.cases.models import Case
    from parcours.core import clock
    from parcours.core.models import Organisation, User
    from parcours.core.nomenclatures import Fonction
    from parcours.outreach import services
    from parcours.outreach.models import (
        Campaign,
        FrontLineContact,
        Permanence,
        Referral,
        ServiceOffer,
        TargetingEntry,
        TargetingRun,
    )
    from parcours.people.models import Person

    paris = zoneinfo.ZoneInfo("Europe/Paris")
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
                    emitter_name=rng.choice(
                        ["Dr Lefort", "Centre hospitalier", "Service de santé au travail", ""]
                    ),
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
                        paris,
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
                            partner="CCAS" if answer == "ORIENTATION" else "",
                            duration_minutes=rng.randint(2, 15),
                        )
                    )
        for contact in contacts:
            if contact.person is not None:
                contact.departement_id = contact.person.departement_id
        FrontLineContact.objects.bulk_create(contacts)

    # Un ciblage réel sur un petit extrait (mêmes services que l'import : rien de truqué).
    extraction = today - datetime.timedelta(days=today.day - 1)
    manager = staff.get("manager.rhone")
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
