"""Lectures des purges : le panneau (dernière et prochaine purge)."""

from __future__ import annotations

from django.urls import reverse

from parcours.core import worker
from parcours.core.models import Organisation
from parcours.privacy.models import PurgeRun
from parcours.privacy.queries.register import retention_rules_of


def purge_panel(organisation: Organisation) -> dict:
    """Le panneau des purges (``privacy/_purge_panel.html``), pour les administrateurs et le DPO :
    la dernière purge réelle (ses comptes, ou « interrompue » si elle ne s'est pas terminée), la
    prochaine purge quotidienne prévue, les durées appliquées et l'adresse de l'essai à blanc."""
    from parcours.privacy import tasks

    last = (
        PurgeRun.objects.filter(organisation=organisation, dry_run=False)
        .select_related("by")
        .order_by("-started_at", "-id")
        .first()
    )
    return {
        "last": last,
        "last_interrupted": last is not None and last.finished_at is None,
        "next_at": worker.next_daily_run(tasks.daily_purges),
        "rules": retention_rules_of(organisation),
        "preview_url": reverse("rgpd-purge-essai"),
    }
