from django.urls import path

from parcours.outreach import views

urlpatterns = [
    path("personnes/<int:pk>/demandes/nouvelle/", views.new_request, name="demande-nouvelle"),
    path(
        "personnes/<int:pk>/rendez-vous/nouveau/", views.new_appointment, name="rendez-vous-nouveau"
    ),
    path("rendez-vous/<int:pk>/etat/", views.appointment_status, name="rendez-vous-etat"),
]
