"""Contexte de l'agent et second facteur obligatoire."""

from django.shortcuts import redirect
from django.urls import reverse

from parcours.core.policies import must_use_second_factor
from parcours.core.roles import agent_context

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
