"""Les lectures de l'API : séances à venir, communes, suivi d'un signalement, orientations."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

from parcours.api import policies
from parcours.core.models import Commune
from parcours.core.nomenclatures import TypeCollectif
from parcours.groups import queries as group_queries
from parcours.rules import aggir
from parcours.rules import sharing as sharing_rules
from parcours.sharing import queries as sharing_queries

if TYPE_CHECKING:
    from parcours.api.models import ApiToken
    from parcours.outreach.models import Referral
    from parcours.sharing.models import EvaluationShare, Orientation

#: Au plus tant de séances par réponse (les plus proches d'abord).
MAX_SESSIONS = 500
#: Au plus tant d'orientations par réponse (les plus récentes d'abord).
MAX_ORIENTATIONS = 500


def neutral_title(action_type: str) -> str:
    """L'intitulé montré quand celui de l'action n'est pas public : son type seulement
    (« Atelier ») — un intitulé peut révéler une maladie ou un arrêt de travail."""
    return TypeCollectif(action_type).label if action_type in TypeCollectif.values else "Séance"


def upcoming_sessions(
    token: ApiToken,
    *,
    today: datetime.date,
    departement: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[dict]:
    sessions = policies.visible_sessions(token).filter(date__gte=max(start or today, today))
    if end is not None:
        sessions = sessions.filter(date__lte=end)
    if departement:
        sessions = sessions.filter(action__departement_id=departement)
    found: list[Any] = list(
        group_queries.sessions_with_counts(
            sessions.select_related("action", "site", "partner").annotate(
                place_commune=group_queries.session_commune()
            )
        ).order_by("date", "start_time", "id")[:MAX_SESSIONS]
    )
    # la commune de la séance : saisie, sinon celle du lieu, sinon celle du partenaire
    names = dict(
        Commune.objects.filter(code__in={s.place_commune for s in found}).values_list(
            "code", "name"
        )
    )
    rows = []
    for session in found:
        action = session.action
        code = session.place_commune
        rows.append(
            {
                "titre": action.title if action.title_is_public else neutral_title(action.type),
                "titre_public": action.title_is_public,
                "type": action.type,
                "programme": action.programme,
                "date": session.date,
                "heure_debut": session.start_time.strftime("%H:%M"),
                "heure_fin": session.end_time.strftime("%H:%M") if session.end_time else None,
                "lieu": session.place,
                "commune": {"code": code, "nom": names[code]} if code in names else None,
                "departement": action.departement_id,
                "visio": session.video,
                "places": session.capacity,
                "places_restantes": max(0, session.capacity - session.n_registered),
            }
        )
    return rows


def communes(departement: str) -> list[dict]:
    rows = Commune.objects.filter(departement_id=departement).order_by("code")
    return [
        {
            "code": c.code,
            "nom": c.name,
            "epci": c.epci_id or "",
            "departement": c.departement_id,
            "codes_postaux": c.postal_codes.split(),
        }
        for c in rows
    ]


def answer_text(referral: Referral) -> str:
    """Le texte de la réponse faite à l'émetteur (le courrier de la détection)."""
    return render_to_string(
        "outreach/reponse_signalement.txt",
        {"referral": referral, "organisation": referral.person.organisation},
    ).strip()


def orientations(token: ApiToken, *, today: datetime.date, status: str = "") -> list[dict]:
    """Les orientations adressées au partenaire du jeton, avec les seules catégories partagées
    (la sélection de la page du lien : ``sharing.queries.shared_by_orientation``)."""
    found = policies.visible_orientations(token, today)
    if status:
        found = found.filter(status=status)
    found = found.select_related("person__commune").order_by("-sent_at", "-pk")
    rows = list(found[:MAX_ORIENTATIONS])
    # la dernière évaluation de chaque personne, en une requête pour toute la liste
    latest = sharing_queries.latest_evaluations(
        {o.person_id for o in rows if sharing_rules.EVALUATION in o.categories}
    )
    return [orientation_row(o, latest) for o in rows]


def orientation_row(orientation: Orientation, latest: dict) -> dict:
    """Une orientation listée ; ``latest`` : la dernière évaluation de chaque personne, déjà
    lue (``sharing.queries.latest_evaluations``)."""
    shown = sharing_queries.shared_by_orientation(
        orientation, evaluation=latest.get(orientation.person_id)
    )
    person = shown.get("identity")
    evaluation = shown.get("evaluation")
    commune = person.commune if person is not None else None
    return {
        "reference": orientation.reference,
        "statut": orientation.status,
        "date_envoi": orientation.sent_on,
        "date_reception": orientation.received_on,
        "date_reponse": orientation.answered_on,
        "echeance": orientation.deadline,
        "motif": orientation.reason,
        "motif_libelle": orientation.get_reason_display(),
        "demande": orientation.request,
        "commentaire_reponse": orientation.answer_comment,
        "categories": list(orientation.categories),
        "identite": None
        if person is None
        else {
            "nom": person.last_name,
            "prenom": person.first_names,
            "date_naissance": person.birth_date,
            "adresse": person.address,
            "code_postal": person.postal_code,
            "commune": {"code": commune.code, "nom": commune.name} if commune else None,
            "telephone": person.phone,
            "email": person.email,
        },
        "situation": None
        if "situation" not in shown
        else [{"libelle": label, "valeur": value} for label, value in shown["situation"]],
        "evaluation": None
        if evaluation is None
        else {"date": evaluation.evaluated_on, "gir": evaluation.gir},
        "_person_id": orientation.person_id,
    }


def evaluation_share(share: EvaluationShare) -> dict:
    """Une évaluation partagée : sa date, l'organisme auteur, la grille AGGIR et le GIR ; ni la
    situation ni le plan proposé."""
    evaluation = share.evaluation
    author = evaluation.organisation
    return {
        "reference": share.reference,
        "date": evaluation.evaluated_on,
        "organisme": {"code": author.code, "nom": author.name},
        "variables": {name: getattr(evaluation, name.lower()) for name in aggir.VARIABLES},
        "gir": evaluation.gir,
        "partagee_le": share.shared_at.date(),
    }
