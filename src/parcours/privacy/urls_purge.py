from django.urls import path

from parcours.privacy import purge_views

urlpatterns = [
    path("purges/", purge_views.purges, name="rgpd-purges"),
    path("purges/essai/", purge_views.purge_preview, name="rgpd-purge-essai"),
]
