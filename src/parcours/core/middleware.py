"""Contexte de l'agent et second facteur obligatoire ; pages d'erreur françaises en DEBUG."""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.signals import got_request_exception
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from parcours.core.policies import must_use_second_factor
from parcours.core.roles import agent_context

logger = logging.getLogger("django.request")

OPEN_PATHS = ("/static/", "/connexion/", "/deconnexion/", "/compte/second-facteur/", "/sante/")


class AgentContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.agent = agent_context(user)
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_PATHS)
            and not user.is_verified()
        ):
            from django_otp import user_has_device

            if user_has_device(user):
                return redirect(reverse("verification-otp"))
            if must_use_second_factor(user):
                return redirect(reverse("second-facteur"))
        return self.get_response(request)


class FrenchErrorPagesMiddleware:
    """Les pages d'erreur françaises dans tous les modes, DEBUG compris.

    Avec ``DEBUG``, Django répondrait par ses pages techniques en anglais (adresse inconnue,
    ``Http404``, exception, requête invalide) : elles exposent réglages, chemins et données de la
    requête. Ici, la réponse est toujours celle des gestionnaires de ``urls.py`` ; le détail
    (trace de l'exception) part seulement dans le journal de la console (``django.request``).
    Hors ``DEBUG``, Django appelle déjà ces gestionnaires : rien ne change.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None
        ):
            # Adresse sans vue : Django a déjà rendu sa page technique (et journalisé).
            return _handler(404)(request, Http404())
        return response

    def process_exception(self, request, exception):
        if not settings.DEBUG:
            return None
        if isinstance(exception, Http404):
            return _handler(404)(request, exception)
        if isinstance(exception, PermissionDenied):
            return None  # gestionnaire 403 appelé par Django dans tous les modes
        if isinstance(exception, BadRequest | SuspiciousOperation):
            logger.warning("Requête invalide : %s", request.path, exc_info=exception)
            return _handler(400)(request, exception)
        got_request_exception.send(sender=None, request=request)
        logger.error("Erreur du service : %s", request.path, exc_info=exception)
        return _handler(500)(request)


def _handler(status: int):
    from django.urls import get_resolver

    return get_resolver().resolve_error_handler(status)
