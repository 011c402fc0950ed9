"""Lectures des actions collectives, agrégées en SQL.

Les chiffres des participants suivent ``formats.md`` §5 (clé ``collectif``) : une séance compte
l'année de sa date ; un participant est une personne distincte marquée présente ; un territoire
compte les séances des actions de son département. Le rapport d'activité réutilise
``collective_figures``, ``participants_by_programme`` et ``pdp_information_participants``.
"""

import datetime

from django.db.models import Case, CharField, Count, Exists, Max, Min, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce

from parcours.core import clock
from parcours.core.nomenclatures import Programme, TypeCollectif
from parcours.groups import policies
from parcours.groups.models import (
    Answer,
    GroupAction,
    Invitation,
    Question,
    Questionnaire,
    Registration,
    Response,
    Session,
)
from parcours.partners.queries import RecordedActivity
from parcours.rules import collective as rules

# ---------------------------------------------------------------- chiffres des participants


def session_commune():
    """La commune d'une séance : celle saisie sur la séance, sinon celle du lieu d'accueil,
    sinon celle du partenaire qui accueille. Une séance en visioconférence ne se tient que dans
    la commune saisie sur elle (son lieu éventuel n'est pas celui de la séance) : sans commune
    saisie, ``None``."""
    held_at_place = Case(
        When(video=False, then=Coalesce("site__commune_id", "partner__commune_id")),
        default=Value(None),
        output_field=CharField(),
    )
    return Coalesce("commune_id", held_at_place, output_field=CharField())


def actions_by_commune(
    *, organisation_id: int, since: datetime.date, until: datetime.date, communes=None
) -> dict[str, int]:
    """Par commune, le nombre d'actions collectives distinctes de l'organisme ayant au moins une
    séance tenue dans la commune (``session_commune``) entre ``since`` et ``until`` (bornes
    comprises) ; une séance à venir ne compte pas encore (« tenue » : au plus tard aujourd'hui,
    ``core.clock``). Deux séances d'une action dans la commune : une action. ``communes`` (codes)
    restreint le résultat ; sans lui, toutes les communes où l'organisme a tenu une séance."""
    until = min(until, clock.today())
    if since > until:
        return {}
    sessions = (
        Session.objects.filter(
            organisation_id=organisation_id,
            action__organisation_id=organisation_id,
            date__gte=since,
            date__lte=until,
        )
        .annotate(place_commune=session_commune())
        .exclude(place_commune__isnull=True)
    )
    wanted = None if communes is None else set(communes)
    if wanted is not None and len(wanted) <= 500:
        sessions = sessions.filter(place_commune__in=sorted(wanted))
    rows = sessions.values("place_commune").annotate(n=Count("action_id", distinct=True)).order_by()
    return {
        r["place_commune"]: r["n"] for r in rows if wanted is None or r["place_commune"] in wanted
    }


def sessions_in_year(*, organisation_id: int, year: int, departements=None):
    sessions = Session.objects.filter(organisation_id=organisation_id, date__year=year).order_by()
    if departements is not None:
        sessions = sessions.filter(action__departement_id__in=list(departements))
    return sessions


def present_registrations(*, organisation_id: int, year: int, departements=None):
    """Présences (inscription marquée présente) aux séances datées dans l'année."""
    registrations = Registration.objects.filter(
        organisation_id=organisation_id, present=True, session__date__year=year
    ).order_by()
    if departements is not None:
        registrations = registrations.filter(session__action__departement_id__in=list(departements))
    return registrations


def present_people(
    *, organisation_id: int, year: int, departements=None, programme=None, type=None
):
    """Identifiants distincts des personnes présentes (QuerySet de valeurs, pour les unions)."""
    registrations = present_registrations(
        organisation_id=organisation_id, year=year, departements=departements
    )
    if programme:
        registrations = registrations.filter(session__action__programme=programme)
    if type:
        registrations = registrations.filter(session__action__type=type)
    return registrations.order_by().values_list("person_id", flat=True).distinct()


def collective_figures(*, organisation_id: int, year: int, departements=None) -> dict:
    """La clé ``collectif`` du rapport d'activité (formats.md §5), chaque type listé."""
    sessions = sessions_in_year(
        organisation_id=organisation_id, year=year, departements=departements
    )
    present = present_registrations(
        organisation_id=organisation_id, year=year, departements=departements
    )
    totals = sessions.aggregate(actions=Count("action", distinct=True), seances=Count("id"))
    by_type = {code: {"seances": 0, "participants": 0} for code in TypeCollectif.values}
    for row in sessions.values("action__type").annotate(n=Count("id")):
        by_type[row["action__type"]]["seances"] = row["n"]
    for row in present.values("session__action__type").annotate(n=Count("person", distinct=True)):
        by_type[row["session__action__type"]]["participants"] = row["n"]
    return {
        "actions": totals["actions"],
        "seances": totals["seances"],
        "participants": present.aggregate(n=Count("person", distinct=True))["n"],
        "par_type": by_type,
    }


