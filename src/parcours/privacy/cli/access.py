"""``parcours rgpd acces --organisation CODE (--personne ID | --nir NIR) --format pdf|json
[--sortie FICHIER]`` : l'export du droit d'accès d'une personne (formats.md §8).

Outil d'exploitation : aucun droit vérifié au-delà du code de l'organisme ; l'export est
journalisé comme celui de l'application (``AccessExport``, entrée « Export » de la personne).
Le JSON s'écrit sur la sortie standard sans ``--sortie`` ; le PDF demande un fichier.
"""

from pathlib import Path

from django.core.management.base import CommandError

from parcours.core.exceptions import BusinessError
from parcours.core.models import Organisation
from parcours.privacy.models import AccessExport
from parcours.privacy.queries import access as queries
from parcours.privacy.services import access as services
from parcours.rules import nir as nir_rules

HELP = "export du droit d'accès d'une personne (PDF ou JSON)"


def add_arguments(parser) -> None:
    parser.add_argument("--organisation", required=True, metavar="CODE")
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--personne", type=int, metavar="ID", help="identifiant de la fiche")
    who.add_argument("--nir", metavar="NIR", help="NIR de la personne (15 caractères)")
    parser.add_argument("--format", required=True, choices=AccessExport.Format.values)
    parser.add_argument("--sortie", metavar="FICHIER", help="fichier écrit (sinon la sortie)")


def run(options, stdout) -> None:
    organisation = Organisation.objects.filter(code=options["organisation"]).first()
    if organisation is None:
        raise CommandError(f"Organisme inconnu : « {options['organisation']} ».")
    if options.get("nir"):
        try:
            nir = nir_rules.validate(options["nir"])
        except nir_rules.NirError as error:
            raise CommandError(f"--nir : {error}") from None
        person = queries.person_by_nir(organisation.pk, nir)
        if person is None:
            raise CommandError("Aucune personne de cet organisme ne porte ce NIR.")
    else:
        person = queries.person_by_id(organisation.pk, options["personne"])
        if person is None:
            raise CommandError(
                f"Aucune personne n°{options['personne']} dans l'organisme {organisation.code}."
            )
    fmt = options["format"]
    if fmt == AccessExport.Format.PDF and not options.get("sortie"):
        raise CommandError("Le PDF s'écrit dans un fichier : ajoutez --sortie FICHIER.")
    try:
        export, data = services.prepare_access_export(
            actor=None, person=person, fmt=fmt, channel=AccessExport.Channel.CLI
        )
    except BusinessError as error:
        raise CommandError(str(error)) from None
    if options.get("sortie"):
        Path(options["sortie"]).write_bytes(data)
        stdout.write(f"Export du droit d'accès n°{export.pk} écrit dans {options['sortie']}.")
    else:
        stdout.write(data.decode())
