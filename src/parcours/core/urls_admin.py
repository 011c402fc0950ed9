"""Administration de l'organisme, incluse sous ``administration/`` (noms ``administration…``)."""

from django.urls import path

from parcours.core.admin_views import audit, organisation, platform, sectors, sites, staff

urlpatterns = [
    path("", organisation.index, name="administration"),
    path("organisme/", organisation.organisation_edit, name="administration-organisme"),
    path("lieux/", sites.sites, name="administration-lieux"),
    path("lieux/nouveau/", sites.site_edit, name="administration-lieu-nouveau"),
    path("lieux/<int:pk>/", sites.site_edit, name="administration-lieu"),
    path("secteurs/", sectors.sectors, name="administration-secteurs"),
    path("secteurs/nouveau/", sectors.sector_edit, name="administration-secteur-nouveau"),
    path("secteurs/<int:pk>/", sectors.sector_edit, name="administration-secteur"),
    path("agents/", staff.staff, name="administration-agents"),
    path("agents/nouveau/", staff.staff_edit, name="administration-agent-nouveau"),
    path("agents/<int:pk>/", staff.staff_edit, name="administration-agent"),
    path(
        "agents/<int:pk>/desactivation/",
        staff.staff_deactivate,
        name="administration-agent-desactivation",
    ),
    path(
        "agents/<int:pk>/reactivation/",
        staff.staff_reactivate,
        name="administration-agent-reactivation",
    ),
    path("journal/", audit.audit_log, name="administration-journal"),
    # Opérateur de la plateforme (superutilisateur) : les organismes.
    path("organismes/", platform.organisations, name="administration-organismes"),
    path(
        "organismes/nouveau/",
        platform.organisation_create,
        name="administration-organisme-nouveau",
    ),
]
