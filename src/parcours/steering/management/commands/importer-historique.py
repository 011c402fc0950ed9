"""``parcours importer-historique`` : importe le lot d'historique d'activité (formats.md §2)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from parcours.core import services
from parcours.core.exceptions import BusinessError
from parcours.core.models import Organisation
from parcours.steering import history


class Command(BaseCommand):
    help = (
        "Importe l'historique d'activité d'un autre outil (dossier ou archive .zip de fichiers "
        "CSV, formats.md §2). Chaque ligne est validée ; --essai n'écrit rien et donne le "
        "rapport complet. Relancer le même import ne crée rien de plus."
    )

    def add_arguments(self, parser):
        parser.add_argument("chemin", metavar="DOSSIER_OU_ZIP", help="dossier ou archive .zip")
        parser.add_argument("--organisation", required=True, metavar="CODE", help="organisme")
        parser.add_argument(
            "--essai", action="store_true", help="valider seulement : rien n'est écrit"
        )
        parser.add_argument(
            "--erreurs-max",
            type=int,
            default=200,
            metavar="N",
            help="nombre d'erreurs affichées (défaut : 200 ; toutes sont comptées)",
        )

    def handle(self, *args, **options):
        code = options["organisation"].strip().lower()
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            if options["essai"]:
                self.stderr.write(
                    f"Attention : l'organisme « {code} » n'existe pas ; il sera créé lors de "
                    "l'import réel."
                )
                organisation = Organisation(code=code, name=code)
            else:
                try:  # sans acteur : la commande est lancée par l'exploitant
                    organisation = services.create_organisation(
                        actor=None,
                        code=code,
                        name=code,
                        kind=Organisation.Kind.AUTRE,
                        departements_required=False,
                    )
                except BusinessError as error:
                    raise CommandError(str(error)) from None
                self.stderr.write(
                    f"Attention : l'organisme « {code} » n'existait pas ; il vient d'être créé "
                    "(nom, région et départements à compléter dans l'administration)."
                )
        tty = sys.stderr.isatty()

        def progress(message):
            if tty or options["verbosity"] > 1:
                sys.stderr.write(message + "\n")
                sys.stderr.flush()

        try:
            report = history.run(
                options["chemin"],
                organisation=organisation,
                dry_run=options["essai"] or organisation.pk is None,
                progress=progress,
            )
        except history.BundleError as error:
            raise CommandError(str(error)) from None
        title = "Essai (rien n'a été écrit)" if report.dry_run else "Import terminé"
        self.stdout.write(f"{title} — organisme {code}")
        for line in report.lines():
            self.stdout.write(f"  {line}")
        for warning in report.warnings:
            self.stdout.write(f"Avertissement : {warning}")
        if report.errors:
            self.stdout.write(f"{len(report.errors)} erreur(s) :")
            for problem in report.errors[: options["erreurs_max"]]:
                self.stdout.write(f"  {problem}")
            if len(report.errors) > options["erreurs_max"]:
                self.stdout.write(f"  … et {len(report.errors) - options['erreurs_max']} autres.")
