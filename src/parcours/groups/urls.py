from django.urls import path

from parcours.groups.views import actions, invitations, public, questionnaires, sessions

# La page « Invitations » (collectif/actions/<pk>/invitations/) est dans parcours.www.urls.
urlpatterns = [
    path("", actions.action_list, name="collectif"),
    path("actions/nouvelle/", actions.action_new, name="collectif-action-nouvelle"),
    path("actions/<int:pk>/", actions.action_detail, name="collectif-action"),
    path("actions/<int:pk>/modifier/", actions.action_edit, name="collectif-action-modifier"),
    path(
        "actions/<int:pk>/seances/nouvelle/", sessions.session_new, name="collectif-seance-nouvelle"
    ),
    path("actions/<int:pk>/courriers/", invitations.invitation_letters, name="collectif-courriers"),
    path(
        "actions/<int:pk>/questionnaires/<int:questionnaire_pk>/relances/",
        invitations.questionnaire_reminders,
        name="collectif-relances",
    ),
    path("seances/<int:pk>/", sessions.session_detail, name="collectif-seance"),
    path("seances/<int:pk>/modifier/", sessions.session_edit, name="collectif-seance-modifier"),
    path(
        "seances/<int:pk>/questionnaires/<int:questionnaire_pk>.pdf",
        questionnaires.paper_questionnaires,
        name="collectif-questionnaires-papier",
    ),
    path("seances/<int:pk>/inscrire/", sessions.session_register, name="collectif-inscrire"),
    path(
        "seances/<int:pk>/nouveau-participant/",
        sessions.session_new_participant,
        name="collectif-nouveau-participant",
    ),
    path("seances/<int:pk>/presences/", sessions.attendance, name="collectif-presences"),
    path("seances/<int:pk>/emargement.pdf", sessions.attendance_sheet, name="collectif-emargement"),
    path("inscriptions/<int:pk>/annuler/", sessions.registration_cancel, name="collectif-annuler"),
    path(
        "inscriptions/<int:pk>/accompagnement/",
        sessions.registration_open_case,
        name="collectif-accompagnement",
    ),
    path("questionnaires/", questionnaires.questionnaire_list, name="collectif-questionnaires"),
    path(
        "questionnaires/<int:pk>/",
        questionnaires.questionnaire_detail,
        name="collectif-questionnaire",
    ),
    path(
        "invitations/<int:pk>/questionnaires/<int:questionnaire_pk>/saisie/",
        questionnaires.response_entry,
        name="collectif-saisie",
    ),
    path("resultats/", questionnaires.results, name="collectif-resultats"),
    path("lien/<str:token>/", public.public_link, name="collectif-lien"),
    path(
        "lien/<str:token>/questionnaires/<int:questionnaire_pk>/",
        public.public_questionnaire,
        name="collectif-lien-questionnaire",
    ),
]
