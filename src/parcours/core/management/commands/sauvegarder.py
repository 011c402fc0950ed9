"""``parcours sauvegarder FICHIER`` : une copie cohérente de la base, application en marche."""

from django.core.management.base import BaseCommand, CommandError

from parcours.core import backup


class Command(BaseCommand):
    help = (
        "Sauvegarde la base entière dans FICHIER, à chaud : API de sauvegarde de SQLite, ou "
        "pg_dump (format personnalisé) pour PostgreSQL. Se restaure avec « parcours restaurer »."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", metavar="FICHIER", help="fichier de sauvegarde à écrire")

    def handle(self, *args, **options):
        try:
            done = backup.backup(options["fichier"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Sauvegarde {done.vendor} écrite dans {done.path} "
            f"({done.size / 1_000_000:.1f} Mo, {done.people} personnes)."
        )
