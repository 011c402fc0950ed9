"""Propriété : sur des données tirées au hasard, le rapport SQL égale un calcul direct en Python
des définitions de formats.md §5 (personnes, âges, modes, programmes, profil PDP)."""

from collections import Counter
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcours.core.nomenclatures import FACE_TO_FACE_MODES, Mode, Programme
from parcours.rules import report as rules
from parcours.steering import report
from tests.steering.factories import case, contact, person

pytestmark = pytest.mark.django_db

DEPS = ["01", "38", "69"]
people_st = st.lists(
    st.tuples(
        st.sampled_from("FM"),
        st.dates(date(1930, 1, 1), date(2010, 12, 31)),
        st.lists(
            st.tuples(
                st.sampled_from(DEPS),
                st.sampled_from(["PDP", "DEUIL", "BIEN_VIEILLIR"]),
                st.dates(date(2024, 6, 1), date(2025, 12, 31)),  # opened
                st.sampled_from(["", "MALADIE", "AT_MP"]),
                st.lists(st.tuples(st.integers(0, 400), st.sampled_from(Mode.values)), max_size=3),
            ),
            min_size=1,
            max_size=3,
        ),
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=people_st)
def test_report_matches_python_oracle(org, people):
    from datetime import timedelta

    from django.db import transaction

    year = 2025
    first, last = rules.year_bounds(year)
    expected_people, modes, programmes = set(), Counter(), {}
    by_dep_people = {d: set() for d in DEPS}
    sexes, ages = Counter(), Counter()
    pdp_cases = {}
    with transaction.atomic():
        sid = transaction.savepoint()
        for i, (sex, born, cases) in enumerate(people):
            p = person(org, sex=sex, born=born, name=f"P{i}")
            for dep, programme, opened, risk, contacts in cases:
                c = case(p, departement=dep, programme=programme, opened=opened, risk=risk)
                helped = False
                for offset, mode in contacts:
                    on = opened + timedelta(days=offset)
                    contact(c, on, mode)
                    if first <= on <= last:
                        helped = True
                        modes[mode] += 1
                if helped:
                    expected_people.add(p.pk)
                    by_dep_people[dep].add(p.pk)
                    programmes.setdefault(programme, set()).add(p.pk)
                    if programme == Programme.PDP:
                        key = (opened, c.pk)
                        if p.pk not in pdp_cases or key > pdp_cases[p.pk][0]:
                            pdp_cases[p.pk] = (key, risk)
            if p.pk in expected_people:
                sexes[sex] += 1
                ages[rules.age_band(rules.age_on_dec31(born, year))] += 1
        document = report.build(org, year, report.territory(org))
        transaction.savepoint_rollback(sid)

    assert document["personnes"]["total"] == len(expected_people)
    assert document["personnes"]["sexe"] == {s: sexes[s] for s in "FM"}
    assert document["personnes"]["age"] == {b.key: ages[b.key] for b in rules.AGE_BANDS}
    assert document["entretiens"]["par_mode"] == {m: modes[m] for m in Mode.values}
    assert document["entretiens"]["face_a_face"] == sum(
        n for m, n in modes.items() if m in {x.value for x in FACE_TO_FACE_MODES}
    )
    for code in Programme.values:
        assert document["programmes"][code]["individuel"] == len(programmes.get(code, ()))
    risks = Counter(risk or "INCONNU" for _, risk in pdp_cases.values())
    assert document["pdp"]["accompagnes"] == len(pdp_cases)
    assert document["pdp"]["risque_pct"] == {
        r: rules.pct(risks[r], len(pdp_cases)) for r in ("MALADIE", "AT_MP", "INCONNU")
    }
    got = {d["territoire"]["code"]: d["personnes"]["total"] for d in document["departements"]}
    assert got == {d: len(v) for d, v in by_dep_people.items() if v}
