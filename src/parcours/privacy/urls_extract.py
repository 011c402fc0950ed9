from django.urls import path

from parcours.privacy import views_extract as views

urlpatterns = [
    path("", views.extracts, name="rgpd-extraits"),
    path("<int:pk>/fichier/", views.extract_download, name="rgpd-extrait-fichier"),
]
