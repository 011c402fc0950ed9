from django.urls import path

from parcours.partners import views

urlpatterns = [
    path("", views.partner_list, name="partenaires"),
    path("nouveau/", views.partner_new, name="partenaire-nouveau"),
    path("<int:pk>/", views.partner_detail, name="partenaire"),
    path("<int:pk>/modifier/", views.partner_edit, name="partenaire-modifier"),
    path("<int:pk>/contacts/nouveau/", views.contact_new, name="partenaire-contact-nouveau"),
    path("contacts/<int:pk>/modifier/", views.contact_edit, name="partenaire-contact-modifier"),
    path(
        "<int:pk>/conventions/nouvelle/",
        views.convention_new,
        name="partenaire-convention-nouvelle",
    ),
    path(
        "conventions/<int:pk>/modifier/",
        views.convention_edit,
        name="partenaire-convention-modifier",
    ),
]
