"""Tâche de fond : la purge de conservation réelle, chaque nuit, organisme par organisme."""

import datetime
import logging

from django_tasks import task

from parcours.core import worker

logger = logging.getLogger(__name__)

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
