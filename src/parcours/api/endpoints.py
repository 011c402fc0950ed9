"""L'API des partenaires, ``/api/v1/`` (formats.md §7) : Django Ninja, OpenAPI 3.

Chaque opération : un jeton valide (``Authorization: Bearer``), la portée de la ressource,
le débit compté, la lecture ou l'écriture journalisée. Minces comme des vues : la politique
décide, la requête lit, le service écrit.
"""

from __future__ import annotations

import json
import logging
import re
import traceback

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Status, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from parcours.api import policies, problems, queries, schemas, services
from parcours.api.models import ApiToken, Scope
from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.sharing.services import orientations as orientation_services
from parcours.steering import report

logger = logging.getLogger("parcours.api")

REFERENCE = re.compile(r"SIG-[2-9A-Z]{16}")
ORIENTATION = re.compile(r"[0-9a-f]{16}")
EVALUATION = re.compile(r"EVA-[2-9A-Z]{16}")
#: Les champs du service de réponse (page du lien) et leur nom dans l'API.
ANSWER_FIELDS = {"status": "statut", "comment": "commentaire", "__all__": ""}
ERRORS = dict.fromkeys((401, 403, 422, 429), schemas.Probleme)
#: Les liens OpenAPI (« links ») : ce qu'une réponse permet d'appeler ensuite, avec quelle valeur.
#: Ils documentent l'enchaînement pour les partenaires et guident les essais à états.
FOLLOW_REFERRAL = {
    "suivreSignalement": {
        "operationId": "parcours_api_endpoints_get_referral",
        "parameters": {"path.reference": "$response.body#/reference"},
        "description": "Suivre le signalement créé, par sa référence.",
    }
}
ANSWER_FIRST = {
    "repondrePremiere": {
        "operationId": "parcours_api_endpoints_post_orientation_answer",
        "parameters": {"path.reference": "$response.body#/0/reference"},
        "description": "Répondre à la plus récente des orientations listées.",
    }
}
ANSWER_AGAIN = {
    "repondreEncore": {
        "operationId": "parcours_api_endpoints_post_orientation_answer",
        "parameters": {"path.reference": "$response.body#/reference"},
        "description": "Répondre de nouveau à la même orientation (clôturer après acceptation).",
    }
}
DESCRIPTION = """API de Parcours pour les systèmes des partenaires (formats.md §7).

Chaque appel porte `Authorization: Bearer <jeton>` ; un jeton appartient à un organisme et à un
partenaire de son annuaire (ou à un autre organisme), a des portées et une échéance. Les erreurs
sont des `application/problem+json` (RFC 9457) au `detail` en français ; 422 nomme chaque champ
refusé dans `erreurs`. Guide et exemples : docs/api.md.
"""


