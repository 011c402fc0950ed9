"""Administration des jetons d'API, incluse sous ``administration/jetons-api/``."""

from django.urls import path

from parcours.api import admin_views

urlpatterns = [
    path("", admin_views.tokens, name="api-jetons"),
    path("nouveau/", admin_views.token_new, name="api-jeton-nouveau"),
    path("<int:pk>/", admin_views.token_detail, name="api-jeton"),
    path("<int:pk>/revocation/", admin_views.token_revoke, name="api-jeton-revocation"),
]
