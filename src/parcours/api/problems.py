"""Les erreurs de l'API : ``application/problem+json`` (RFC 9457), en français, jamais de trace.

``type`` est une adresse stable par nature d'erreur (``/api/v1/problemes/<nature>``) ; 422
liste chaque champ refusé dans ``erreurs`` (``champ`` en notation pointée :
``personne.date_naissance``).
"""

from __future__ import annotations

import json
import logging

from django.http import HttpResponse

logger = logging.getLogger("parcours.api")

MEDIA_TYPE = "application/problem+json"

TITLES = {
    400: ("requete-invalide", "Requête invalide"),
    401: ("non-authentifie", "Authentification requise"),
    403: ("portee-manquante", "Portée manquante"),
    404: ("introuvable", "Introuvable"),
    405: ("methode-non-permise", "Méthode non permise"),
    422: ("donnees-invalides", "Données invalides"),
    429: ("trop-de-requetes", "Trop de requêtes"),
    500: ("erreur-du-service", "Erreur du service"),
}


class Problem(Exception):
    """Une erreur à rendre telle quelle : statut, détail (français), champs refusés."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def response(problem: Problem) -> HttpResponse:
    slug, title = TITLES.get(problem.status, ("erreur", "Erreur"))
    body: dict[str, object] = {
        "type": f"/api/v1/problemes/{slug}",
        "title": title,
        "status": problem.status,
        "detail": problem.detail,
    }
    if problem.errors is not None:
        body["erreurs"] = problem.errors
    result = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=problem.status, content_type=MEDIA_TYPE
    )
    for name, value in problem.headers.items():
        result[name] = value
    if problem.status == 401:
        result["WWW-Authenticate"] = 'Bearer realm="parcours"'
    return result


# --- Erreurs de validation (pydantic) en français -------------------------------------------

_SKIPPED = {"body", "query", "path", "payload", "header"}


def field_name(loc: list | tuple) -> str:
    """``("body", "payload", "personne", "nir")`` → ``personne.nir``."""
    parts = [str(p) for p in loc if str(p) not in _SKIPPED]
    return ".".join(parts)


def french_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    given = error.get("input")
    if kind == "missing":
        return "Ce champ est obligatoire."
    if kind in {"enum", "literal_error"}:
        expected = ctx.get("expected", "")
        return f"Valeur inconnue : choisissez parmi {expected}.".replace("'", "")
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"« {given} » n'est pas une date AAAA-MM-JJ."
    if kind == "string_too_long":
        return f"Trop long : {ctx.get('max_length')} caractères au plus."
    if kind == "string_too_short":
        return f"Trop court : {ctx.get('min_length')} caractère(s) au moins."
    if kind == "string_pattern_mismatch":
        return "Format non reconnu."
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "Un nombre entier est attendu."
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        return "Valeur hors des bornes permises."
    if kind in {"string_type", "string_sub_type"}:
        return "Une chaîne de caractères est attendue."
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return "Un objet JSON est attendu."
    if kind == "json_invalid":
        return "Le corps de la requête n'est pas du JSON valide."
    if kind == "value_error":
        return str(ctx.get("error", "Valeur invalide."))
    if kind == "extra_forbidden":
        return "Champ inconnu."
    return "Valeur invalide."


def validation_errors(errors: list[dict]) -> list[dict[str, str]]:
    return [
        {"champ": field_name(error.get("loc", ())), "message": french_message(error)}
        for error in errors
    ]
