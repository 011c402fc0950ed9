import datetime
import zoneinfo

import pytest
from django.db.models import Count

from parcours.core import clock
from parcours.outreach.models import (
    Campaign,
    FrontLineContact,
    Permanence,
    Referral,
    ServiceOffer,
    TargetingEntry,
    TargetingRun,
)

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(datetime.datetime(2026, 11, 22, 9, 0, tzinfo=PARIS)):
        yield


def figures():
    return (
        dict(Referral.objects.values_list("status").annotate(n=Count("id"))),
        FrontLineContact.objects.count(),
        list(TargetingRun.objects.values_list("lines", "targeted", "new_people", "dry_run")),
        dict(ServiceOffer.objects.values_list("status").annotate(n=Count("id"))),
    )


def test_detection_demo_is_deterministic_and_reset(call):
    call("demo", personnes=300, seed=7)
    first = figures()
    referrals, contacts, runs, offers = first
    assert referrals.get("RECU", 0) > 0 and sum(referrals.values()) >= 20
    assert contacts > 50
    assert len(runs) == 1 and runs[0][0] == 160 and runs[0][1] > 40 and runs[0][3] is False
    run = TargetingRun.objects.get()
    assert run.targeted == run.already_known + run.new_people
    assert TargetingEntry.objects.count() == run.targeted
    assert Campaign.objects.get().run == run
    assert sum(offers.values()) == run.targeted and set(offers) == {
        "ENVOYEE",
        "SANS_REPONSE",
        "REFUSEE",
        "ACCEPTEE",
    }
    assert Permanence.objects.count() == 10  # 5 AS × 2 plages
    # Aucun signalement « reçu » n'a d'AS, tous les autres en ont une.
    assert not Referral.objects.filter(status="RECU", assigned_to__isnull=False).exists()
    assert not Referral.objects.exclude(status="RECU").filter(assigned_to__isnull=True).exists()
    call("demo", "--reinitialiser", personnes=300, seed=7)
    assert figures() == first
