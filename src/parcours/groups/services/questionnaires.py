"""Questionnaires : modèles, questions, ouverture pour une personne, réponses."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict

from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet

from parcours.core import audit, clock
from parcours.core.exceptions import BusinessError
from parcours.core.nomenclatures import Programme, TypeCollectif
from parcours.groups.models import (
    Answer,
    GroupAction,
    Invitation,
    Question,
    Questionnaire,
    Registration,
    Response,
)
from parcours.rules import collective as rules

if TYPE_CHECKING:
    from parcours.core.models import User


@transaction.atomic
def create_questionnaire(
    *,
    actor: User | None,
    organisation_id: int,
    title: str,
    moment: str,
    months_after: int = 0,
    action_type: str = "",
    programme: str = "",
) -> Questionnaire:
    errors = {}
    if not action_type and not programme:
        errors["action_type"] = "Rattachez le questionnaire à un type d'action ou à un programme."
    if moment == rules.LATER and months_after < 1:
        errors["months_after"] = "Un questionnaire d'impact se remplit au moins un mois après."
    if errors:
        raise BusinessError(errors)
    questionnaire = Questionnaire.objects.create(
        organisation_id=organisation_id,
        title=title,
        moment=moment,
        months_after=months_after if moment == rules.LATER else 0,
        action_type=action_type,
        programme=programme,
    )
    audit.record_write(
        actor=actor, obj=questionnaire, before=None, person_id=None, summary="Questionnaire créé"
    )
    return questionnaire


@transaction.atomic
def add_question(
    *,
    actor: User | None,
    questionnaire: Questionnaire,
    text: str,
    answer_type: str,
    scale_max: int = 5,
    choices: Iterable[str] = (),
    positive_choices: Iterable[int | str] = (),
    required: bool = False,
) -> Question:
    choices = [c.strip() for c in choices if c.strip()]
    if answer_type == rules.CHOICE and len(choices) < 2:
        raise BusinessError({"choices": "Proposez au moins deux réponses, une par ligne."})
    if answer_type == rules.SCALE and not 2 <= scale_max <= 10:
        raise BusinessError({"scale_max": "Une note maximale entre 2 et 10."})
    positive = sorted({int(p) for p in positive_choices if 0 <= int(p) < len(choices)})
    position = questionnaire.questions.count() + 1
    question = Question.objects.create(
        questionnaire=questionnaire,
        position=position,
        text=text,
        answer_type=answer_type,
        scale_max=scale_max if answer_type == rules.SCALE else 5,
        choices=choices if answer_type == rules.CHOICE else [],
        positive_choices=positive if answer_type == rules.CHOICE else [],
        required=required,
    )
    audit.record_write(
        actor=actor, obj=question, before=None, person_id=None, summary="Question ajoutée"
    )
    return question


def applicable_questionnaires(action: GroupAction) -> QuerySet[Questionnaire]:
    """Les questionnaires en service rattachés au type ou au programme de l'action."""
    return Questionnaire.objects.filter(
        organisation_id=action.organisation_id,
        active=True,
    ).filter(
        (Q(action_type="") | Q(action_type=action.type))
        & (Q(programme="") | Q(programme=action.programme))
    )


def questionnaire_opens_on(
    questionnaire: Questionnaire, invitation: Invitation
) -> datetime.date | None:
    """Date d'ouverture du questionnaire pour cette personne, ou ``None`` (pas concernée)."""
    bounds = invitation.action.sessions.aggregate(first=Min("date"), last=Max("date"))
    if bounds["first"] is None:
        return None
    attended = Registration.objects.filter(
        session__action=invitation.action, person=invitation.person, present=True
    ).aggregate(last=Max("session__date"))["last"]
    if (
        questionnaire.moment == rules.START
        and not Registration.objects.filter(
            session__action=invitation.action, person=invitation.person
        )
        .exclude(status=rules.CANCELLED)
        .exists()
    ):
        return None
    return rules.questionnaire_opens_on(
        questionnaire.moment,
        months=questionnaire.months_after,
        first_session=bounds["first"],
        last_session=bounds["last"],
        last_attended=attended,
    )


