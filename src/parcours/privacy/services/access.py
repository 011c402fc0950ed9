"""Le droit d'accès (RGPD art. 15) : l'export remis à une personne, un acte journalisé.

L'export est préparé depuis la fiche (responsable de ses départements, DPO de l'organisme) ou
par ``parcours rgpd acces`` ; chaque export laisse un ``AccessExport`` (qui, quand, pour qui,
format, notes privées retenues et leur motif, comptes par rubrique, empreinte du fichier) et
une entrée « Export » au journal, rattachée à la personne : elle figure dans les
« consultations » des exports suivants.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.db import transaction

from parcours.core import audit, clock
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry, Organisation
from parcours.privacy.documents import render_access_pdf
from parcours.privacy.models import AccessExport
from parcours.privacy.queries import access as queries

if TYPE_CHECKING:
    from parcours.core.models import User
    from parcours.people.models import Person


def check_withholding(*, withhold_private_notes: bool, reason: str, details: str) -> None:
    """Retenir les notes privées demande un motif légal de la liste et sa précision."""
    if not withhold_private_notes:
        return
    errors = {}
    if reason not in AccessExport.WithheldReason.values:
        errors["withheld_reason"] = "Choisissez le motif légal qui permet de retenir les notes."
    if not details.strip():
        errors["withheld_details"] = (
            "Précisez le motif : il figure dans l'export remis à la personne."
        )
    if errors:
        raise BusinessError(errors)


def export_notice(
    *,
    organisation: Organisation,
    actor: User | None,
    withhold_private_notes: bool,
    reason: str,
    details: str,
) -> dict:
    """Ce que l'export dit de lui-même (rubrique ``personne``, clé ``export``)."""
    return {
        "le": clock.now(),
        "organisme": organisation.name,
        "prepare_par": queries.name_of(actor) if actor is not None else "",
        "notes_privees_communiquees": not withhold_private_notes,
        "motif_de_la_retention": AccessExport.WithheldReason(reason).label
        if withhold_private_notes
        else "",
        "precision_du_motif": details.strip() if withhold_private_notes else "",
    }


def preview_access_export(
    *,
    actor: User,
    person: Person,
    withhold_private_notes: bool = False,
    reason: str = "",
    details: str = "",
) -> dict:
    """Le contenu tel qu'il sera remis, NIR masqué (l'écran d'aperçu) ; l'aperçu montre tout
    le dossier à l'agent : il est journalisé comme une consultation de la fiche."""
    check_withholding(withhold_private_notes=withhold_private_notes, reason=reason, details=details)
    content = queries.access_export(
        person, with_private_notes=not withhold_private_notes, reveal_nir=False
    )
    audit.record(
        actor=actor,
        action=AuditEntry.Action.READ,
        obj=person,
        person_id=person.pk,
        summary="Aperçu de l'export du droit d'accès",
    )
    content["personne"]["export"] = export_notice(
        organisation=person.organisation,
        actor=actor,
        withhold_private_notes=withhold_private_notes,
        reason=reason,
        details=details,
    )
    return content


@transaction.atomic
def prepare_access_export(
    *,
    actor: User | None,
    person: Person,
    fmt: str,
    withhold_private_notes: bool = False,
    reason: str = "",
    details: str = "",
    channel: str = AccessExport.Channel.WEB,
) -> tuple[AccessExport, bytes]:
    """L'export du droit d'accès de ``person`` (``fmt`` : ``pdf`` ou ``json``) et son acte.

    Le NIR y figure en entier : c'est la donnée de la personne, remise à elle. ``actor`` vide :
    la ligne de commande (outil d'exploitation)."""
    if fmt not in AccessExport.Format.values:
        raise BusinessError({"format": "Choisissez le format : PDF ou JSON."})
    check_withholding(withhold_private_notes=withhold_private_notes, reason=reason, details=details)
    organisation = person.organisation
    content = queries.access_export(
        person, with_private_notes=not withhold_private_notes, reveal_nir=True
    )
    content["personne"]["export"] = export_notice(
        organisation=organisation,
        actor=actor,
        withhold_private_notes=withhold_private_notes,
        reason=reason,
        details=details,
    )
    if fmt == AccessExport.Format.PDF:
        data = render_access_pdf({"content": content, "organisation": organisation})
    else:
        data = queries.to_json(content)
    export = AccessExport.objects.create(
        organisation=organisation,
        person=person,
        by=actor,
        at=content["personne"]["export"]["le"],
        format=fmt,
        channel=channel,
        private_notes_withheld=withhold_private_notes,
        withheld_reason=reason if withhold_private_notes else "",
        withheld_details=details.strip() if withhold_private_notes else "",
        counts=queries.counts(content),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    audit.record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        obj=export,
        person_id=person.pk,
        organisation_id=organisation.pk,
        summary=f"Export du droit d'accès en {export.get_format_display()}"
        + (", notes privées retenues" if withhold_private_notes else "")
        + " (1 personne)",
        changes={
            "personnes": 1,
            "format": fmt,
            "depuis": channel,
            "notes_privees_retenues": withhold_private_notes,
            "motif": export.withheld_reason,
            "rubriques": export.counts,
        },
    )
    return export, data
