"""``parcours spec-api`` : le document OpenAPI de l'API des partenaires, tel que le code le
produit (``docs/openapi.json`` en est la copie validée ; ``make openapi`` le réécrit)."""

import json

from django.core.management.base import BaseCommand


def openapi_text() -> str:
    from parcours.api.endpoints import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Écrit le document OpenAPI de l'API (/api/v1/openapi.json) sur la sortie ou --sortie."

    def add_arguments(self, parser):
        parser.add_argument("--sortie", default="", metavar="FICHIER")

    def handle(self, *args, **options):
        text = openapi_text()
        if not options["sortie"]:
            self.stdout.write(text, ending="")
            return
        with open(options["sortie"], "w", encoding="utf-8") as f:
            f.write(text)
