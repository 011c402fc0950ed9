"""Données de démonstration des aides : catalogue (domaine.md §7), conventions, évaluations,
demandes à tous les stades, une commission tenue et une à venir.

Déterministe pour une graine donnée ; chaque étape passe par les services, l'horloge figée à la
date de l'étape (délais de traitement réalistes : médiane ≈ 3 semaines).
"""

import datetime
import random
import zoneinfo
from decimal import Decimal

from django.db import transaction

from parcours.aid import services
from parcours.aid.models import (
    Aid,
    AidRequest,
    BudgetLine,
    CommissionSession,
    Evaluation,
    Regulation,
)
from parcours.core import clock
from parcours.core.models import Organisation, User
from parcours.demo import partners as demo_partners
from parcours.partners.models import Convention
from parcours.people.models import Person
from parcours.rules import aggir
from parcours.rules import aid_workflow as wf

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
D = Decimal

# Une personne connue pour les parcours de démonstration (et le parcours navigateur).
JOURNEY_PERSON = {
    "last_name": "Démaison",
    "first_names": "Yvette",
    "sex": "F",
    "birth_date": datetime.date(1946, 4, 12),
    "departement_id": "01",
    "address": "4 rue des Tilleuls",
    "postal_code": "01000",
    "commune_id": "01053",
    "status": "RETRAITE",
}

SITUATIONS = [
    "Vit seule en maison de plain-pied ; fille à 40 km, passe le week-end.",
    "Veuf depuis six mois, appartement au 2e étage sans ascenseur, chute récente.",
    "Couple âgé, l'épouse aidante s'épuise ; repas irréguliers.",
    "Retour d'hospitalisation (fracture du col du fémur), kinésithérapie trois fois par semaine.",
    "Isolement rural, plus de permis de conduire, courses faites par une voisine.",
]


def _at(day: datetime.date):
    return clock.frozen(datetime.datetime.combine(day, datetime.time(10), tzinfo=PARIS))


def _clear(organisation):
    AidRequest.objects.filter(organisation=organisation).delete()
    Evaluation.objects.filter(organisation=organisation).delete()
    CommissionSession.objects.filter(organisation=organisation).delete()
    Aid.objects.filter(organisation=organisation).delete()
    Regulation.objects.filter(organisation=organisation).delete()
    BudgetLine.objects.filter(organisation=organisation).delete()


def _grid(rng, target: str) -> dict:
    """Une grille plausible : « autonome » (GIR 5–6) ou « dépendant » (GIR 1–4)."""
    while True:
        weights = (70, 25, 5) if target == "autonome" else (25, 40, 35)
        grid = {v: rng.choices("ABC", weights=weights)[0] for v in aggir.VARIABLES}
        gir = aggir.compute(grid).gir
        if (gir >= 5) == (target == "autonome"):
            return grid


