"""Les URL des pages composées, chacune à son chemin d'origine."""

from django.urls import path

from parcours.www import invitations

urlpatterns: list = [
    # Actions collectives × Détection (les URL des actions collectives sont sous collectif/).
    path(
        "collectif/actions/<int:pk>/invitations/",
        invitations.invitations,
        name="collectif-invitations",
    ),
]
