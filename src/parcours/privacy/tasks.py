"""Tâches de fond de la protection des données : l'extrait pseudonymisé lancé du web ; la
purge de conservation réelle, chaque nuit, organisme par organisme."""

import datetime
import logging
import secrets

from django_tasks import task

from parcours.core import clock, worker

logger = logging.getLogger(__name__)


@task()
@worker.retry_when_locked
def run_extract(run_id: int) -> None:
    """Écrit le fichier de l'extrait (journalisé par ``write_extract``) sous ``var/extraits/``
    et note le résultat sur la demande."""
    from parcours.privacy.models import ExtractRun
    from parcours.privacy.services import extract

    run = ExtractRun.objects.select_related("organisation", "created_by").get(pk=run_id)
    ExtractRun.objects.filter(pk=run.pk).update(status=ExtractRun.Status.EN_COURS)
    folder = extract.extracts_folder()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{secrets.token_hex(16)}.{run.fmt}"
    try:
        outcome = extract.write_extract(
            actor=run.created_by,
            organisation=run.organisation,
            year=run.year,
            fmt=run.fmt,
            output=target,
            by=run.aggregated_by,
            origin="web",
        )
    except extract.ExtractError as error:
        ExtractRun.objects.filter(pk=run.pk).update(
            status=ExtractRun.Status.ECHEC, message=str(error)[:300], finished_at=clock.now()
        )
        return
    ExtractRun.objects.filter(pk=run.pk).update(
        status=ExtractRun.Status.TERMINE,
        stored_as=str(target),
        rows=outcome.rows,
        people=outcome.people,
        message="Terminé.",
        finished_at=clock.now(),
    )


@worker.on_failure(run_extract)
def _extract_failed(run_id: int, *, reason: str) -> None:
    """La tâche a levé, ou le travailleur est mort en pleine tâche : l'extrait dit « Échec »."""
    from parcours.privacy.models import ExtractRun

    ExtractRun.objects.filter(
        pk=run_id, status__in=[ExtractRun.Status.EN_ATTENTE, ExtractRun.Status.EN_COURS]
    ).update(status=ExtractRun.Status.ECHEC, message=reason[:300], finished_at=clock.now())


#: l'heure (Paris) de la purge quotidienne : la nuit, loin des heures d'accueil
PURGE_AT = datetime.time(3, 30)


@worker.daily(PURGE_AT)
@task()
@worker.retry_when_locked
def daily_purges() -> None:
    """Applique les durées de conservation de chaque organisme (purge réelle, au jour même), puis
    met en file le passage du lendemain. Un organisme en échec n'empêche pas les autres ; il
    sera repris la nuit suivante (la purge est reprenable)."""
    from parcours.core.models import Organisation
    from parcours.privacy.services import purge

    try:
        for organisation in Organisation.objects.order_by("code"):
            try:
                purge.purge(organisation=organisation, dry_run=False)
            except Exception:
                logger.exception("Purge de conservation en échec (organisme %s)", organisation.pk)
    finally:
        worker.schedule_daily()
