"""La purge quotidienne en tâche de fond : purge réelle de chaque organisme, puis le passage du
lendemain mis en file (une seule exécution en attente), que montre le panneau des purges."""

import datetime
import zoneinfo

import pytest
from django_tasks_db.models import DBTaskResult

from parcours.core import clock, worker
from parcours.privacy import tasks
from parcours.privacy.models import PurgeRun

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)


def test_the_daily_task_purges_every_organisation(org, other_org):
    with clock.frozen(NOW):
        tasks.daily_purges.call()
    runs = PurgeRun.objects.order_by("organisation__code")
    assert [(r.organisation, r.dry_run, r.as_of) for r in runs] == [
        (o, False, NOW.date()) for o in sorted([org, other_org], key=lambda o: o.code)
    ]
    assert all(r.finished_at for r in runs)


def test_the_next_run_is_queued_once_at_half_past_three(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with clock.frozen(NOW):
        assert worker.next_daily_run(tasks.daily_purges) == datetime.datetime(
            2026, 6, 16, 3, 30, tzinfo=PARIS
        )
        assert worker.schedule_daily() == 1
        assert worker.schedule_daily() == 0  # already waiting: not twice
    waiting = DBTaskResult.objects.get(task_path=tasks.daily_purges.module_path)
    assert waiting.status == "READY"
    assert waiting.run_after == datetime.datetime(2026, 6, 16, 3, 30, tzinfo=PARIS)
    assert worker.next_daily_run(tasks.daily_purges) == waiting.run_after


def test_immediate_test_tasks_are_not_deferred():
    assert worker.schedule_daily() == 0
