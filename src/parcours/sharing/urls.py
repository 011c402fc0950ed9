from django.urls import path

from parcours.sharing.views import consents as views

urlpatterns = [
    path("personnes/<int:pk>/partages/", views.person_sharing, name="personne-partages"),
    path(
        "personnes/<int:pk>/consentements/nouveau/",
        views.consent_new,
        name="consentement-nouveau",
    ),
    path("consentements/<int:pk>/retirer/", views.consent_withdraw, name="consentement-retirer"),
]
