"""``parcours envoyer-rappels`` : rappels des rendez-vous du lendemain (SMS ou courriel)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from parcours.core import clock
from parcours.outreach import services


class Command(BaseCommand):
    help = (
        "Envoie un rappel pour chaque rendez-vous prévu le jour donné (demain par défaut) qui "
        "n'en a pas encore eu, par l'expéditeur configuré (fichiers dans var/rappels/ par défaut)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", metavar="AAAA-MM-JJ", help="jour des rendez-vous")

    def handle(self, *args, **options):
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date : date AAAA-MM-JJ attendue.") from None
        else:
            day = clock.today() + datetime.timedelta(days=1)
        sent = services.send_reminders(actor=None, day=day)
        plural = "s" if sent > 1 else ""
        self.stdout.write(f"{sent} rappel{plural} envoyé{plural} pour le {day:%d/%m/%Y}.")
