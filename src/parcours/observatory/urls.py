from django.urls import path

from parcours.observatory.views import imports, maps, settings

urlpatterns = [
    path("", maps.overview, name="observatoire"),
    path("departements/<str:code>/", maps.departement, name="observatoire-departement"),
    path(
        "departements/<str:code>/communes.<str:fmt>",
        maps.export,
        name="observatoire-departement-export",
    ),
    path("regions/<str:code>/", maps.region, name="observatoire-region"),
    path("imports/", imports.import_list, name="observatoire-imports"),
    path("parametres/", settings.age_thresholds, name="observatoire-parametres"),
]