def participants_by_programme(*, organisation_id: int, year: int, departements=None) -> dict:
    """Personnes distinctes présentes par programme (``programmes.X.collectif``), chaque code."""
    result = dict.fromkeys(Programme.values, 0)
    present = present_registrations(
        organisation_id=organisation_id, year=year, departements=departements
    )
    for row in present.values("session__action__programme").annotate(
        n=Count("person", distinct=True)
    ):
        result[row["session__action__programme"]] = row["n"]
    return result


def pdp_information_participants(*, organisation_id: int, year: int, departements=None) -> int:
    """``pdp.participants_information_collective`` : présents à une réunion d'information PDP."""
    return (
        present_registrations(organisation_id=organisation_id, year=year, departements=departements)
        .filter(
            session__action__type=TypeCollectif.INFO_COLLECTIVE,
            session__action__programme=Programme.PDP,
        )
        .aggregate(n=Count("person", distinct=True))["n"]
    )


# ---------------------------------------------------------------- pages


def actions_list(actions, year: int):
    """Les actions ayant une séance dans l'année : séances, dates et participants de l'année."""
    in_year = Q(sessions__date__year=year)
    return (
        actions.filter(Exists(Session.objects.filter(action=OuterRef("pk"), date__year=year)))
        .annotate(
            n_sessions=Count("sessions", filter=in_year, distinct=True),
            first_date=Min("sessions__date", filter=in_year),
            last_date=Max("sessions__date", filter=in_year),
            n_present=Count(
                "sessions__registrations__person",
                filter=in_year & Q(sessions__registrations__present=True),
                distinct=True,
            ),
        )
        .order_by("-last_date", "-id")
    )


def sessions_with_counts(sessions):
    return sessions.annotate(
        n_registered=Count("registrations", filter=Q(registrations__status=rules.REGISTERED)),
        n_waiting=Count("registrations", filter=Q(registrations__status=rules.WAITING)),
        n_present=Count("registrations", filter=Q(registrations__present=True)),
        n_unmarked=Count(
            "registrations",
            filter=Q(registrations__present__isnull=True)
            & ~Q(registrations__status=rules.CANCELLED),
        ),
    ).select_related("site", "partner")


def registrations_by_person(action) -> dict[int, int]:
    """Par personne, le nombre de ses inscriptions non annulées aux séances de l'action."""
    return dict(
        Registration.objects.filter(session__action=action)
        .exclude(status=rules.CANCELLED)
        .values_list("person_id")
        .annotate(n=Count("id"))
    )


def session_registrations(session):
    """Inscrits puis liste d'attente (dans l'ordre d'arrivée), puis annulées."""
    order = {rules.REGISTERED: 0, rules.WAITING: 1, rules.CANCELLED: 2}
    rows = list(
        Registration.objects.filter(session=session)
        .select_related("person")
        .order_by("registered_at", "id")
    )
    return sorted(rows, key=lambda r: order[r.status])


# ---------------------------------------------------------------- questionnaires


def eligible_invitations(
    questionnaire: Questionnaire,
    *,
    today,
    action=None,
    programme=None,
    year=None,
    departements=None,
):
    """Les personnes d'une action concernées par le questionnaire : présentes à une séance
    (de l'année si demandée), depuis assez longtemps pour un questionnaire différé."""
    actions = GroupAction.objects.filter(organisation_id=questionnaire.organisation_id)
    if questionnaire.action_type:
        actions = actions.filter(type=questionnaire.action_type)
    if questionnaire.programme:
        actions = actions.filter(programme=questionnaire.programme)
    if action is not None:
        actions = actions.filter(pk=action.pk)
    if programme:
        actions = actions.filter(programme=programme)
    if departements is not None:
        actions = actions.filter(departement_id__in=list(departements))
    attended = Registration.objects.filter(
        session__action=OuterRef("action"), person=OuterRef("person"), present=True
    )
    if year:
        attended = attended.filter(session__date__year=year)
    invitations = Invitation.objects.filter(action__in=actions).filter(Exists(attended))
    if questionnaire.moment == rules.LATER:
        # Ouvert N mois après la dernière séance suivie : aucune séance suivie après la limite.
        cutoff = rules.add_months(today, -questionnaire.months_after)
        invitations = invitations.exclude(Exists(attended.filter(session__date__gt=cutoff)))
    elif questionnaire.moment == rules.END:
        invitations = invitations.exclude(
            Exists(Session.objects.filter(action=OuterRef("action"), date__gt=today))
        )
    return invitations


