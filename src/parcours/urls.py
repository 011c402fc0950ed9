from django.urls import include, path

urlpatterns = [
    path("", include("parcours.www.urls")),
    path("", include("parcours.core.urls")),
    path("", include("parcours.people.urls")),
    path("", include("parcours.cases.urls")),
    path("", include("parcours.outreach.urls")),
    path("", include("parcours.sharing.urls")),
    path("collectif/", include("parcours.groups.urls")),
    path("partenaires/", include("parcours.partners.urls")),
    path("aides/", include("parcours.aid.urls")),
    path("pilotage/", include("parcours.steering.urls")),
    path("administration/", include("parcours.core.urls_admin")),
]

handler400 = "parcours.core.views.bad_request"
handler404 = "parcours.core.views.page_not_found"
handler403 = "parcours.core.views.permission_denied"
handler500 = "parcours.core.views.server_error"
