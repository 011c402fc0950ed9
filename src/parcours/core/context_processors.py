from parcours.core.roles import Role


def parcours(request):
    agent = getattr(request, "agent", None)
    return {"agent": agent, "Role": Role, "SITE_TITLE": "Parcours"}
