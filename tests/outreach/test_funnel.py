"""Entonnoir d'une campagne : « aidées dans les 90 jours » compte les entretiens et les présences
aux séances collectives (premier des deux à partir de l'envoi)."""

import datetime
from datetime import timedelta

import pytest

from parcours.core.nomenclatures import TypeCollectif
from parcours.outreach import queries
from parcours.outreach.models import Campaign
from tests.factories import UserFactory
from tests.steering.factories import action, attend, case, contact, offer, person, session

pytestmark = pytest.mark.django_db

SENT = datetime.date(2025, 3, 1)


def test_session_attendance_counts_as_helped(org):
    workshop = action(org, type=TypeCollectif.ATELIER)
    day90, day91, absent, by_contact, both = (
        person(org, name=n) for n in ("Jour90", "Jour91", "Absente", "Entretien", "Deux")
    )
    first = offer(day90, SENT, reference="F1")
    campaign = first.campaign
    for i, who in enumerate([day91, absent, by_contact, both]):
        o = offer(who, SENT, reference=f"F{i + 2}")
        o.campaign = campaign
        o.save()
    Campaign.objects.exclude(pk=campaign.pk).delete()
    attend(session(workshop, SENT + timedelta(days=90)), day90)
    attend(session(workshop, SENT + timedelta(days=91)), day91)
    attend(session(workshop, SENT + timedelta(days=5)), absent, present=False)
    contact(case(by_contact), SENT + timedelta(days=30))
    # a session long after, an interview on time: the earliest (the interview) counts
    contact(case(both), SENT + timedelta(days=2))
    attend(session(workshop, SENT + timedelta(days=200)), both)
    manager = UserFactory(organisation=org, manager=True, departements=["01", "69"])
    assert queries.campaign_funnel(manager, campaign) == {
        "envoyees": 5,
        "repondues": 0,
        "acceptees": 0,
        "aidees": 3,
    }
