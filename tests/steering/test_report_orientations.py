"""Clé facultative « orientations » du rapport (formats.md §5.1) et indicateur ACC.APF.06.01 :
les orientations envoyées dans l'année, comptées à part, en Python, et comparées."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest

from parcours.core import clock
from parcours.partners.models import Partner
from parcours.sharing.models import Orientation
from parcours.sharing.services import orientations as services
from parcours.steering import report
from parcours.steering.indicators import BY_CODE
from tests.factories import UserFactory, make_person
from tests.partners.factories import make_partner

pytestmark = pytest.mark.django_db


def send(actor, person, on, *, partner=None, organisation=None):
    with clock.frozen(datetime.datetime.combine(on, datetime.time(10), tzinfo=datetime.UTC)):
        return services.send_orientation(
            actor=actor,
            person=person,
            partner=partner,
            organisation=organisation,
            reason="ACCES_SOINS",
            request="Bilan des droits",
            categories=["IDENTITE"],
            basis="MISSION_LEGALE",
        )


@pytest.fixture
def world(org, other_org):
    as01 = UserFactory(organisation=org, social_worker=True, departements=["01"])
    as69 = UserFactory(organisation=org, social_worker=True, departements=["69"])
    with clock.frozen(datetime.datetime(2025, 1, 1, 9, tzinfo=datetime.UTC)):
        anne = make_person(org=org, actor=as01, departement="01", last_name="Anne")
        bruno = make_person(org=org, actor=as69, departement="69", last_name="Bruno")
    pfidass = make_partner(
        org=org, actor=as01, name="PFIDASS", kind=Partner.Kind.PLATEFORME_ACCES_SOINS
    )
    ccas = make_partner(org=org, actor=as01, name="CCAS", kind=Partner.Kind.CCAS)
    o1 = send(as01, anne, datetime.date(2025, 1, 1), partner=pfidass)
    send(as01, anne, datetime.date(2025, 12, 31), partner=pfidass)  # même personne, 2e fois
    send(as01, anne, datetime.date(2024, 12, 31), partner=pfidass)  # l'année d'avant
    send(as69, bruno, datetime.date(2025, 6, 1), partner=ccas)
    send(as69, bruno, datetime.date(2025, 7, 1), organisation=other_org)
    send(as69, bruno, datetime.date(2026, 1, 1), partner=pfidass)  # l'année d'après
    with clock.frozen(datetime.datetime(2025, 1, 5, 9, tzinfo=datetime.UTC)):
        services.answer_by_link(orientation=o1, status="ACCEPTEE")
    return {"org": org}


def expected(org, year, departements=None):
    """Le compte à part : chaque orientation lue une à une."""
    rows = [
        o
        for o in Orientation.objects.filter(organisation=org).select_related("partner")
        if o.sent_on.year == year and (departements is None or o.departement_id in departements)
    ]
    kinds = Counter(o.partner.kind if o.partner else "ORGANISME" for o in rows)
    statuses = Counter(o.status for o in rows)
    return {
        "total": len(rows),
        "par_type_partenaire": dict(sorted(kinds.items())),
        "par_statut": dict(sorted(statuses.items())),
    }


def test_orientations_key_exact_values(world, build):
    org = world["org"]
    document = build(2025)
    assert document["orientations"] == expected(org, 2025)
    assert document["orientations"] == {
        "total": 4,
        "par_type_partenaire": {"CCAS": 1, "ORGANISME": 1, "PLATEFORME_ACCES_SOINS": 2},
        "par_statut": {"ACCEPTEE": 1, "ENVOYEE": 3},
    }
    by_code = {d["territoire"]["code"]: d for d in document["departements"]}
    assert by_code["01"]["orientations"] == expected(org, 2025, {"01"})
    assert by_code["69"]["orientations"] == expected(org, 2025, {"69"})
    assert build(2025, departement="69")["orientations"]["total"] == 2


def test_empty_year_is_exactly_the_contract(world, build):
    assert build(2023)["orientations"] == {"total": 0, "par_type_partenaire": {}, "par_statut": {}}


def test_acc_apf_06_01_counts_distinct_people_to_the_platform(world):
    org = world["org"]
    scope = report.Scope(org.pk, 2025, report.territory(org), False)
    assert BY_CODE["ACC.APF.06.01"].compute(None, scope) == Decimal(1)  # Anne, deux fois
    scope_2026 = report.Scope(org.pk, 2026, report.territory(org), False)
    assert BY_CODE["ACC.APF.06.01"].compute(None, scope_2026) == Decimal(1)  # Bruno
    scope_69 = report.Scope(org.pk, 2025, report.territory(org, departement="69"), False)
    assert BY_CODE["ACC.APF.06.01"].compute(None, scope_69) == Decimal(0)
