from django.urls import path

from parcours.core import views

urlpatterns = [
    path("", views.home, name="accueil"),
    path("connexion/", views.login_view, name="connexion"),
    path("connexion/code/", views.otp_verify, name="verification-otp"),
    path("deconnexion/", views.logout_view, name="deconnexion"),
    path("compte/", views.account, name="mon-compte"),
    path("compte/second-facteur/", views.otp_setup, name="second-facteur"),
    path("sante/", views.health, name="sante"),
]