@transaction.atomic
def generate(*, code: str = "carsat-demo", seed: int = 2026) -> dict:
    rng = random.Random(seed * 7 + 5)
    organisation = Organisation.objects.get(code=code)
    today = clock.today()
    _clear(organisation)
    staff = {u.username: u for u in User.objects.filter(organisation=organisation)}
    admin = staff["admin"]
    services.install_catalogue(
        actor=admin, organisation_id=organisation.pk, current_year=today.year
    )
    # la convention d'évaluation est dans l'annuaire (demo/partners.py, lancé avant)
    convention = Convention.objects.get(
        partner__organisation=organisation,
        partner__name=demo_partners.ANGDM,
        object=demo_partners.ANGDM_OBJECT,
    )
    from parcours.people.services import create_person

    journey = Person.objects.filter(
        organisation=organisation, last_name=JOURNEY_PERSON["last_name"]
    ).first() or create_person(
        actor=staff["as.ain"], organisation_id=organisation.pk, data=dict(JOURNEY_PERSON)
    )
    workers = {"01": [staff["as.ain"], staff["as2.ain"]],
               "69": [staff["as.rhone"], staff["as2.rhone"], staff["as3.rhone"]]}  # fmt: skip
    managers = {"01": staff["manager.ain"], "69": staff["manager.rhone"]}
    elders = list(
        Person.objects.filter(
            organisation=organisation,
            birth_date__lte=today.replace(year=today.year - 62),
            merged_into__isnull=True,
        )
        .exclude(pk=journey.pk)
        .order_by("pk")[:60]
    )
    summary = {"evaluations": 0, "requests": 0}

    # Évaluations : 2/3 autonomes (GIR 5–6, la caisse est compétente), 1/3 à transmettre.
    for i, person in enumerate(elders[:36]):
        worker = rng.choice(workers[person.departement_id])
        on = today - datetime.timedelta(days=rng.randint(5, 330))
        target = "autonome" if i % 3 else "dependant"
        kind = rng.choices(
            ["PREMIERE_DEMANDE", "CHANGEMENT_FREQUENCE", "RENOUVELLEMENT", "AUTRE_ORGANISME"],
            weights=[20, 27, 45, 8],
        )[0]
        with _at(on):
            evaluation = services.record_evaluation(
                actor=worker,
                person=person,
                evaluated_on=on,
                kind=kind,
                situation=rng.choice(SITUATIONS),
                grid=_grid(rng, target),
                plan=[
                    ("AIDE_MENAGERE", D(rng.choice([8, 10, 12, 16, 20])), ""),
                    *([("PORTAGE_REPAS", D(rng.choice([2, 3])), "")] if i % 2 else []),
                    *([("TELEALARME", D(1), "")] if i % 4 == 0 else []),
                ],
                convention=convention if kind == "AUTRE_ORGANISME" else None,
            )
            if evaluation.competent_body == "DEPARTEMENT" and i % 2 == 0:
                services.record_transmission(actor=worker, evaluation=evaluation)
        summary["evaluations"] += 1

    # Demandes : plan d'actions personnalisé pour les GIR 5–6, secours et aides financières.
    autonomous = list(
        Evaluation.objects.filter(organisation=organisation, gir__gte=5)
        .select_related("person")
        .order_by("pk")
    )
    cases: list[tuple[Person, str, datetime.date, dict[str, object], Evaluation | None]] = []
    for e in autonomous:
        on = e.evaluated_on + datetime.timedelta(days=rng.randint(1, 10))
        facts = {"regime": "REGIME_GENERAL", "hours": D(rng.choice([8, 10, 12, 16])),
                 "monthly_income": D(rng.randint(850, 2100))}  # fmt: skip
        cases.append((e.person, "carsat-pap", on, facts, e))
    for person in elders[36:60]:
        on = today - datetime.timedelta(days=rng.randint(3, 300))
        code = rng.choice(["cpam-secours-urgence", "cpam-aide-precarite", "cpam-au-dela-c2s"])
        facts = {"monthly_income": D(rng.randint(700, 1250))}
        cases.append((person, code, on, facts, None))
    for person, code, on, facts, source in cases:
        if on > today:
            continue
        _play(rng, person, code, on, facts, source, workers, managers, today)
        summary["requests"] += 1
    _sessions(organisation, managers, today)
    _overpayments(organisation, managers, today)
    return summary


