"""Administration de l'organisme, incluse sous ``administration/`` (noms ``administration…``)."""

from django.urls import path

from parcours.core import admin_views as views

urlpatterns = [
    path("", views.index, name="administration"),
    path("organisme/", views.organisation_edit, name="administration-organisme"),
    path("lieux/", views.sites, name="administration-lieux"),
    path("lieux/nouveau/", views.site_edit, name="administration-lieu-nouveau"),
    path("lieux/<int:pk>/", views.site_edit, name="administration-lieu"),
    path("secteurs/", views.sectors, name="administration-secteurs"),
    path("secteurs/nouveau/", views.sector_edit, name="administration-secteur-nouveau"),
    path("secteurs/<int:pk>/", views.sector_edit, name="administration-secteur"),
    path("agents/", views.staff, name="administration-agents"),
    path("agents/nouveau/", views.staff_edit, name="administration-agent-nouveau"),
    path("agents/<int:pk>/", views.staff_edit, name="administration-agent"),
    path(
        "agents/<int:pk>/desactivation/",
        views.staff_deactivate,
        name="administration-agent-desactivation",
    ),
    path(
        "agents/<int:pk>/reactivation/",
        views.staff_reactivate,
        name="administration-agent-reactivation",
    ),
    path("journal/", views.audit_log, name="administration-journal"),
    # Opérateur de la plateforme (superutilisateur) : les organismes.
    path("organismes/", views.organisations, name="administration-organismes"),
    path(
        "organismes/nouveau/",
        views.organisation_create,
        name="administration-organisme-nouveau",
    ),
]
