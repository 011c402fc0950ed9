"""``parcours importer-extrait-arrets`` : extrait mensuel des arrêts de travail (formats.md §3)."""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parcours.core.exceptions import BusinessError
from parcours.core.models import Organisation, User
from parcours.outreach import services
from parcours.outreach.models import TargetingRun
from parcours.rules.sick_leave_extract import HeaderError


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--date-extraction : « {value} » n'est pas une date AAAA-MM-JJ."
        ) from None


class Command(BaseCommand):
    help = (
        "Importe l'extrait des arrêts de travail (CSV UTF-8, « ; ») et applique la règle de "
        "ciblage de l'organisme (arrêt de plus de N jours à la date d'extraction). Avec --essai, "
        "rien n'est écrit. Le résumé est affiché dans tous les cas."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", help="chemin du fichier CSV")
        parser.add_argument("--organisation", required=True, metavar="CODE")
        parser.add_argument(
            "--date-extraction", required=True, metavar="AAAA-MM-JJ", dest="date_extraction"
        )
        parser.add_argument("--essai", action="store_true", help="essai : rien n'est écrit")
        parser.add_argument(
            "--format", choices=["texte", "json"], default="texte", help="format du résumé"
        )
        parser.add_argument(
            "--utilisateur", metavar="IDENTIFIANT", help="agent enregistré comme auteur"
        )

    def handle(self, *args, **options):
        path = Path(options["fichier"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        organisation = Organisation.objects.filter(code=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"Organisme inconnu : « {options['organisation']} ».")
        actor = None
        if options["utilisateur"]:
            actor = User.objects.filter(
                username=options["utilisateur"], organisation=organisation
            ).first()
            if actor is None:
                raise CommandError(f"Agent inconnu dans cet organisme : {options['utilisateur']}")
        extraction_date = _date(options["date_extraction"])
        try:
            run = services.run_sick_leave_extract(
                actor=actor,
                organisation=organisation,
                path=path,
                extraction_date=extraction_date,
                dry_run=options["essai"],
                file_name=path.name,
            )
        except HeaderError as error:
            raise CommandError(f"Fichier refusé : {error.message}") from None
        except BusinessError as error:
            raise CommandError("; ".join(error.errors.values())) from None
        summary = run.summary()
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            if run.message:
                self.stderr.write(run.message)
            return
        self._text(run, summary)

    def _text(self, run: TargetingRun, summary: dict):
        write = self.stdout.write
        write(("Essai (rien n'est écrit)" if run.dry_run else "Import") + f" de {run.file_name}")
        if run.message:
            write(run.message)
        for label, key in (
            ("Lignes lues", "lignes"),
            ("Valides", "valides"),
            ("Rejetées", "rejetees"),
            ("Cibles", "cibles"),
            ("  dont déjà connues", "deja_connus"),
            ("  dont nouvelles personnes", "nouvelles_personnes"),
            ("Déjà en accompagnement (non ciblées)", "deja_en_accompagnement"),
        ):
            write(f"{label} : {summary[key]}")
        for error in summary["erreurs"]:
            column = f", colonne {error['colonne']}" if error["colonne"] else ""
            write(f"ligne {error['ligne']}{column} : {error['motif']}")
        if run.error_count > len(summary["erreurs"]):
            write(f"… et {run.error_count - len(summary['erreurs'])} autres motifs de rejet.")
