from django.urls import include, path, re_path

from parcours.api.endpoints import api, not_found

urlpatterns = [
    path("", include("parcours.www.urls")),
    path("", include("parcours.core.urls")),
    path("", include("parcours.people.urls")),
    path("", include("parcours.cases.urls")),
    path("", include("parcours.outreach.urls")),
    path("", include("parcours.sharing.urls")),
    path("", include("parcours.privacy.urls")),
    path("collectif/", include("parcours.groups.urls")),
    path("partenaires/", include("parcours.partners.urls")),
    path("aides/", include("parcours.aid.urls")),
    path("pilotage/", include("parcours.steering.urls")),
    path("observatoire/", include("parcours.observatory.urls")),
    path("administration/", include("parcours.core.urls_admin")),
    path("administration/jetons-api/", include("parcours.api.urls_admin")),
    path("api/v1/", api.urls),
    re_path(r"^api/", not_found, name="api-introuvable"),
]

handler400 = "parcours.core.views.bad_request"
handler404 = "parcours.core.views.page_not_found"
handler403 = "parcours.core.views.permission_denied"
handler500 = "parcours.core.views.server_error"