def _play(rng, person, code, on, facts, evaluation, workers, managers, today):
    """Fait vivre une demande jusqu'à un stade tiré au sort, chaque étape à sa date."""
    worker = rng.choice(workers[person.departement_id])
    manager = managers[person.departement_id]
    aid = (
        Aid.objects.filter(
            organisation_id=person.organisation_id,
            code=code,
            regulation__starts_on__lte=on,
        )
        .order_by("-regulation__starts_on")
        .first()
    )
    with _at(on):
        request = services.create_request(
            actor=worker, person=person, aid=aid, received_on=on, channel="TRAVAILLEUR_SOCIAL",
            facts=facts, evaluation=evaluation,
        )  # fmt: skip
    day = on
    stage = rng.random()
    if stage < 0.08:
        return
    if rng.random() < 0.3:  # un dossier sur trois doit être complété
        with _at(day):
            request = services.request_documents(
                actor=worker, request=request, missing=list(aid.documents[:1]) or ["Justificatif"]
            )
        if stage < 0.15:
            return
        day += datetime.timedelta(days=rng.randint(5, 25))
    day = min(day + datetime.timedelta(days=rng.randint(0, 3)), today)
    with _at(day):
        request = services.declare_complete(actor=worker, request=request, on=day)
    if stage < 0.2:
        return
    day = min(day + datetime.timedelta(days=rng.randint(2, 10)), today)
    with _at(day):
        request = services.give_opinion(
            actor=worker, request=request, favourable=request.eligible,
            opinion="Situation vérifiée à domicile ; l'aide répond au besoin."
            if request.eligible else "Les conditions du règlement ne sont pas remplies.",
        )  # fmt: skip
    if stage < 0.28 or request.route != wf.DELEGATION:
        return  # en attente de décision ou de commission
    day = min(day + datetime.timedelta(days=rng.randint(3, 30)), today)
    with _at(day):
        if request.eligible:
            request = services.decide(
                actor=manager, request=request, decision="accorder",
                amount=request.proposed_amount, reason="Conditions du règlement remplies.",
                confirm_over_budget=True,
            )  # fmt: skip
        else:
            request = services.decide(
                actor=manager, request=request, decision="refuser",
                reason="; ".join(r["texte"] for r in request.reasons if not r["ok"]),
            )  # fmt: skip
            return
        services.mark_notified(actor=manager, request=request)
    if stage < 0.4:
        return
    day = min(day + datetime.timedelta(days=rng.randint(3, 20)), today)
    with _at(day):
        services.record_payment(
            actor=manager, request=request, amount=request.decided_amount, paid_on=day,
            payee="PRESTATAIRE" if code == "carsat-pap" else "PERSONNE",
            payee_name="ADMR du Bugey" if code == "carsat-pap" else "",
        )  # fmt: skip


def _sessions(organisation, managers, today):
    """Une commission tenue ce jour (dossiers au-delà du plafond de délégation), une à venir."""
    for dep, manager in managers.items():
        held = today
        with _at(held):
            session = services.create_session(
                actor=manager, organisation_id=organisation.pk, departement_id=dep, held_on=held
            )
            services.build_agenda(actor=manager, session=session)
            for i, request in enumerate(session.requests.order_by("pk")):
                decision = (
                    "ajourner" if i % 5 == 4 else "accorder" if request.eligible else "refuser"
                )
                services.decide(
                    actor=manager, request=request, decision=decision,
                    amount=request.proposed_amount if decision == "accorder" else None,
                    reason="Accord de la commission." if decision == "accorder"
                    else "Devis complémentaire attendu." if decision == "ajourner"
                    else "Conditions du règlement non remplies.",
                    confirm_over_budget=True,
                )  # fmt: skip
            services.close_session(actor=manager, session=session)
        services.create_session(
            actor=manager, organisation_id=organisation.pk, departement_id=dep,
            held_on=today + datetime.timedelta(days=10),
        )  # fmt: skip


def _overpayments(organisation, managers, today):
    """Deux indus (aide payée deux fois, prestation non réalisée), l'un recouvré en partie."""
    paid = list(
        AidRequest.objects.filter(organisation=organisation, state=wf.PAYEE).order_by("pk")[:2]
    )
    for i, request in enumerate(paid):
        manager = managers[request.departement_id]
        amount = (request.decided_amount / 2).quantize(D("0.01"))
        overpayment = services.record_overpayment(
            actor=manager,
            request=request,
            amount=amount,
            reason="Heures non réalisées par le prestataire" if i else "Paiement en double",
            detected_on=today,
        )
        if i == 0:
            services.record_recovery(actor=manager, overpayment=overpayment, amount=amount / 2)
