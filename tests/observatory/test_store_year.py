"""observatory.services.aggregates.store_year : communes, EPCI et départements d'une année."""

from fractions import Fraction

import pytest

from parcours.core.models import Commune
from parcours.observatory.models import Aggregate, ObservatoryImport
from parcours.observatory.services.aggregates import CommuneTotals, store_year
from parcours.rules import fragility

pytestmark = pytest.mark.django_db


def _source(org, year=2025):
    return ObservatoryImport.objects.create(
        organisation=org, year=year, file_name="retraites.csv", file_sha256="0" * 64
    )


def test_flags_reference_and_totals(org):
    codes = list(Commune.objects.filter(departement_id="01").order_by("code")[:4])
    # moyennes 2, 3, 4, 7 (20 retraités chacune) + une commune secrète (10 retraités, moyenne 11)
    totals = [
        CommuneTotals(codes[0].code, 20, 20, 40),
        CommuneTotals(codes[1].code, 20, 15, 60),
        CommuneTotals(codes[2].code, 20, 20, 80),
        CommuneTotals(codes[3].code, 20, 20, 140),
    ]
    secret_commune = Commune.objects.filter(departement_id="01").order_by("code")[4]
    totals.append(CommuneTotals(secret_commune.code, 10, 10, 110))
    assert store_year(source=_source(org), totals=totals) == 5
    communes = {a.code: a for a in Aggregate.objects.filter(level="COM")}
    assert [communes[c.code].fragile for c in codes] == [False, False, False, True]
    assert communes[secret_commune.code].secret and not communes[secret_commune.code].fragile
    dep = Aggregate.objects.get(level="DEP", code="01")
    assert (dep.retirees, dep.retirees_60_plus, dep.score_sum) == (90, 85, 430)
    assert (dep.communes, dep.fragile_communes) == (5, 1)
    assert dep.reference_mean == 4.0
    assert fragility.round4(Fraction(dep.reference_sd)) == 1.8708
    epcis = Aggregate.objects.filter(level="EPCI")
    assert sum(e.retirees for e in epcis) == sum(
        t.retirees for t in totals if Commune.objects.get(code=t.code).epci_id
    )


def test_a_new_import_of_the_year_replaces_it(org):
    code = Commune.objects.filter(departement_id="01").order_by("code").first().code
    store_year(source=_source(org), totals=[CommuneTotals(code, 30, 30, 90)])
    store_year(source=_source(org), totals=[CommuneTotals(code, 12, 12, 24)])
    assert Aggregate.objects.get(level="COM", code=code).retirees == 12
    store_year(source=_source(org, 2026), totals=[CommuneTotals(code, 40, 40, 80)])
    assert sorted(Aggregate.objects.filter(level="COM").values_list("year", flat=True)) == [
        2025,
        2026,
    ]


def test_commune_rows_cross_with_sessions_held(org):
    import datetime

    from parcours.groups.models import GroupAction, Session
    from parcours.observatory import queries

    code = Commune.objects.filter(departement_id="01").order_by("code").first().code
    store_year(source=_source(org), totals=[CommuneTotals(code, 30, 30, 300)])
    row = queries.commune_rows(organisation_id=org.pk, year=2025)[0]
    assert (row.fragile, row.actions_collectives, row.zone_blanche) == (1, 0, 1)
    for n in range(2):
        action = GroupAction.objects.create(
            organisation=org, type="ATELIER", programme="PDP", title=f"A{n}", departement_id="01"
        )
        for day in (3, 4):  # deux séances de la même action : une action
            Session.objects.create(
                organisation=org,
                action=action,
                date=datetime.date(2025, 5, day),
                start_time=datetime.time(9),
                capacity=10,
                commune_id=code,
            )
        row = queries.commune_rows(organisation_id=org.pk, year=2025)[0]
        assert row.actions_collectives == n + 1
    assert row.zone_blanche == 0
    assert (
        queries.commune_rows(organisation_id=org.pk, year=2025, until=datetime.date(2025, 5, 2))[
            0
        ].zone_blanche
        == 1
    )
    dep = queries.departement_rows(organisation_id=org.pk, year=2025)[0]
    assert dep.as_dict() == {
        "departement": "01", "retraites": 30, "retraites_60_plus": 30, "score_moyen": 10.0,
        "moyenne_communes": 10.0, "ecart_type_communes": 0.0, "communes": 1,
        "communes_fragiles": 1, "zones_blanches": 0,
    }  # fmt: skip
