"""Tâches de fond du pilotage : l'import d'historique lancé depuis l'administration."""

from django_tasks import task

from parcours.core import clock, worker


@task()
@worker.retry_when_locked
def run_history_import(import_id: int) -> None:
    from parcours.steering import history
    from parcours.steering.models import HistoryImport

    job = HistoryImport.objects.select_related("organisation", "created_by").get(pk=import_id)
    HistoryImport.objects.filter(pk=job.pk).update(
        status=HistoryImport.Status.EN_COURS, progress="Lecture du lot…"
    )

    def progress(message: str) -> None:
        HistoryImport.objects.filter(pk=job.pk).update(progress=message.strip()[:300])

    try:
        report = history.run(
            job.stored_as,
            organisation=job.organisation,
            dry_run=job.dry_run,
            actor=job.created_by,
            progress=progress,
        )
    except history.BundleError as error:
        HistoryImport.objects.filter(pk=job.pk).update(
            status=HistoryImport.Status.ECHEC,
            progress=str(error),
            finished_at=clock.now(),
        )
        return
    HistoryImport.objects.filter(pk=job.pk).update(
        status=HistoryImport.Status.TERMINE,
        progress="Terminé.",
        finished_at=clock.now(),
        result=history.result(report, path=history.rejections_path(job)),
    )


@worker.on_failure(run_history_import)
def _history_import_failed(import_id: int, *, reason: str) -> None:
    """La tâche a levé, ou le travailleur est mort en pleine tâche : l'import dit « Échec »."""
    from parcours.steering.models import HistoryImport

    HistoryImport.objects.filter(
        pk=import_id, status__in=[HistoryImport.Status.EN_ATTENTE, HistoryImport.Status.EN_COURS]
    ).update(status=HistoryImport.Status.ECHEC, progress=reason, finished_at=clock.now())
