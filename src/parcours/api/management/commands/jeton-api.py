"""``parcours jeton-api`` : émet un jeton d'API (formats.md §7) et l'écrit, seul, sur sa
dernière ligne, une fois."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from parcours.api import services
from parcours.core.exceptions import BusinessError
from parcours.core.models import Organisation
from parcours.partners import services as partner_services
from parcours.partners.models import Partner
from parcours.rules import api_access


class Command(BaseCommand):
    help = (
        "Émet un jeton d'API pour un partenaire de l'annuaire (--partenaire CODE, créé sous ce "
        "nom s'il manque) ou un autre organisme (--autre-organisme CODE). Le jeton s'écrit seul "
        "sur la dernière ligne ; il ne sera plus montré."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, metavar="CODE")
        holder = parser.add_mutually_exclusive_group(required=True)
        holder.add_argument("--partenaire", metavar="CODE", help="code du partenaire")
        holder.add_argument(
            "--autre-organisme", metavar="CODE", help="code d'un autre organisme de l'installation"
        )
        parser.add_argument(
            "--portees",
            required=True,
            metavar="P1,P2",
            help=f"portées séparées par des virgules : {', '.join(api_access.SCOPES)}",
        )
        parser.add_argument("--expire", default="", metavar="AAAA-MM-JJ", help="échéance")
        parser.add_argument("--libelle", default="", help="le système qui utilisera le jeton")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(code=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"Organisme inconnu : « {options['organisation']} ».")
        try:
            scopes = api_access.parse_scopes(options["portees"])
        except api_access.ScopeError as error:
            raise CommandError(error.message) from None
        expires_on = None
        if options["expire"]:
            try:
                expires_on = datetime.date.fromisoformat(options["expire"])
            except ValueError:
                raise CommandError(
                    f"--expire : « {options['expire']} » n'est pas une date AAAA-MM-JJ."
                ) from None
        partner = peer = None
        if options["partenaire"]:
            code = options["partenaire"].strip()
            if not code:
                raise CommandError("--partenaire : indiquez un code.")
            partner = Partner.objects.filter(organisation=organisation, code=code).first()
            if partner is None:
                partner = partner_services.create_partner(
                    actor=None,
                    organisation_id=organisation.pk,
                    data={"kind": Partner.Kind.AUTRE, "name": code, "code": code},
                )
                self.stderr.write(
                    f"Attention : partenaire « {code} » absent de l'annuaire, créé sous ce nom "
                    "(type « Autre ») ; complétez sa fiche."
                )
        else:
            peer = Organisation.objects.filter(code=options["autre_organisme"]).first()
            if peer is None:
                raise CommandError(f"Organisme inconnu : « {options['autre_organisme']} ».")
        try:
            token, secret = services.issue_token(
                actor=None,
                organisation=organisation,
                partner=partner,
                peer=peer,
                scopes=scopes,
                expires_on=expires_on,
                label=options["libelle"],
            )
        except BusinessError as error:
            raise CommandError("; ".join(error.errors.values())) from None
        until = f", jusqu'au {expires_on:%d/%m/%Y}" if expires_on else ""
        self.stderr.write(
            f"Jeton {token.prefix}… émis pour {token.holder_name} ({', '.join(token.scopes)}"
            f"{until}) ; il ne sera plus montré."
        )
        self.stdout.write(secret)
