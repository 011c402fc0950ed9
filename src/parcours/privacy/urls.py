from django.urls import path

from parcours.privacy import views

urlpatterns = [
    path("personnes/<int:pk>/droit-d-acces/", views.access_form, name="personne-droit-acces"),
    path(
        "personnes/<int:pk>/droit-d-acces/export/", views.access_export, name="droit-acces-export"
    ),
]
