"""``parcours rgpd purger --organisation CODE [--date AAAA-MM-JJ] [--essai] [--format json]``
(formats.md §8) : applique les durées de conservation de l'organisme au jour dit."""

import argparse
import datetime
import json

from django.core.management.base import CommandError

from parcours.core.models import Organisation, User
from parcours.privacy import policies
from parcours.privacy.services import purge

HELP = (
    "applique les durées de conservation de l'organisme : anonymise les dossiers clos, "
    "supprime les personnes ciblées jamais jointes, les fichiers déposés et le journal échus"
)


def _date(raw: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"« {raw} » n'est pas une date AAAA-MM-JJ (par exemple 2026-12-04)."
        ) from None


def add_arguments(parser) -> None:
    parser.add_argument("--organisation", required=True, metavar="CODE")
    parser.add_argument(
        "--date",
        type=_date,
        metavar="AAAA-MM-JJ",
        help="appliquer les durées comme à cette date (aujourd'hui par défaut ; jamais à venir)",
    )
    parser.add_argument(
        "--essai", action="store_true", help="compter sans rien modifier (essai à blanc)"
    )
    parser.add_argument("--format", choices=["texte", "json"], default="texte")
    parser.add_argument(
        "--agent",
        metavar="IDENTIFIANT",
        help="l'administrateur ou le DPO de l'organisme au nom de qui la purge est faite "
        "(inscrit au journal ; sans lui, la purge est celle de l'exploitation)",
    )


def run(options, stdout) -> None:
    organisation = Organisation.objects.filter(code=options["organisation"]).first()
    if organisation is None:
        raise CommandError(f"Organisme inconnu : « {options['organisation']} ».")
    actor = None
    if options.get("agent"):
        actor = User.objects.filter(
            username=options["agent"], organisation=organisation, is_active=True
        ).first()
        if actor is None or not policies.can_run_purges(actor):
            raise CommandError(
                f"« {options['agent']} » n'est ni administrateur ni DPO de cet organisme : "
                "seuls eux lancent une purge."
            )
    try:
        result = purge.purge(
            organisation=organisation,
            as_of=options.get("date"),
            dry_run=options["essai"],
            actor=actor,
        )
    except purge.PurgeError as error:
        raise CommandError(str(error)) from None
    if options["format"] == "json":
        stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        stdout.write("\n".join(purge.summary_lines(result)))
