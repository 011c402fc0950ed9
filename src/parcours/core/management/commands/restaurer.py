"""``parcours restaurer FICHIER [--remplacer]`` : remet une sauvegarde dans une base vide."""

from django.core.management.base import BaseCommand, CommandError

from parcours.core import backup


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde de « parcours sauvegarder » dans la base de DATABASE_URL, qui "
        "doit être vide ; --remplacer écrase une base qui contient des données. Arrêtez "
        "l'application et les tâches de fond avant, lancez « parcours init » après."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", metavar="FICHIER", help="sauvegarde à restaurer")
        parser.add_argument(
            "--remplacer",
            action="store_true",
            help="remplacer le contenu d'une base qui contient déjà des données",
        )

    def handle(self, *args, **options):
        try:
            done = backup.restore(options["fichier"], replace=options["remplacer"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Base restaurée depuis {done.path} ({done.people} personnes). "
            "Lancez « parcours init » pour appliquer les migrations de cette version."
        )
