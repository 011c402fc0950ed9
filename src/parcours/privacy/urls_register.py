from django.urls import path

from parcours.privacy import views_register as views

urlpatterns = [
    path("", views.home, name="protection-donnees"),
    path("registre/", views.register, name="protection-donnees-registre"),
    path("registre.pdf", views.register_pdf, name="protection-donnees-registre-pdf"),
    path(
        "registre/initialiser/",
        views.register_seed,
        name="protection-donnees-registre-initialiser",
    ),
    path(
        "traitements/nouveau/",
        views.processing_new,
        name="protection-donnees-traitement-nouveau",
    ),
    path("traitements/<int:pk>/", views.processing_edit, name="protection-donnees-traitement"),
    path(
        "traitements/<int:pk>/suppression/",
        views.processing_delete,
        name="protection-donnees-traitement-suppression",
    ),
    path("conservation/", views.retention, name="protection-donnees-conservation"),
]