@transaction.atomic
def submit_response(
    *,
    actor: User | None,
    questionnaire: Questionnaire,
    invitation: Invitation,
    raw: dict[str, str],
    source: str,
) -> Response:
    """Enregistre un questionnaire rempli ; chaque réponse est validée selon son type.

    ``raw`` : ``{"q<id>": texte saisi}``. Erreurs par question (clé ``q<id>``) ; rien n'est
    enregistré si une réponse est refusée. Une personne répond une fois par questionnaire.
    """
    if questionnaire.organisation_id != invitation.organisation_id:
        raise BusinessError("Questionnaire inconnu.")
    if Response.objects.filter(questionnaire=questionnaire, invitation=invitation).exists():
        raise BusinessError("Ce questionnaire a déjà été rempli pour cette personne.")
    opens = questionnaire_opens_on(questionnaire, invitation)
    if opens is None or opens > clock.today():
        raise BusinessError("Ce questionnaire n'est pas encore ouvert pour cette personne.")
    values, errors = [], {}
    for question in questionnaire.questions.all():
        key = f"q{question.pk}"
        try:
            value, text = rules.validate_answer(
                question.answer_type,
                raw.get(key),
                required=question.required,
                scale_max=question.scale_max,
                choices=question.choices,
            )
        except rules.InvalidAnswer as error:
            errors[key] = str(error)
            continue
        if value is not None or text:
            values.append((question, value, text))
    if errors:
        raise BusinessError(errors)
    if not values:
        raise BusinessError("Répondez au moins à une question.")
    response = Response.objects.create(
        organisation_id=invitation.organisation_id,
        questionnaire=questionnaire,
        invitation=invitation,
        source=source,
        submitted_at=clock.now(),
        entered_by=actor,
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=q, value=v, text=t) for q, v, t in values
    )
    audit.record(
        actor=actor,
        action="CREATE",
        obj=response,
        person_id=invitation.person_id,
        summary="Questionnaire rempli"
        + (" (saisi d'après le papier)" if source == Response.Source.PAPIER else ""),
        organisation_id=invitation.organisation_id,
    )
    return response


class _QuestionExtra(TypedDict, total=False):
    choices: list[str]
    positive: list[int]


# (intitulé, moment, mois, type, programme, questions (texte, type de réponse, compléments))
_DefaultQuestionnaire = tuple[str, str, int, str, str, list[tuple[str, str, _QuestionExtra]]]

DEFAULT_QUESTIONNAIRES: list[_DefaultQuestionnaire] = [
    (
        "Satisfaction — réunion d'information",
        rules.AT_END,
        0,
        TypeCollectif.INFO_COLLECTIVE,
        "",
        [
            ("Avez-vous apprécié d'être invité·e à cette réunion ?", rules.YES_NO, {}),
            ("Les informations données étaient-elles claires ?", rules.SCALE, {}),
            ("Connaissez-vous mieux vos droits et vos devoirs ?", rules.YES_NO, {}),
            ("Savez-vous mieux à qui vous adresser ?", rules.YES_NO, {}),
            ("Vos remarques", rules.TEXT, {}),
        ],
    ),
    (
        "Impact à 3 mois — réunion d'information",
        rules.LATER,
        3,
        TypeCollectif.INFO_COLLECTIVE,
        "",
        [
            ("Avez-vous engagé des démarches depuis la réunion ?", rules.YES_NO, {}),
            (
                "Dans quel domaine surtout ?",
                rules.CHOICE,
                {
                    "choices": [
                        "Droits",
                        "Santé",
                        "Travail",
                        "Budget",
                        "Complémentaire santé",
                        "Aucune",
                    ],
                    "positive": [0, 1, 2, 3, 4],
                },
            ),
            ("Connaissez-vous mieux les aides possibles ?", rules.YES_NO, {}),
        ],
    ),
    (
        "Bien vieillir — début de l'atelier",
        rules.START,
        0,
        TypeCollectif.ATELIER,
        Programme.BIEN_VIEILLIR,
        [("Comment jugez-vous votre forme aujourd'hui ?", rules.SCALE, {})],
    ),
    (
        "Bien vieillir — fin de l'atelier",
        rules.END,
        0,
        TypeCollectif.ATELIER,
        Programme.BIEN_VIEILLIR,
        [
            ("Comment jugez-vous votre forme aujourd'hui ?", rules.SCALE, {}),
            ("L'atelier vous a-t-il été utile ?", rules.YES_NO, {}),
        ],
    ),
    (
        "Bien vieillir — 6 mois après",
        rules.LATER,
        6,
        TypeCollectif.ATELIER,
        Programme.BIEN_VIEILLIR,
        [
            ("Comment jugez-vous votre forme aujourd'hui ?", rules.SCALE, {}),
            ("Avez-vous gardé les habitudes prises à l'atelier ?", rules.YES_NO, {}),
        ],
    ),
]


@transaction.atomic
def ensure_default_questionnaires(
    *, actor: User | None, organisation_id: int
) -> list[Questionnaire]:
    """Crée les questionnaires types de l'organisme s'il n'en a aucun."""
    if Questionnaire.objects.filter(organisation_id=organisation_id).exists():
        return []
    created = []
    for title, moment, months, action_type, programme, questions in DEFAULT_QUESTIONNAIRES:
        questionnaire = create_questionnaire(
            actor=actor,
            organisation_id=organisation_id,
            title=title,
            moment=moment,
            months_after=months,
            action_type=action_type,
            programme=programme,
        )
        for text, answer_type, extra in questions:
            add_question(
                actor=actor,
                questionnaire=questionnaire,
                text=text,
                answer_type=answer_type,
                choices=extra.get("choices", ()),
                positive_choices=extra.get("positive", ()),
            )
        created.append(questionnaire)
    return created
