"""Pages propres aux personnes ; la recherche (« personnes ») et la fiche (« personne ») sont
des pages composées (``www/urls.py``)."""

from django.urls import path

from parcours.people import views

urlpatterns = [
    path("personnes/nouvelle/", views.create, name="personne-nouvelle"),
    path("personnes/<int:pk>/modifier/", views.edit, name="personne-modifier"),
    path("personnes/<int:pk>/nir/", views.reveal_nir, name="personne-nir"),
    path("personnes/<int:pk>/fusion/", views.merge, name="personne-fusion"),
]
