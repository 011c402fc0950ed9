"""Un formulaire de création ne crée qu'une fois, même envoyé deux fois (double clic, retour).

- ``OnceTokenMiddleware`` ajoute à chaque formulaire POST d'une page HTML (pages entières et
  fragments htmx) un champ caché ``_once`` : un jeton neuf à chaque affichage, placé à côté du
  jeton CSRF que porte tout formulaire POST ;
- ``@creates_once`` sur une vue qui crée : le premier envoi d'un jeton est traité et sa
  réponse gardée (``FormSubmission`` : redirection, ou page et fragment htmx) ; un envoi
  suivant du même jeton reçoit la même réponse, sans rien recréer. Une réponse d'erreur (4xx,
  5xx) libère le jeton. Une page réaffichée (formulaire à corriger) porte des jetons neufs :
  la saisie corrigée repart normalement.

Deux envois simultanés : la ligne du jeton est insérée dans la transaction de la requête
(``ATOMIC_REQUESTS``) ; le second attend la fin du premier (index unique sous PostgreSQL,
verrou d'écriture sous SQLite) puis rejoue sa réponse. Un envoi sans jeton (client hors
navigateur) est traité tel quel. Les jetons de plus de ``KEEP`` sont effacés au fil de l'eau.
"""

import contextlib
import datetime
import re
import secrets
from functools import wraps

from django.contrib import messages
from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import render

from parcours.core import clock
from parcours.core.models import FormSubmission

FIELD = "_once"
KEEP = datetime.timedelta(days=1)
REPLAYED_HEADERS = ("Content-Type", "Location", "HX-Redirect", "HX-Location", "HX-Trigger")
MAX_CONTENT = 2 * 1024 * 1024  # une réponse plus lourde n'est pas gardée (jeton libéré)

ALREADY_SENT = "Ce formulaire a déjà été envoyé. Rechargez la page pour en remplir un autre."
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
_CSRF_INPUT = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')


def new_token() -> str:
    return secrets.token_urlsafe(24)


def hidden_field() -> str:
    return f'<input type="hidden" name="{FIELD}" value="{new_token()}">'


class OnceTokenMiddleware:
    """Le champ ``_once`` dans chaque formulaire POST d'une réponse HTML (un jeton par champ)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and b"csrfmiddlewaretoken" in response.content
        ):
            response.content = _CSRF_INPUT.sub(
                lambda m: m.group(0) + hidden_field().encode(), response.content
            )
        return response


def creates_once(view):
    """La vue ne crée qu'une fois par jeton ``_once`` ; un envoi répété rejoue la réponse."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not _TOKEN.fullmatch(token):
            return view(request, *args, **kwargs)
        actor = request.user if request.user.is_authenticated else None
        now = clock.now()
        FormSubmission.objects.filter(at__lt=now - KEEP).delete()
        try:
            with transaction.atomic():
                submission = FormSubmission.objects.create(
                    token=token, actor=actor, path=request.path[:300], at=now
                )
        except IntegrityError:
            return _replay(request, token, actor)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            # requête en échec : le jeton reste utilisable (transaction annulée : déjà fait)
            with contextlib.suppress(DatabaseError):
                submission.delete()
            raise
        if _is_kept(response):
            submission.status = response.status_code
            submission.location = response.get("Location", "")[:500]
            submission.headers = {h: response[h] for h in REPLAYED_HEADERS if h in response}
            submission.content = b"" if submission.location else response.content
            submission.save(update_fields=["status", "location", "headers", "content"])
        else:
            submission.delete()  # erreur : le jeton reste utilisable
        return response

    wrapper.creates_once = True
    return wrapper


def _is_kept(response) -> bool:
    return (
        response.status_code < 400
        and not response.streaming
        and len(response.content) <= MAX_CONTENT
    )


def _replay(request, token: str, actor):
    submission = FormSubmission.objects.filter(token=token).first()
    if (
        submission is None
        or submission.status is None
        or submission.actor_id != getattr(actor, "pk", None)
        or submission.path != request.path[:300]
    ):
        return render(
            request,
            "erreurs/409.html",
            {"message": ALREADY_SENT},
            status=409,
        )
    if submission.location:
        messages.info(
            request, "Ce formulaire avait déjà été envoyé : rien n'est enregistré deux fois."
        )
    response = HttpResponse(bytes(submission.content), status=submission.status)
    for header, value in submission.headers.items():
        response[header] = value
    return response
