from django.urls import path

from parcours.partners.views import directory as views
from parcours.partners.views import subsidies

urlpatterns = [
    path("", views.partner_list, name="partenaires"),
    path("nouveau/", views.partner_new, name="partenaire-nouveau"),
    path("<int:pk>/", views.partner_detail, name="partenaire"),
    path("<int:pk>/modifier/", views.partner_edit, name="partenaire-modifier"),
    path("<int:pk>/verifier/", views.partner_confirm, name="partenaire-verifier"),
    path("<int:pk>/fusionner/", views.partner_merge, name="partenaire-fusionner"),
    path("<int:pk>/contacts/nouveau/", views.contact_new, name="partenaire-contact-nouveau"),
    path("contacts/<int:pk>/modifier/", views.contact_edit, name="partenaire-contact-modifier"),
    path(
        "<int:pk>/conventions/nouvelle/",
        views.convention_new,
        name="partenaire-convention-nouvelle",
    ),
    path(
        "conventions/<int:pk>/modifier/",
        views.convention_edit,
        name="partenaire-convention-modifier",
    ),
    # Subventions : appels à projets, candidatures, années accordées, versements, bilans.
    path("appels/", subsidies.call_list, name="subventions"),
    path("appels/nouveau/", subsidies.call_new, name="appel-nouveau"),
    path("appels/export.<str:fmt>", subsidies.grants_export, name="subventions-export"),
    path("appels/<int:pk>/", subsidies.call_detail, name="appel"),
    path("appels/<int:pk>/modifier/", subsidies.call_edit, name="appel-modifier"),
    path(
        "appels/<int:pk>/candidatures/nouvelle/",
        subsidies.application_new,
        name="candidature-nouvelle",
    ),
    path("candidatures/<int:pk>/", subsidies.application_detail, name="candidature"),
    path(
        "candidatures/<int:pk>/decision/",
        subsidies.application_decision,
        name="candidature-decision",
    ),
    path(
        "candidatures/<int:pk>/subventions/nouvelle/",
        subsidies.grant_new,
        name="subvention-nouvelle",
    ),
    path("subventions/<int:pk>/", subsidies.grant_detail, name="subvention"),
    path(
        "subventions/<int:pk>/versements/nouveau/",
        subsidies.payment_new,
        name="versement-nouveau",
    ),
    path("subventions/<int:pk>/bilan/", subsidies.report_edit, name="bilan"),
]
