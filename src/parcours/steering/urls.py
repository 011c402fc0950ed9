from django.urls import path

from parcours.steering import views

urlpatterns = [
    path("", views.dashboard, name="pilotage"),
    path("rapport/", views.report_page, name="pilotage-rapport"),
    path("rapport/telecharger/<str:fmt>/", views.export, name="pilotage-export"),
    path("rapport/detail/", views.detail, name="pilotage-detail"),
    path("objectifs/", views.targets, name="pilotage-objectifs"),
    path("historique/", views.history_imports, name="pilotage-historique"),
    path("historique/<int:pk>/", views.history_import_detail, name="pilotage-historique-detail"),
    path(
        "historique/<int:pk>/rejets.csv",
        views.history_import_rejections,
        name="pilotage-historique-rejets",
    ),
]
