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
from parcours.steering.models import ExternalRef

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(datetime.datetime(2026, 11, 22, 9, 0, tzinfo=PARIS)):
        yield


def live(model, kind):
    """The detection demo's own rows (not the past years imported by the history demo)."""
    imported = ExternalRef.objects.filter(kind=kind).values("object_id")
    return model.objects.exclude(pk__in=imported)


def figures():
    return (
        dict(live(Referral, "signalement").values_list("status").annotate(n=Count("id"))),
        live(FrontLineContact, "contact_accueil").count(),
        list(
            TargetingRun.objects.filter(rule_code="ARRET_LONG").values_list(
                "lines", "targeted", "new_people", "dry_run"
            )
        ),
        dict(live(ServiceOffer, "offre").values_list("status").annotate(n=Count("id"))),
    )


def test_detection_demo_is_deterministic_and_reset(call):
    call("demo", personnes=300, seed=7)
    first = figures()
    referrals, contacts, runs, offers = first
    assert referrals.get("RECU", 0) > 0 and sum(referrals.values()) >= 20
    assert contacts > 50
    assert len(runs) == 1 and runs[0][0] == 160 and runs[0][1] > 40 and runs[0][3] is False
    run = TargetingRun.objects.get(rule_code="ARRET_LONG")
    assert run.targeted == run.already_known + run.new_people
    assert TargetingEntry.objects.filter(run=run).count() == run.targeted
    # l'observatoire de démonstration : un ciblage réel des retraités fragiles
    fragile = TargetingRun.objects.get(rule_code="FRAGILITE")
    assert fragile.targeted > 0 and not fragile.dry_run
    assert TargetingEntry.objects.filter(run=fragile, score__gte=8).count() == fragile.targeted
    assert Campaign.objects.get(run__isnull=False).run == run
    assert sum(offers.values()) == run.targeted and set(offers) == {
        "ENVOYEE",
        "SANS_REPONSE",
        "REFUSEE",
        "ACCEPTEE",
    }
    assert Permanence.objects.count() == 10  # 5 AS × 2 plages
    # Aucun signalement « reçu » n'a d'AS, tous les autres en ont une.
    referrals = live(Referral, "signalement")
    assert not referrals.filter(status="RECU", assigned_to__isnull=False).exists()
    assert not referrals.exclude(status="RECU").filter(assigned_to__isnull=True).exists()
    call("demo", "--reinitialiser", personnes=300, seed=7)
    assert figures() == first
