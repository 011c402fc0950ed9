from django.urls import path

from parcours.sharing.views import consents as views
from parcours.sharing.views import orientations, pathways, public

urlpatterns = [
    path("personnes/<int:pk>/partages/", views.person_sharing, name="personne-partages"),
    path(
        "personnes/<int:pk>/consentements/nouveau/",
        views.consent_new,
        name="consentement-nouveau",
    ),
    path("consentements/<int:pk>/retirer/", views.consent_withdraw, name="consentement-retirer"),
    # Parcours partagés entre organismes, évaluations reconnues
    path("parcours-partages/", pathways.pathway_list, name="parcours-partages"),
    path(
        "personnes/<int:pk>/parcours-partages/nouveau/",
        pathways.pathway_new,
        name="parcours-partage-nouveau",
    ),
    path("parcours-partages/<int:pk>/", pathways.pathway_detail, name="parcours-partage"),
    path(
        "parcours-partages/<int:pk>/etapes/",
        pathways.pathway_step,
        name="parcours-partage-etape",
    ),
    path(
        "parcours-partages/<int:pk>/synthese/",
        pathways.pathway_synthesis,
        name="parcours-partage-synthese",
    ),
    path(
        "parcours-partages/<int:pk>/participants/",
        pathways.pathway_participant,
        name="parcours-partage-participant",
    ),
    path(
        "parcours-partages/<int:pk>/cloture/",
        pathways.pathway_close,
        name="parcours-partage-cloture",
    ),
    path("evaluations/<int:pk>/partager/", pathways.evaluation_share, name="evaluation-partager"),
    path("evaluations-partagees/", pathways.received_evaluations, name="evaluations-partagees"),
    path(
        "evaluations-partagees/<int:pk>/",
        pathways.received_evaluation,
        name="evaluation-partagee",
    ),
    path("personnes/<int:pk>/orienter/", orientations.orientation_new, name="orientation-nouvelle"),
    path(
        "personnes/<int:pk>/orienter/categories/",
        orientations.orientation_categories,
        name="orientation-categories",
    ),
    path("orientations/", orientations.orientations_dashboard, name="orientations"),
    path("orientations/<int:pk>/", orientations.orientation_detail, name="orientation"),
    path(
        "orientations/<int:pk>/cloturer/",
        orientations.orientation_close,
        name="orientation-cloturer",
    ),
    path(
        "partenaires/<int:pk>/orientations/",
        orientations.partner_orientations,
        name="partenaire-orientations",
    ),
    path("orientations/lien/<str:token>/", public.orientation_link, name="orientation-lien"),
]
