"""Les URL des pages composées, chacune à son chemin d'origine."""

from django.urls import path

from parcours.www import activity, invitations, people

urlpatterns = [
    # Personnes (recherche, fiche) et « Mon activité » : identité, accompagnements, rendez-vous.
    path("personnes/", people.search, name="personnes"),
    path("personnes/<int:pk>/", people.detail, name="personne"),
    path("mon-activite/", activity.my_activity, name="mon-activite"),
    # Actions collectives × Détection (les URL des actions collectives sont sous collectif/).
    path(
        "collectif/actions/<int:pk>/invitations/",
        invitations.invitations,
        name="collectif-invitations",
    ),
]