class BearerToken(HttpBearer):
    """Le jeton de l'appel : inconnu, expiré ou révoqué → 401 ; débit dépassé → 429."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = services.authenticate(token)
        if found is None:
            return None
        wait = services.count_call(token=found)
        if wait:
            raise problems.Problem(
                429,
                f"Trop d'appels pour ce jeton : réessayez dans {wait} seconde"
                f"{'s' if wait > 1 else ''}.",
                headers={"Retry-After": str(wait)},
            )
        return found


class PartnerApi(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Les réponses d'erreur en ``application/problem+json``, comme elles partent."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        answer["content"] = {problems.MEDIA_TYPE: content["application/json"]}
                    if str(status) == "429":
                        answer["headers"] = {
                            "Retry-After": {
                                "description": "Secondes à attendre avant de réessayer.",
                                "schema": {"type": "integer"},
                            }
                        }
        return schema


api = PartnerApi(
    title="Parcours — API des partenaires",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=BearerToken(),
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _token(request: HttpRequest, scope: str, *params: str) -> ApiToken:
    """Le jeton de l'appel s'il porte ``scope`` (sinon 403) ; un paramètre d'adresse autre
    que ``params`` est refusé (422) : une faute de frappe ne passe pas pour un filtre vide."""
    token = request.auth  # type: ignore[attr-defined]
    if not policies.can_use(token, scope):
        raise problems.Problem(403, f"Ce jeton n'a pas la portée « {scope} ».")
    unknown = sorted(set(request.GET) - set(params))
    if unknown:
        raise problems.Problem(
            422,
            "La requête contient des données invalides : voir « erreurs ».",
            errors=[{"champ": name, "message": "Paramètre inconnu."} for name in unknown],
        )
    return token


# --- Erreurs ------------------------------------------------------------------------------


@api.exception_handler(problems.Problem)
def _problem(request, exc):
    return problems.response(exc)


@api.exception_handler(ValidationError)
def _validation(request, exc):
    return problems.response(
        problems.Problem(
            422,
            "La requête contient des données invalides : voir « erreurs ».",
            errors=problems.validation_errors(exc.errors),
        )
    )


@api.exception_handler(BusinessError)
def _business(request, exc):
    errors = [
        {"champ": "" if name == "__all__" else name, "message": message}
        for name, message in exc.errors.items()
    ]
    return problems.response(
        problems.Problem(422, "La requête est refusée : voir « erreurs ».", errors=errors)
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problems.response(problems.Problem(401, "Jeton absent, inconnu, expiré ou révoqué."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problems.response(problems.Problem(404, "Introuvable pour ce jeton."))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    detail = {
        400: "Requête illisible (corps JSON attendu).",
        405: "Méthode non permise sur cette adresse.",
    }.get(exc.status_code, "Requête refusée.")
    return problems.response(problems.Problem(exc.status_code, detail))


@api.exception_handler(Exception)
def _unexpected(request, exc):
    # Ni message ni valeurs ni texte source (ils peuvent porter des données personnelles) :
    # la nature de l'erreur et la pile (fichier, ligne, fonction) seulement.
    logger.error(
        "Erreur du service : %s %s, %s\n%s",
        request.method,
        request.path_info,
        type(exc).__name__,
        "\n".join(
            f"  {frame.filename}:{frame.lineno} ({frame.name})"
            for frame in traceback.extract_tb(exc.__traceback__)
        ),
    )
    return problems.response(problems.Problem(500, "Erreur du service ; réessayez plus tard."))


def not_found(request: HttpRequest) -> HttpResponse:
    """Toute autre adresse sous ``/api/`` : 404 en ``problem+json``, comme une ressource absente
    (et non la page d'erreur du site)."""
    return problems.response(problems.Problem(404, "Introuvable pour ce jeton."))


# --- Signalements ---------------------------------------------------------------------------


@api.post(
    "/signalements",
    response={201: schemas.SignalementCree, 400: schemas.Probleme, **ERRORS},
    summary="Envoyer un signalement",
    openapi_extra={"responses": {201: {"links": FOLLOW_REFERRAL}}},
    tags=["signalements"],
    description="Portée `signalements:ecrire`. La personne est retrouvée (NIR, sinon nom, prénom,"
    " sexe et naissance) ou sa fiche créée ; le signalement est reçu par l'organisme du jeton.",
)
def post_referral(request, payload: schemas.NouveauSignalement):
    token = _token(request, Scope.SIGNALEMENTS_ECRIRE)
    referral = services.receive_referral(token=token, data=payload.model_dump())
    return Status(201, {"reference": referral.reference, "statut": "RECU"})


@api.get(
    "/signalements/{reference}",
    response={200: schemas.SuiviSignalement, 404: schemas.Probleme, **ERRORS},
    summary="Suivre un signalement",
    tags=["signalements"],
    description="Portée `signalements:lire`. Seuls les signalements envoyés par le partenaire du "
    "jeton ; tout autre répond 404.",
)
def get_referral(request, reference: str):
    token = _token(request, Scope.SIGNALEMENTS_LIRE)
    if not REFERENCE.fullmatch(reference):
        raise Http404
    referral = policies.get_sent_referral_or_404(token, reference)
    services.record_read(
        token=token,
        what="suivi d'un signalement",
        count=1,
        obj=referral,
        person_id=referral.person_id,
    )
    answer = None
    if referral.answered_on is not None:
        answer = {"date": referral.answered_on, "texte": queries.answer_text(referral)}
    return {
        "reference": referral.reference,
        "statut": referral.status,
        "date": referral.received_on,
        "reponse": answer,
    }


# --- Orientations ---------------------------------------------------------------------------


@api.get(
    "/orientations",
    response={200: list[schemas.Orientation], **ERRORS},
    summary="Orientations adressées au partenaire",
    openapi_extra={"responses": {200: {"links": ANSWER_FIRST}}},
    tags=["orientations"],
    description="Portée `orientations:lire`. Les orientations de l'organisme du jeton adressées à "
    "son partenaire (ou organisme), les plus récentes d'abord ; de la personne, les seules "
    "catégories que l'orientation partage (identité, situation, dernière évaluation). Une "
    "orientation dont le consentement a été retiré n'est plus listée.",
)
def get_orientations(request, statut: schemas.StatutOrientation | None = None):
    token = _token(request, Scope.ORIENTATIONS_LIRE, "statut")
    rows = queries.orientations(token, today=clock.today(), status=statut or "")
    people = {row.pop("_person_id") for row in rows}
    services.record_read(
        token=token,
        what=f"orientations reçues ({len(rows)})",
        count=len(people),
        criteria={"statut": statut or ""},
    )
    return rows


@api.post(
    "/orientations/{reference}/reponse",
    response={
        200: schemas.OrientationRepondue,
        400: schemas.Probleme,
        404: schemas.Probleme,
        **ERRORS,
    },
    summary="Répondre à une orientation",
    openapi_extra={"responses": {200: {"links": ANSWER_AGAIN}}},
    tags=["orientations"],
    description="Portée `orientations:repondre`. La réponse du destinataire, comme sur la page "
    "de son lien : accepter, refuser (commentaire obligatoire) ou clôturer une orientation "
    "acceptée ou refusée ; un changement d'état que les règles refusent répond 422.",
)
def post_orientation_answer(request, reference: str, payload: schemas.ReponseOrientation):
    token = _token(request, Scope.ORIENTATIONS_REPONDRE)
    if not ORIENTATION.fullmatch(reference):
        raise Http404
    orientation = policies.get_orientation_or_404(token, reference, clock.today())
    try:
        orientation = orientation_services.answer_by_link(
            orientation=orientation, status=payload.statut, comment=payload.commentaire
        )
    except BusinessError as error:
        errors = [
            {"champ": ANSWER_FIELDS.get(name, name), "message": message}
            for name, message in error.errors.items()
        ]
        named = ", ".join(f"« {e['champ']} »" for e in errors if e["champ"])
        raise problems.Problem(
            422,
            f"La réponse est refusée ({named or 'orientation'}) : {errors[0]['message']}",
            errors=errors,
        ) from None
    return {"reference": orientation.reference, "statut": orientation.status}


# --- Évaluations partagées ---------------------------------------------------------------------


@api.get(
    "/evaluations/{reference}",
    response={200: schemas.EvaluationPartagee, 404: schemas.Probleme, **ERRORS},
    summary="Lire une évaluation partagée",
    tags=["evaluations"],
    description="Portée `evaluations:lire`. Une évaluation des besoins de l'organisme du jeton "
    "partagée avec son partenaire (ou organisme) : date, organisme auteur, les 10 variables "
    "AGGIR, GIR. Partage inconnu, adressé à un autre, ou dont le consentement a été retiré : 404.",
)
def get_evaluation(request, reference: str):
    token = _token(request, Scope.EVALUATIONS_LIRE)
    if not EVALUATION.fullmatch(reference):
        raise Http404
    share = policies.get_evaluation_share_or_404(token, reference, clock.today())
    services.record_read(
        token=token,
        what="évaluation partagée",
        count=1,
        obj=share,
        person_id=share.evaluation.person_id,
    )
    return queries.evaluation_share(share)


# --- Collectif ------------------------------------------------------------------------------


@api.get(
    "/collectif/seances",
    response={200: list[schemas.Seance], **ERRORS},
    summary="Séances collectives à venir",
    tags=["collectif"],
    description="Portée `collectif:lire`. Les séances de l'organisme du jeton à partir "
    "d'aujourd'hui (ou de `du`), avec les places restantes ; l'intitulé d'une action qui n'est "
    "pas public est remplacé par son type.",
)
def get_sessions(
    request,
    departement: str = Query("", pattern=schemas.DEPARTEMENT),
    du: schemas.Date | None = None,
    au: schemas.Date | None = None,
):
    token = _token(request, Scope.COLLECTIF_LIRE, "departement", "du", "au")
    rows = queries.upcoming_sessions(
        token, today=clock.today(), departement=departement, start=du, end=au
    )
    services.record_read(
        token=token,
        what=f"séances collectives à venir ({len(rows)})",
        count=0,
        criteria={"departement": departement, "du": str(du or ""), "au": str(au or "")},
    )
    return rows


# --- Rapport d'activité -------------------------------------------------------------------


@api.get(
    "/rapports/activite",
    response={200: schemas.RapportActivite, **ERRORS},
    summary="Rapport d'activité (formats.md §5)",
    tags=["rapports"],
    description="Portée `rapports:lire`. Le JSON de formats.md §5 pour l'organisme du jeton, une "
    "région ou un département : les mêmes octets que l'export du rapport et `parcours "
    "rapport-activite`.",
)
def get_activity_report(
    request,
    annee: int = Query(..., ge=1900, le=2200),
    region: str = Query("", pattern=schemas.REGION),
    departement: str = Query("", pattern=schemas.DEPARTEMENT),
):
    token = _token(request, Scope.RAPPORTS_LIRE, "annee", "region", "departement")
    if region and departement:
        raise BusinessError({"region": "Choisissez une région ou un département, pas les deux."})
    try:
        where = report.territory(token.organisation, region=region, departement=departement)
    except report.UnknownTerritory as error:
        raise BusinessError({"region" if region else "departement": str(error)}) from None
    document = report.build(token.organisation, annee, where)
    services.record_read(
        token=token,
        what=f"rapport d'activité {annee} ({where.label})",
        count=0,
        criteria={"annee": annee, "region": region, "departement": departement},
    )
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )


# --- Référentiel ----------------------------------------------------------------------------


@api.get(
    "/referentiel/communes",
    response={200: list[schemas.Commune], **ERRORS},
    summary="Communes d'un département",
    tags=["referentiel"],
    description="Portée `referentiel:lire`. Code INSEE, nom, EPCI (SIREN), département, codes "
    "postaux.",
)
def get_communes(
    request,
    departement: str = Query(..., pattern=schemas.DEPARTEMENT),
):
    token = _token(request, Scope.REFERENTIEL_LIRE, "departement")
    rows = queries.communes(departement)
    services.record_read(
        token=token,
        what=f"communes du département {departement}",
        count=0,
        criteria={"departement": departement},
    )
    return rows
