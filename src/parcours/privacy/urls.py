"""Les adresses de la protection des données : le droit d'accès depuis la fiche d'une personne ;
l'espace des administrateurs et du DPO sous ``/protection-donnees/`` (registre, durées de
conservation, purges, extraits pseudonymisés)."""

from django.urls import path

from parcours.privacy.views import access, extract, purge, register

urlpatterns = [
    path("personnes/<int:pk>/droit-d-acces/", access.access_form, name="personne-droit-acces"),
    path(
        "personnes/<int:pk>/droit-d-acces/export/", access.access_export, name="droit-acces-export"
    ),
    path("protection-donnees/", register.home, name="protection-donnees"),
    path("protection-donnees/droit-d-acces/", access.access_lookup, name="droit-acces-recherche"),
    path("protection-donnees/registre/", register.register, name="protection-donnees-registre"),
    path(
        "protection-donnees/registre.pdf",
        register.register_pdf,
        name="protection-donnees-registre-pdf",
    ),
    path(
        "protection-donnees/registre/initialiser/",
        register.register_seed,
        name="protection-donnees-registre-initialiser",
    ),
    path(
        "protection-donnees/traitements/nouveau/",
        register.processing_new,
        name="protection-donnees-traitement-nouveau",
    ),
    path(
        "protection-donnees/traitements/<int:pk>/",
        register.processing_edit,
        name="protection-donnees-traitement",
    ),
    path(
        "protection-donnees/traitements/<int:pk>/suppression/",
        register.processing_delete,
        name="protection-donnees-traitement-suppression",
    ),
    path(
        "protection-donnees/conservation/",
        register.retention,
        name="protection-donnees-conservation",
    ),
    path("protection-donnees/purges/", purge.purges, name="rgpd-purges"),
    path("protection-donnees/purges/essai/", purge.purge_preview, name="rgpd-purge-essai"),
    path("protection-donnees/extraits/", extract.extracts, name="rgpd-extraits"),
    path(
        "protection-donnees/extraits/<int:pk>/fichier/",
        extract.extract_download,
        name="rgpd-extrait-fichier",
    ),
]
