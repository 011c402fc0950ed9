"""Les URL des pages composées, chacune à son chemin d'origine."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

# --- Personnes (recherche, fiche) et « Mon activité » : identité, accompagnements, rendez-vous.
from parcours.www import activity, people  # noqa: E402

urlpatterns += [
    path("personnes/", people.search, name="personnes"),
    path("personnes/<int:pk>/", people.detail, name="personne"),
    path("mon-activite/", activity.my_activity, name="mon-activite"),
]
