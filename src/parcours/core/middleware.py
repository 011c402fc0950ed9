"""Contexte de l'agent et second facteur obligatoire."""

from django.shortcuts import redirect
from django.urls import reverse

from parcours.core.roles import agent_context

OPEN_PATHS = ("/static/", "/connexion/", "/deconnexion/", "/compte/second-facteur/", "/sante/")


def needs_second_factor(user) -> bool:
    """Les administrateurs doivent avoir un second facteur ; les autres s'ils l'ont activé."""
    return user.is_org_admin or user.is_superuser


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
            if needs_second_factor(user):
                return redirect(reverse("second-facteur"))
        return self.get_response(request)
