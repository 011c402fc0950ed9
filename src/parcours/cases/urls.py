"""Pages des accompagnements ; « Mon activité » (« mon-activite ») est une page composée
(``www/urls.py``)."""

from django.urls import path

from parcours.cases import views

urlpatterns = [
    path(
        "personnes/<int:person_pk>/accompagnements/nouveau/",
        views.open_case,
        name="accompagnement-nouveau",
    ),
    path("accompagnements/", views.case_list, name="accompagnements"),
    path("accompagnements/<int:pk>/", views.case_detail, name="accompagnement"),
    path("accompagnements/<int:pk>/entretiens/", views.record_contact, name="entretien-nouveau"),
    path("accompagnements/<int:pk>/synthese/", views.update_synthesis, name="synthese"),
    path("accompagnements/<int:pk>/objectifs/", views.add_objective, name="objectif-nouveau"),
    path(
        "accompagnements/<int:pk>/objectifs/<int:objective_pk>/",
        views.objective_status,
        name="objectif-etat",
    ),
    path(
        "accompagnements/<int:pk>/notes-privees/",
        views.add_private_note,
        name="note-privee-nouvelle",
    ),
    path("accompagnements/<int:pk>/cloture/", views.close_case, name="cloture"),
    path("accompagnements/<int:pk>/reouverture/", views.reopen_case, name="reouverture"),
    path("accompagnements/<int:pk>/reaffectation/", views.reassign_case, name="reaffectation"),
    path("equipe/", views.team, name="equipe"),
]