def questionnaire_results(questionnaire: Questionnaire, *, today, **scope) -> dict:
    """Par question : répartition, part de réponses positives ; taux de réponse global.

    ``scope`` : ``action``, ``programme``, ``year``, ``departements`` (filtres cumulables).
    """
    eligible = eligible_invitations(questionnaire, today=today, **scope)
    n_eligible = eligible.count()
    responses = Response.objects.filter(questionnaire=questionnaire, invitation__in=eligible)
    n_responses = responses.count()
    counts: dict[int, dict[int | None, int]] = {}
    for row in (
        Answer.objects.filter(response__in=responses)
        .values("question_id", "value")
        .annotate(n=Count("id"))
    ):
        counts.setdefault(row["question_id"], {})[row["value"]] = row["n"]
    questions = []
    for question in Question.objects.filter(questionnaire=questionnaire).order_by("position", "id"):
        per_value = counts.get(question.pk, {})
        answered = sum(per_value.values())
        if question.answer_type == rules.TEXT:
            texts = list(
                Answer.objects.filter(response__in=responses, question=question)
                .order_by("-response__submitted_at", "-id")
                .values_list("text", flat=True)[:20]
            )
            questions.append({"question": question, "answered": answered, "texts": texts})
            continue
        options = _options(question)
        positive = sum(n for value, n in per_value.items() if question.is_positive(value))
        questions.append(
            {
                "question": question,
                "answered": answered,
                "distribution": [
                    {
                        "label": label,
                        "count": per_value.get(value, 0),
                        "pct": rules.percent(per_value.get(value, 0), answered),
                        "positive": question.is_positive(value),
                    }
                    for value, label in options
                ],
                "positive": positive,
                "positive_pct": rules.percent(positive, answered),
            }
        )
    return {
        "questionnaire": questionnaire,
        "eligible": n_eligible,
        "responses": n_responses,
        "response_rate": rules.percent(n_responses, n_eligible),
        "questions": questions,
    }


def _options(question: Question) -> list[tuple[int, str]]:
    if question.answer_type == rules.SCALE:
        last = question.scale_max
        hints = {1: " — pas du tout", last: " — tout à fait"}
        return [(v, f"{v}{hints.get(v, '')}") for v in range(1, last + 1)]
    if question.answer_type == rules.YES_NO:
        return [(rules.YES, "Oui"), (rules.NO, "Non")]
    return list(enumerate(question.choices))


def answer_options(question: Question) -> list[tuple[int, str]]:
    return _options(question)


def open_questionnaires(invitation: Invitation, today):
    """Les questionnaires que la personne peut remplir maintenant, et ceux déjà remplis."""
    from parcours.groups.services import applicable_questionnaires, questionnaire_opens_on

    answered = set(
        Response.objects.filter(invitation=invitation).values_list("questionnaire_id", flat=True)
    )
    due, done = [], []
    for questionnaire in applicable_questionnaires(invitation.action):
        if questionnaire.pk in answered:
            done.append(questionnaire)
            continue
        opens = questionnaire_opens_on(questionnaire, invitation)
        if opens is not None and opens <= today:
            due.append(questionnaire)
    return due, done


def unanswered(questionnaire: Questionnaire, *, action, today):
    """Les invitations des personnes concernées par le questionnaire qui n'y ont pas répondu."""
    return eligible_invitations(questionnaire, today=today, action=action).exclude(
        Exists(Response.objects.filter(questionnaire=questionnaire, invitation=OuterRef("pk")))
    )


# ------------------------------------------------------ actions financées par une subvention


def grant_activity(*, user, grant):
    """Ce que Parcours a enregistré pour les actions que finance l'année de subvention ``grant``
    (source d'activité inscrite auprès de ``partners.queries``) : par action, ses séances datées
    dans l'année et ses participants distincts présents ; au total, les personnes distinctes sur
    l'ensemble des actions (comme ``collective_figures``). Le lien vers une action n'est donné
    qu'à qui la voit."""
    actions = GroupAction.objects.filter(
        grant=grant, organisation_id=grant.application.call.organisation_id
    )
    in_year = Q(sessions__date__year=grant.year)
    rows = actions.annotate(
        n_sessions=Count("sessions", filter=in_year, distinct=True),
        n_present=Count(
            "sessions__registrations__person",
            filter=in_year & Q(sessions__registrations__present=True),
            distinct=True,
        ),
    ).order_by("title", "pk")
    visible = set(policies.visible_actions(user).filter(grant=grant).values_list("pk", flat=True))
    participants = (
        Registration.objects.filter(
            session__action__in=actions, session__date__year=grant.year, present=True
        )
        .order_by()
        .aggregate(n=Count("person", distinct=True))["n"]
    )
    return RecordedActivity(
        actions=[
            {
                "title": a.title,
                "pk": a.pk if a.pk in visible else None,
                "sessions": a.n_sessions,
                "participants": a.n_present,
            }
            for a in rows
        ],
        sessions=sum(a.n_sessions for a in rows),
        participants=participants,
    )
