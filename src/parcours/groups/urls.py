from django.urls import path

from parcours.groups import views

urlpatterns = [
    path("", views.action_list, name="collectif"),
    path("actions/nouvelle/", views.action_new, name="collectif-action-nouvelle"),
    path("actions/<int:pk>/", views.action_detail, name="collectif-action"),
    path("actions/<int:pk>/modifier/", views.action_edit, name="collectif-action-modifier"),
    path("actions/<int:pk>/seances/nouvelle/", views.session_new, name="collectif-seance-nouvelle"),
    path("actions/<int:pk>/courriers/", views.invitation_letters, name="collectif-courriers"),
    path(
        "actions/<int:pk>/questionnaires/<int:questionnaire_pk>/relances/",
        views.questionnaire_reminders,
        name="collectif-relances",
    ),
    path("seances/<int:pk>/", views.session_detail, name="collectif-seance"),
    path("seances/<int:pk>/modifier/", views.session_edit, name="collectif-seance-modifier"),
    path(
        "seances/<int:pk>/questionnaires/<int:questionnaire_pk>.pdf",
        views.paper_questionnaires,
        name="collectif-questionnaires-papier",
    ),
    path("seances/<int:pk>/inscrire/", views.session_register, name="collectif-inscrire"),
    path(
        "seances/<int:pk>/nouveau-participant/",
        views.session_new_participant,
        name="collectif-nouveau-participant",
    ),
    path("seances/<int:pk>/presences/", views.attendance, name="collectif-presences"),
    path("seances/<int:pk>/emargement.pdf", views.attendance_sheet, name="collectif-emargement"),
    path("inscriptions/<int:pk>/annuler/", views.registration_cancel, name="collectif-annuler"),
    path(
        "inscriptions/<int:pk>/accompagnement/",
        views.registration_open_case,
        name="collectif-accompagnement",
    ),
    path("questionnaires/", views.questionnaire_list, name="collectif-questionnaires"),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="collectif-questionnaire"),
    path(
        "invitations/<int:pk>/questionnaires/<int:questionnaire_pk>/saisie/",
        views.response_entry,
        name="collectif-saisie",
    ),
    path("resultats/", views.results, name="collectif-resultats"),
    path("lien/<str:token>/", views.public_link, name="collectif-lien"),
    path(
        "lien/<str:token>/questionnaires/<int:questionnaire_pk>/",
        views.public_questionnaire,
        name="collectif-lien-questionnaire",
    ),
]
