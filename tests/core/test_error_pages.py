"""Les pages d'erreur sont les pages françaises dans tous les modes, DEBUG compris ; le détail
d'une exception ne va qu'au journal (console), jamais dans la page."""

from html import unescape

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import path

from parcours import urls as project_urls
from tests.conftest import login_as
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.test_error_pages")]

SECRET_DETAIL = "détail-interne-4242"


def _boom(request):
    raise RuntimeError(SECRET_DETAIL)


def _missing(request):
    raise Http404(SECRET_DETAIL)


def _forbidden(request):
    raise PermissionDenied(SECRET_DETAIL)


def _invalid(request):
    raise BadRequest(SECRET_DETAIL)


# URLconf de ce module seulement (jamais en production) : des vues qui échouent exprès.
urlpatterns = [
    path("essai/erreur/", _boom),
    path("essai/introuvable/", _missing),
    path("essai/interdit/", _forbidden),
    path("essai/invalide/", _invalid),
    *project_urls.urlpatterns,
]
handler400 = getattr(project_urls, "handler400", "django.views.defaults.bad_request")
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500

ENGLISH = ("Page not found", "Traceback", "Request Method", "DEBUG = True", "Django", "URLconf")


def _get(url, *, user=None, debug, settings):
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    if user is not None:
        login_as(client, user)
    response = client.get(url)
    return response, unescape(response.content.decode())


def _french_only(html):
    assert '<html lang="fr"' in html
    assert SECRET_DETAIL not in html
    for word in ENGLISH:
        assert word not in html, word


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("logged_in", [True, False])
def test_unknown_address_answers_the_french_404(settings, org, debug, logged_in):
    user = UserFactory(organisation=org, departements=["01"]) if logged_in else None
    response, html = _get("/nulle-part/", user=user, debug=debug, settings=settings)
    assert response.status_code == 404
    assert "Page introuvable" in html
    _french_only(html)


@pytest.mark.parametrize("debug", [True, False])
def test_http404_from_a_view_answers_the_french_404(settings, org, debug):
    user = UserFactory(organisation=org, departements=["01"])
    response, html = _get("/essai/introuvable/", user=user, debug=debug, settings=settings)
    assert response.status_code == 404 and "Page introuvable" in html
    _french_only(html)
    # une vraie vue de l'application : une personne absente
    response, html = _get("/personnes/987654/", user=user, debug=debug, settings=settings)
    assert response.status_code == 404 and "Page introuvable" in html
    _french_only(html)


@pytest.mark.parametrize("debug", [True, False])
def test_exception_answers_the_french_500_and_goes_to_the_log(settings, org, debug, caplog):
    user = UserFactory(organisation=org, departements=["01"])
    with caplog.at_level("ERROR", logger="django.request"):
        response, html = _get("/essai/erreur/", user=user, debug=debug, settings=settings)
    assert response.status_code == 500 and "Erreur du service" in html
    _french_only(html)
    assert SECRET_DETAIL in caplog.text  # le détail : dans le journal seulement


@pytest.mark.parametrize("debug", [True, False])
def test_permission_denied_and_bad_request_are_french(settings, org, debug):
    user = UserFactory(organisation=org, departements=["01"])
    response, html = _get("/essai/interdit/", user=user, debug=debug, settings=settings)
    assert response.status_code == 403 and "Accès refusé" in html
    _french_only(html)
    response, _html = _get("/essai/invalide/", user=user, debug=debug, settings=settings)
    assert response.status_code == 400
    assert SECRET_DETAIL not in response.content.decode()
    assert "Traceback" not in response.content.decode()


@pytest.mark.parametrize("debug", [True, False])
def test_csrf_failure_is_french(settings, debug):
    settings.DEBUG = debug
    client = Client(enforce_csrf_checks=True)
    response = client.post("/connexion/", {"username": "x", "password": "y"})
    html = unescape(response.content.decode())
    assert response.status_code == 403 and "Session expirée" in html
    _french_only(html)


def test_the_500_page_itself_never_fails(rf, monkeypatch):
    from parcours.core import views

    def broken(*args, **kwargs):
        raise RuntimeError("base indisponible")

    monkeypatch.setattr(views, "render", broken)
    response = views.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Erreur du service" in response.content.decode()


def test_a_disallowed_host_answers_a_french_400(settings):
    """L'en-tête Host refusé est levé dans le premier intergiciel, avant la session et
    l'utilisateur : la page 400 se rend sans eux (elle donnait une 500). Hors DEBUG seulement :
    avec DEBUG, Django convertit l'exception dans cet intergiciel même, avant tout le nôtre."""
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["parcours.exemple"]
    client = Client(raise_request_exception=False)
    response = client.get("/connexion/", HTTP_HOST="attaquant.exemple")
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert "Demande invalide" in html or "n'a pas pu être comprise" in html
    _french_only(html)
