"""Actions collectives de démonstration : un an de séances, de présences et de questionnaires.

Proportions de ``domaine.md`` §8 : les réunions d'information PDP dominent (plus de 8
participants sur 10), puis ateliers bien vieillir, groupe d'aidants, journée de santé ; environ
deux invités sur trois ne viennent pas ; 85 % de réponses au questionnaire à chaud, largement
positives ; 40 % au questionnaire d'impact. Déterministe pour une graine donnée, en masse.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from parcours.cases.models import Case
from parcours.core import clock
from parcours.core.models import Organisation, Site, User
from parcours.core.nomenclatures import Fonction, Programme, TypeCollectif
from parcours.demo import partners as demo_partners
from parcours.groups import services
from parcours.groups.models import (
    Answer,
    GroupAction,
    Invitation,
    Questionnaire,
    Registration,
    Response,
    Session,
)
from parcours.people.models import Person
from parcours.rules import collective as rules

INFO_TEXT = "Une rencontre de deux heures pour connaître vos droits et les aides possibles."
TIMES = (datetime.time(9, 30), datetime.time(14, 0))


def reset(organisation) -> None:
    Response.objects.filter(organisation=organisation).delete()
    GroupAction.objects.filter(organisation=organisation).delete()


def generate(*, code: str = "carsat-demo", seed: int = 2026) -> dict:
    organisation = Organisation.objects.get(code=code)
    rng = random.Random(seed * 7 + 4)
    today = clock.today()
    counts = {"actions": 0, "seances": 0, "presences": 0, "reponses": 0}
    with transaction.atomic():
        reset(organisation)
        admin = User.objects.filter(organisation=organisation, function=Fonction.MANAGER).first()
        services.ensure_default_questionnaires(actor=admin, organisation_id=organisation.pk)
        questionnaires = {
            (q.moment, q.action_type): q
            for q in Questionnaire.objects.filter(organisation=organisation).prefetch_related(
                "questions"
            )
        }
        links = demo_partners.directory(organisation)
        for dep in ("01", "69"):
            _departement(organisation, dep, rng, today, counts, questionnaires, links[dep])
    return counts


def _people(organisation, dep):
    pdp = set(
        Case.objects.filter(
            organisation=organisation, departement_id=dep, programme=Programme.PDP
        ).values_list("person_id", flat=True)
    )
    people = list(
        Person.objects.filter(organisation=organisation, departement_id=dep)
        .order_by("pk")
        .values_list("pk", "birth_date")
    )
    seniors = [pk for pk, birth in people if birth.year <= 1960 and pk not in pdp]
    others = [pk for pk, _ in people if pk not in pdp]
    return sorted(pdp), seniors, others


def _departement(organisation, dep, rng, today, counts, questionnaires, links):
    workers = list(
        User.objects.filter(
            organisation=organisation, function=Fonction.AS, departements__code=dep
        ).order_by("username")
    )
    sites = list(Site.objects.filter(organisation=organisation, departement_id=dep).order_by("pk"))
    pdp, seniors, others = _people(organisation, dep)
    scale = 1 if dep == "01" else 2
    plans = [
        # type, programme, titre, public, partenaires, cofinanceurs, séances, places, vivier
        (
            TypeCollectif.INFO_COLLECTIVE,
            Programme.PDP,
            "Réunions d'information « Arrêt de travail : et après ? »",
            "salariés en arrêt de travail depuis plus de 60 jours",
            "CPAM, service médical, service de prévention et de santé au travail, Cap emploi",
            "",
            22 * scale,
            15,
            pdp + others[: len(others) // 3],
        ),
        (
            TypeCollectif.ATELIER,
            Programme.BIEN_VIEILLIR,
            "Atelier mémoire « Réveil des savoirs »",
            "retraités de plus de 60 ans",
            "Centre communal d'action sociale",
            "Conférence des financeurs",
            6,
            12,
            seniors or others,
        ),
        (
            TypeCollectif.TSG,
            Programme.RETOUR_DOMICILE,
            "Groupe de parole des aidants",
            "aidants de proches âgés ou malades",
            "Plateforme de répit",
            "Caisse primaire",
            5,
            10,
            others,
        ),
        (
            TypeCollectif.JOURNEE_SANTE,
            Programme.PARCOURS_SANTE,
            "Journée « Ma santé, mes droits »",
            "tout public",
            "CPAM, mutuelles, centre d'examens de santé",
            "",
            1,
            40,
            others,
        ),
    ]
    for kind, programme, title, public, partners, cofunders, n_sessions, capacity, pool in plans:
        if not pool:
            continue
        if kind == TypeCollectif.INFO_COLLECTIVE:
            n_sessions = max(3, min(n_sessions, len(pool) // 12))
        in_directory, partners = demo_partners.split(links, partners)
        action = GroupAction.objects.create(
            organisation=organisation,
            type=kind,
            programme=programme,
            title=title,
            public=public,
            partners=partners,
            cofunders=cofunders,
            departement_id=dep,
            partner_facilitators="Dr Martin (service médical)" if kind == "INFO_COLLECTIVE" else "",
            description=INFO_TEXT if kind == "INFO_COLLECTIVE" else "",
        )
        action.facilitators.set(rng.sample(workers, min(2, len(workers))))
        action.directory_partners.set(in_directory)
        counts["actions"] += 1
        _sessions(
            organisation,
            action,
            n_sessions,
            capacity,
            pool,
            sites,
            rng,
            today,
            counts,
            questionnaires,
            host=links.get("CCAS"),
        )


def _weekday(day):
    """Du lundi au vendredi : un samedi ou un dimanche passe au lundi suivant."""
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def _session_dates(n, rng, today, kind):
    return [_weekday(d) for d in _raw_dates(n, rng, today, kind)]


def _raw_dates(n, rng, today, kind):
    if n == 1:
        return [today - datetime.timedelta(days=rng.randint(40, 200))]
    if kind == TypeCollectif.INFO_COLLECTIVE:
        # Toute l'année, dont quelques séances à venir.
        step = 410 / n
        return [today - datetime.timedelta(days=int(365 - i * step)) for i in range(n)]
    start = today - datetime.timedelta(days=rng.randint(270, 340))
    return [start + datetime.timedelta(days=14 * i) for i in range(n)]


def _sessions(
    organisation, action, n, capacity, pool, sites, rng, today, counts, questionnaires, host=None
):
    now = timezone.now()
    dates = _session_dates(n, rng, today, action.type)
    group = rng.sample(pool, min(len(pool), capacity)) if action.type != "INFO_COLLECTIVE" else []
    invitations, registrations = {}, []
    used = set()
    # La dernière séance passée d'une réunion d'information attend encore ses présences.
    past_dates = [d for d in dates if d <= today]
    last_past = past_dates[-1] if past_dates and action.type == "INFO_COLLECTIVE" else None
    for i, day in enumerate(dates):
        session = Session.objects.create(
            organisation=organisation,
            action=action,
            date=day,
            start_time=TIMES[i % 2],
            end_time=(
                datetime.datetime.combine(day, TIMES[i % 2]) + datetime.timedelta(hours=2)
            ).time(),
            site=sites[i % len(sites)] if sites and i % 5 != 4 else None,
            # une séance sur cinq chez le CCAS du département (annuaire), salle précisée
            partner=None if sites and i % 5 != 4 else host,
            partner_place=""
            if sites and i % 5 != 4
            else ("Salle 2" if host else "Salle 2 (mairie)"),
            video=False,
            capacity=capacity,
        )
        counts["seances"] += 1
        if group:
            attendees = group
        else:
            # Une personne ne vient qu'à une réunion d'information.
            fresh = [p for p in pool if p not in used]
            attendees = rng.sample(fresh, min(len(fresh), rng.randint(8, capacity)))
            used.update(attendees)
        for rank, person_id in enumerate(attendees):
            if person_id not in invitations:
                invitations[person_id] = Invitation(
                    organisation=organisation,
                    action=action,
                    person_id=person_id,
                    source=Invitation.Source.CIBLAGE,
                    issued_on=max(
                        today - datetime.timedelta(days=300), day - datetime.timedelta(days=30)
                    ),
                    letter_printed_on=day - datetime.timedelta(days=28),
                )
            past = day <= today
            registrations.append(
                Registration(
                    organisation=organisation,
                    session=session,
                    person_id=person_id,
                    status=rules.REGISTERED,
                    relation=Registration.Relation.AIDANT
                    if action.type == TypeCollectif.TSG
                    else Registration.Relation.PERSONNE,
                    channel=Registration.Channel.LIEN
                    if rank % 3 == 0
                    else Registration.Channel.AGENT,
                    present=(rng.random() < 0.78) if past and day != last_past else None,
                    registered_at=now,
                )
            )
        if action.type == TypeCollectif.INFO_COLLECTIVE:
            # Invités qui ne se sont pas inscrits (environ deux sur trois).
            for person_id in rng.sample(pool, min(len(pool), 2 * len(attendees))):
                invitations.setdefault(
                    person_id,
                    Invitation(
                        organisation=organisation,
                        action=action,
                        person_id=person_id,
                        source=Invitation.Source.CIBLAGE,
                        issued_on=max(
                            today - datetime.timedelta(days=300), day - datetime.timedelta(days=30)
                        ),
                        letter_printed_on=day - datetime.timedelta(days=28),
                    ),
                )
    Invitation.objects.bulk_create(invitations.values())
    Registration.objects.bulk_create(registrations)
    counts["presences"] += sum(1 for r in registrations if r.present)
    _answers(
        organisation, action, invitations, registrations, rng, today, counts, questionnaires, dates
    )


def _answers(
    organisation, action, invitations, registrations, rng, today, counts, questionnaires, dates
):
    by_person = {}
    for r in registrations:
        if r.present:
            by_person[r.person_id] = max(by_person.get(r.person_id, r.session.date), r.session.date)
    plan = []
    for (moment, kind), questionnaire in questionnaires.items():
        if kind != action.type or (
            questionnaire.programme and questionnaire.programme != action.programme
        ):
            continue
        rate = {rules.AT_END: 0.85, rules.LATER: 0.40, rules.START: 0.9, rules.END: 0.8}[moment]
        for person_id, last in sorted(by_person.items()):
            opens = rules.questionnaire_opens_on(
                moment,
                months=questionnaire.months_after,
                first_session=dates[0],
                last_session=dates[-1],
                last_attended=last,
            )
            if opens is None or opens > today or rng.random() > rate:
                continue
            plan.append((questionnaire, invitations[person_id], opens))
    responses = Response.objects.bulk_create(
        Response(
            organisation=organisation,
            questionnaire=q,
            invitation=inv,
            source=Response.Source.PAPIER if rng.random() < 0.6 else Response.Source.LIEN,
            submitted_at=timezone.make_aware(datetime.datetime.combine(opens, datetime.time(12))),
        )
        for q, inv, opens in plan
    )
    answers = []
    for response, (questionnaire, _, _) in zip(responses, plan, strict=True):
        for question in questionnaire.questions.all():
            value, text = _answer(question, rng)
            if value is not None or text:
                answers.append(Answer(response=response, question=question, value=value, text=text))
    Answer.objects.bulk_create(answers)
    counts["reponses"] += len(responses)


COMMENTS = [
    "Très utile, merci pour l'accueil.",
    "J'ai enfin compris mes droits pendant l'arrêt.",
    "Un peu long mais intéressant.",
    "Merci, je vais contacter mon médecin du travail.",
]


def _answer(question, rng):
    if question.answer_type == rules.SCALE:
        return rng.choices([1, 2, 3, 4, 5], [2, 3, 10, 40, 45])[0], ""
    if question.answer_type == rules.YES_NO:
        return (rules.YES if rng.random() < 0.92 else rules.NO), ""
    if question.answer_type == rules.CHOICE:
        return rng.choices(
            range(len(question.choices)), [30, 20, 25, 10, 5, 10][: len(question.choices)]
        )[0], ""
    if rng.random() < 0.2:
        return None, rng.choice(COMMENTS)
    return None, ""
