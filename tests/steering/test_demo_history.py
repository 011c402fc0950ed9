"""La démonstration a cinq années comparables : l'historique migré par l'import du produit."""

import datetime
import zoneinfo

import pytest

from parcours.cases.models import Contact
from parcours.core import clock
from parcours.core.models import Organisation
from parcours.steering import report
from parcours.steering.models import ExternalRef

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 11, 22, 9, 0, tzinfo=PARIS)


def evolution():
    organisation = Organisation.objects.get(code="carsat-demo")
    series = report.evolution(organisation, 2026, report.territory(organisation))
    return [
        (
            s["annee"],
            s["personnes"]["total"],
            s["entretiens"]["total"],
            (
                s["signalements"]["total"],
                s["offres"]["envoyees"],
                s["collectif"]["participants"],
                s["contacts_accueil"],
            ),
        )
        for s in series
    ]


def test_demo_five_years_are_comparable_and_imported(call):
    with clock.frozen(NOW):
        out = call("demo", personnes=400, seed=9)
    assert "Historique migré des années passées" in out
    series = evolution()
    assert [year for year, *_ in series] == [2022, 2023, 2024, 2025, 2026]
    for (year, people, contacts, other), (_, next_people, next_contacts, _) in zip(
        series, series[1:]
    ):
        assert people >= 0.7 * next_people, (year, series)
        assert contacts >= 0.7 * next_contacts, (year, series)
        # referrals, offers, collective sessions and front-line contacts existed then too
        assert all(n > 0 for n in other), (year, series)
    # a varying service, not a flat line: some year-on-year change in people helped
    assert len({people for _, people, *_ in series}) == 5
    # the past comes through the product's history import (external references kept)
    past = Contact.objects.filter(on__lt=datetime.date(2025, 1, 1))
    imported = past.filter(
        pk__in=ExternalRef.objects.filter(kind=ExternalRef.Kind.ENTRETIEN).values("object_id")
    )
    assert imported.count() >= 0.9 * past.count() > 0
    # deterministic and regenerated from scratch by --reinitialiser
    with clock.frozen(NOW):
        call("demo", "--reinitialiser", personnes=400, seed=9)
    assert evolution() == series
