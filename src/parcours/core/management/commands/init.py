from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from parcours.core import services
from parcours.core.exceptions import BusinessError
from parcours.core.models import Organisation, Region
from parcours.core.reference import load_reference


class Command(BaseCommand):
    help = (
        "Prépare la base : migrations puis référentiel administratif (idempotent). "
        "Avec --organisation CODE --nom « … », crée aussi l'organisme s'il n'existe pas."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", metavar="CODE", help="code de l'organisme")
        parser.add_argument("--nom", help="nom de l'organisme (à la création)")
        parser.add_argument("--region", metavar="CODE", help="code INSEE de la région")
        parser.add_argument(
            "--sans-referentiel",
            action="store_true",
            help="ne pas (re)charger le découpage administratif",
        )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Base de données à jour.")
        if not options["sans_referentiel"]:
            counts = load_reference()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # statistiques à jour pour le planificateur
            self.stdout.write(
                "Référentiel chargé : {regions} régions, {departements} départements, "
                "{epci} EPCI, {communes} communes.".format(**counts)
            )
        code = (options["organisation"] or "").strip().lower()
        if not code:
            if options["nom"] or options["region"]:
                raise CommandError("--nom et --region vont avec --organisation CODE.")
            return
        region = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"Région inconnue : {options['region']!r}.")
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is not None:
            self.stdout.write(f"L'organisme {code} existe déjà : rien à créer.")
            return
        if not options["nom"]:
            raise CommandError(f"L'organisme {code} n'existe pas : donnez son nom avec --nom.")
        try:  # sans acteur : la commande est lancée par l'exploitant, pas par un agent
            organisation = services.create_organisation(
                actor=None,
                code=code,
                name=options["nom"],
                kind=Organisation.Kind.AUTRE,
                region=region,
                departements_required=False,
            )
        except BusinessError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Organisme {code} créé : {organisation.name}.")
