"""Tâches de fond (django-tasks) : un ciblage lancé depuis le web, avec sa progression ; un gros
lot de courriers de campagne.

Ce module importe les services, jamais l'inverse : la vue qui a créé le ciblage
(``services.start_targeting_run``) appelle ``run_after_commit``.
"""

import logging
from functools import partial

from django.db import transaction
from django_tasks import task

from parcours.core import clock, worker
from parcours.outreach import letters, queries, services
from parcours.outreach.models import LetterBatch, TargetingRun
from parcours.rules.extract_identity import HeaderError

logger = logging.getLogger(__name__)


@task()
@worker.retry_when_locked
def run_targeting(run_id: int) -> str:
    run = TargetingRun.objects.select_related("organisation", "created_by").get(pk=run_id)
    if run.is_finished:
        return run.status
    TargetingRun.objects.filter(pk=run_id).update(status=TargetingRun.Status.EN_COURS)

    # Essai : 0 à 95 % pendant la lecture. Import réel : une première lecture sans écriture
    # fait avancer la barre jusqu'à 50 % (hors transaction, donc visible), puis l'écriture se
    # fait d'un bloc dans une transaction (tout ou rien) et la barre passe à 100 %.
    share = 95 if run.dry_run else 50

    def progress(fraction: float) -> None:
        TargetingRun.objects.filter(pk=run_id).update(progress=int(fraction * share))

    common = {
        "actor": run.created_by,
        "organisation": run.organisation,
        "path": run.file_path,
        "extraction_date": run.extraction_date,
        "file_name": run.file_name,
        "code": run.rule_code,
        "year": (run.parameters or {}).get("annee"),
    }
    try:
        if not run.dry_run:
            services.run_targeting_file(dry_run=True, on_progress=progress, **common)
            progress(1.0)
        services.run_targeting_file(
            dry_run=run.dry_run,
            run=run,
            on_progress=progress if run.dry_run else None,
            **common,
        )
    except HeaderError as error:
        services.fail_run(run_id=run_id, status=TargetingRun.Status.REFUSE, message=error.message)
    except Exception as error:
        if worker.is_locked(error):
            raise  # base verrouillée : la tâche est reprise (worker.retry_when_locked)
        logger.exception("Échec du ciblage %s", run_id)
        services.fail_run(
            run_id=run_id,
            status=TargetingRun.Status.ECHEC,
            message="L'import a échoué : rien n'a été enregistré. Réessayez ou prévenez "
            "l'administrateur.",
        )
    return TargetingRun.objects.get(pk=run_id).status


@worker.on_failure(run_targeting)
def _targeting_failed(run_id: int, *, reason: str) -> None:
    """La tâche a levé, ou le travailleur est mort en pleine tâche : le ciblage dit « Échec »."""
    TargetingRun.objects.filter(
        pk=run_id, status__in=[TargetingRun.Status.EN_ATTENTE, TargetingRun.Status.EN_COURS]
    ).update(
        status=TargetingRun.Status.ECHEC, message=reason, progress=100, finished_at=clock.now()
    )


def run_after_commit(run: TargetingRun) -> None:
    """Confie le ciblage ``run`` à la tâche de fond une fois la transaction en cours validée :
    le travailleur trouve le ciblage en base, et une création annulée ne lance rien."""
    transaction.on_commit(partial(run_targeting.enqueue, run.pk))


@task()
@worker.retry_when_locked
def render_letters(batch_id: int) -> str:
    """Le PDF d'un gros lot : les courriers que l'agent du lot voit (mêmes règles que le PDF à la
    demande : seulement les personnes qui ont une adresse postale, invitations déjà créées)."""
    from django.urls import reverse

    from parcours.groups import services as group_services

    batch = LetterBatch.objects.select_related("campaign", "created_by").get(pk=batch_id)
    try:
        user, campaign = batch.created_by, batch.campaign
        offers = queries.letter_offers(user, campaign, reminder=batch.reminder)
        addressed, _ = letters.split_by_address(offers)
        invitations = services.campaign_invitations(campaign, addressed)
        links = {
            person_id: batch.site_url
            + reverse("collectif-lien", args=[group_services.make_token(i)])
            for person_id, i in invitations.items()
        }
        pdf = letters.campaign_letters_pdf(
            campaign,
            addressed,
            user=user,
            reminder=batch.reminder,
            sessions=queries.upcoming_sessions(campaign),
            links=links,
        )
    except Exception as error:
        if worker.is_locked(error):
            raise  # base verrouillée : la tâche est reprise (worker.retry_when_locked)
        logger.exception("Échec du lot de courriers %s", batch_id)
        services.finish_letter_batch(batch_id=batch_id, pdf=None)
        return LetterBatch.Status.ECHEC
    services.finish_letter_batch(batch_id=batch_id, pdf=pdf, count=len(addressed))
    return LetterBatch.Status.PRET


@worker.on_failure(render_letters)
def _letters_failed(batch_id: int, *, reason: str) -> None:
    """La tâche a levé, ou le travailleur est mort en pleine tâche : le lot dit « Échec »."""
    if LetterBatch.objects.filter(pk=batch_id, status=LetterBatch.Status.EN_COURS).exists():
        services.finish_letter_batch(batch_id=batch_id, pdf=None)


def render_letters_after_commit(batch: LetterBatch) -> None:
    """Confie le lot ``batch`` à la tâche de fond une fois la transaction en cours validée."""
    transaction.on_commit(partial(render_letters.enqueue, batch.pk))
