"""« Programmer une action » depuis une zone blanche : l'action, une fois sa séance tenue dans
la commune, fait sortir la commune des zones blanches (formats.md §6.2)."""

import datetime

import pytest
from django.urls import reverse

from parcours.core import clock
from parcours.groups.models import GroupAction, Session
from parcours.observatory import queries
from tests.conftest import login_as
from tests.factories import UserFactory
from tests.observatory.outputs_helpers import action, communes, session, store

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)


def _row(org, code):
    return {r.commune_insee: r for r in queries.commune_rows(organisation_id=org.pk, year=2026)}[
        code
    ]


def test_an_action_programmed_from_a_white_zone_makes_it_leave(client, org):
    agent = UserFactory(organisation=org, social_worker=True, departements=["01"])
    c = communes("01", 9)
    store(
        org,
        [(code, 20, 20, 20) for code in c[:6]] + [(code, 20, 20, 200) for code in c[6:]],
        year=2026,
    )
    target = c[6]
    session(
        action(org, agent, title="Déjà tenue"), agent, datetime.date(2026, 2, 1), commune=target
    )
    with clock.frozen(TODAY):
        row = _row(org, target)
        assert (row.fragile, row.actions_collectives, row.zone_blanche) == (1, 1, 1)
        login_as(client, agent)
        form = client.get(
            reverse("collectif-action-nouvelle"),
            {"commune": target, "programme": "BIEN_VIEILLIR"},
        )
        assert form.status_code == 200
        assert form.context["form"].initial == {
            "programme": "BIEN_VIEILLIR",
            "departement": "01",
            "commune": target,
        }
        created = client.post(
            reverse("collectif-action-nouvelle"),
            {
                "type": "ATELIER",
                "programme": "BIEN_VIEILLIR",
                "title": "Atelier équilibre",
                "departement": "01",
                "commune": target,
            },
        )
        new_action = GroupAction.objects.get(title="Atelier équilibre")
        session_url = created["Location"]
        assert session_url.endswith(f"?commune={target}")
        assert client.get(session_url).context["form"].initial == {"commune": target}
        posted = client.post(
            session_url,
            {
                "date": "2026-03-20",
                "start_time": "14:00",
                "capacity": "12",
                "partner_place": "Salle polyvalente",
                "commune": target,
            },
        )
        assert posted.status_code == 302
        held = Session.objects.get(action=new_action)
        assert held.commune_id == target
        # programmée, pas encore tenue : la commune reste une zone blanche
        assert _row(org, target).zone_blanche == 1
    with clock.frozen(datetime.datetime(2026, 3, 20, 18, tzinfo=datetime.UTC)):
        row = _row(org, target)
    assert (row.actions_collectives, row.zone_blanche) == (2, 0)
    (dep,) = queries.departement_rows(organisation_id=org.pk, year=2026)
    assert dep.zones_blanches == 2  # les deux autres communes fragiles, sans action
