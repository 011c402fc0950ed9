"""``parcours verifier-config`` : la configuration de production est-elle bonne ?

Contrôle les clés (NIR : clé Fernet valide ; empreinte : 32 octets au moins ; clé secrète
longue), les hôtes autorisés et l'absence du mode de débogage. Messages en français, code de
sortie non nul au premier défaut : à lancer avant le serveur (``ExecStartPre`` du service,
``tools/verifier-demarrage-production.sh``). Mêmes contrôles que ``parcours check --deploy``.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from parcours.core.checks import configuration_errors


class Command(BaseCommand):
    help = "Vérifie la configuration de production (clés, hôtes, débogage)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--production",
            action="store_true",
            help="Contrôler aussi hôtes et débogage hors de PARCOURS_ENV=production.",
        )

    def handle(self, *args, **options):
        production = settings.PRODUCTION or options["production"]
        errors = configuration_errors(production=production)
        for error in errors:
            self.stderr.write(f"[{error.id}] {error.msg}")
            if error.hint:
                self.stderr.write(f"    {error.hint}")
        if errors:
            raise CommandError(f"Configuration refusée : {len(errors)} défaut(s).")
        scope = "de production" if production else "(clés seulement, hors production)"
        self.stdout.write(f"Configuration {scope} correcte.")
