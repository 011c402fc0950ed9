"""La démonstration des orientations : une quarantaine, répondues, en attente et relancées,
dont vers la plateforme d'accès aux soins ; l'indicateur ACC.APF.06.01 a une valeur."""

import datetime
import zoneinfo

import pytest

from parcours.core import clock
from parcours.core.models import Organisation
from parcours.sharing.models import Consent, Disclosure, Orientation
from parcours.steering import report
from parcours.steering.indicators import BY_CODE

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_demo_orientations(call):
    with clock.frozen(datetime.datetime(2026, 11, 22, 9, 0, tzinfo=PARIS)):
        call("demo", personnes=60)
        org = Organisation.objects.get(code="carsat-demo")
        everything = Orientation.objects.filter(organisation=org)
        crossed = everything.filter(recipient_organisation__code="caf-demo")
        assert crossed.count() == 3
        assert sorted(crossed.values_list("status", flat=True)) == ["ACCEPTEE", "ENVOYEE", "RECUE"]
        assert all(o.incoming_referral.organisation.code == "caf-demo" for o in crossed)
        orientations = everything.filter(partner__isnull=False)
        assert orientations.count() == 40
        statuses = set(orientations.values_list("status", flat=True))
        assert {"ACCEPTEE", "RELANCEE", "CLOTUREE"} <= statuses
        assert orientations.filter(partner__kind="PLATEFORME_ACCES_SOINS").count() >= 10
        assert (
            orientations.filter(basis="CONSENTEMENT").count()
            == Consent.objects.filter(orientations__in=orientations).distinct().count()
        )
        assert Disclosure.objects.filter(organisation=org, object_type="orientation").count() == 43
        scope = report.Scope(org.pk, 2026, report.territory(org), False)
        value = BY_CODE["ACC.APF.06.01"].compute(None, scope)
        people = (
            orientations.filter(partner__kind="PLATEFORME_ACCES_SOINS", sent_on__year=2026)
            .values("person")
            .distinct()
            .count()
        )
        assert value == people > 0
        # régénérée : pas doublée
        call("demo", "--reinitialiser", personnes=60)
        assert Orientation.objects.filter(organisation__code="carsat-demo").count() == 43
