"""En-têtes de réponse : rien de ce qui porte des données personnelles ne reste en cache.

Toute réponse qui n'est pas un fichier statique (pages, fragments htmx, PDF, CSV, redirections,
pages d'erreur) part avec ``Cache-Control: no-store`` et ``Pragma: no-cache`` : ni le navigateur
(bouton « précédent » sur un poste partagé, cache disque), ni un mandataire ne la gardent. Les
fichiers statiques (feuilles de style, scripts, images du DSFR) gardent leur mise en cache : ils
sont servis par WhiteNoise, placé avant ce middleware, et reconnus ici à leur préfixe.
"""

from django.conf import settings

NO_STORE = "no-store"


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = settings.STATIC_URL or "/static/"
        if not self.static_prefix.startswith("/"):
            self.static_prefix = f"/{self.static_prefix}"

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.static_prefix):
            response["Cache-Control"] = NO_STORE
            response["Pragma"] = "no-cache"
        return response
