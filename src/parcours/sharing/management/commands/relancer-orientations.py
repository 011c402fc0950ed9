"""``parcours relancer-orientations`` : relance les orientations restées sans réponse à
l'échéance (à lancer chaque jour, comme ``envoyer-rappels``)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from parcours.sharing.services import orientations as services


class Command(BaseCommand):
    help = (
        "Passe à « relancée » chaque orientation sans réponse dont l'échéance est dépassée, "
        "écrit de nouveau au contact du partenaire (fichiers dans var/rappels/ par défaut) ; "
        "l'agent qui l'a envoyée la voit sur « Mon activité »."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", metavar="AAAA-MM-JJ", help="jour de la relance")
        parser.add_argument(
            "--adresse",
            metavar="URL",
            default="",
            help="adresse publique de Parcours pour le lien (défaut : PARCOURS_ADRESSE_PUBLIQUE)",
        )

    def handle(self, *args, **options):
        day = None
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date : date AAAA-MM-JJ attendue.") from None
        done = services.send_due_reminders(today=day, base_url=options["adresse"])
        plural = "s" if done > 1 else ""
        self.stdout.write(f"{done} orientation{plural} relancée{plural}.")
