"""Aid rules: every amount rule and every condition at its boundaries, with the reasons."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules import aid_rules as r

D = Decimal
ON = datetime.date(2026, 6, 15)


def sit(**kw):
    return r.Situation(on=ON, **kw)


def outcome(conditions, amount, **kw):
    return r.evaluate(conditions, amount, sit(**kw))


FIXED_500 = {"type": "fixe", "montant": "500"}


def test_euros_formatting():
    assert r.euros(D("1300")) == "1\u202f300 €"
    assert r.euros(D("22.5")) == "22,50 €"
    assert r.euros(D("0")) == "0 €"
    assert r.euros(D("-12.345")) == "-12,35 €"


# ------------------------------------------------------------------ amount rules


def test_fixed_amount():
    o = outcome({}, FIXED_500)
    assert (o.eligible, o.amount) == (True, D("500.00"))
    assert [x.text for x in o.reasons] == ["Montant forfaitaire : 500 €."]


@pytest.mark.parametrize(
    ("cost", "amount", "text"),
    [
        ("1875", "1500.00", "80 % de 1\u202f875 € = 1\u202f500 €."),
        (
            "1875.01",
            "1500.00",
            "80 % de 1\u202f875,01 € = 1\u202f500,01 €, plafonné à 1\u202f500 €.",
        ),
        ("1000", "800.00", "80 % de 1\u202f000 € = 800 €."),
        ("0.01", "0.01", "80 % de 0,01 € = 0,01 €."),
    ],
)
def test_percentage_with_cap(cost, amount, text):
    o = outcome({}, {"type": "pourcentage", "taux": "80", "plafond": "1500"}, cost=D(cost))
    assert o.amount == D(amount)
    assert o.reasons[-1].text == text


def test_percentage_without_cost():
    o = outcome({}, {"type": "pourcentage", "taux": "80", "plafond": "1500"})
    assert not o.eligible and o.amount == D("0.00")
    assert o.failures == ["Coût inconnu : le montant (pourcentage du coût) ne peut être calculé."]


BRACKETS = {
    "type": "tranches",
    "base": "revenu",
    "tranches": [
        {"max": "900", "montant": "300"},
        {"max": "1200", "montant": "150"},
        {"max": None, "montant": "0"},
    ],
}


@pytest.mark.parametrize(
    ("income", "amount", "eligible"),
    [("0", "300.00", True), ("900", "300.00", True), ("900.01", "150.00", True),
     ("1200", "150.00", True), ("1200.01", "0.00", False)],
)  # fmt: skip
def test_amount_by_income_bracket(income, amount, eligible):
    o = outcome({}, BRACKETS, monthly_income=D(income))
    assert (o.amount, o.eligible) == (D(amount), eligible)


def test_bracket_zero_says_why():
    o = outcome({}, BRACKETS, monthly_income=D("1500"))
    assert o.failures == ["Le montant calculé est nul : aucune aide à verser."]
    assert (
        o.reasons[0].text == "Barème (ressources mensuelles 1\u202f500 €, tranche au-delà) : 0 €."
    )


def test_bracket_on_family_quotient():
    rule = BRACKETS | {"base": "qf"}
    assert outcome({}, rule, family_quotient=D("850")).amount == D("300.00")
    assert not outcome({}, rule, monthly_income=D("850")).eligible


HOURS = {
    "type": "heures",
    "taux_horaire": "22.50",
    "heures_max": "20",
    "participation": [
        {"max": "1000", "taux": "10"},
        {"max": "1500", "taux": "30"},
        {"max": None, "taux": "73"},
    ],
}


@pytest.mark.parametrize(
    ("hours", "income", "amount"),
    [
        ("10", "1000", "202.50"),  # 225 − 10 %
        ("10", "1000.01", "157.50"),  # 225 − 30 %
        ("10", "1500", "157.50"),
        ("10", "1500.01", "60.75"),  # 225 − 73 %
        ("20", "800", "405.00"),
        ("25", "800", "405.00"),  # capped at 20 h
        ("0.5", "800", "10.12"),  # 11.25 − 1.13 (1.125 rounded half up)
    ],
)
def test_hours_times_rate_minus_participation(hours, income, amount):
    o = outcome({}, HOURS, hours=D(hours), monthly_income=D(income))
    assert o.amount == D(amount)


def test_hours_reason_text():
    o = outcome({}, HOURS, hours=D("10"), monthly_income=D("1200"))
    assert o.reasons[-1].text == (
        "10 h × 22,50 € = 225 €, moins la participation de 30 % (67,50 €) : 157,50 €."
    )


MAJORATIONS = {
    "type": "fixe",
    "montant": "500",
    "majorations": [
        {"si": {"grande_precarite": True, "enfants_min": 1, "enfants_max": 2}, "montant": "1300",
         "libelle": "grande précarité, 1 ou 2 enfants"},
        {"si": {"grande_precarite": True, "enfants_min": 3}, "montant": "1800",
         "libelle": "grande précarité, 3 enfants ou plus"},
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    ("poverty", "children", "amount"),
    [(False, 3, "500.00"), (True, 0, "500.00"), (True, 1, "1300.00"), (True, 2, "1300.00"),
     (True, 3, "1800.00"), (True, 6, "1800.00")],
)  # fmt: skip
def test_majorations(poverty, children, amount):
    assert outcome({}, MAJORATIONS, severe_poverty=poverty, children=children).amount == D(amount)


def test_loan_minimum_monthly_by_case():
    rule = {
        "type": "fixe",
        "montant": "500",
        "mensualite_min": "25",
        "majorations": [
            {"si": {"naissances": 2}, "montant": "700", "mensualite_min": "30"},
            {"si": {"naissances": 3}, "montant": "900", "mensualite_min": "40"},
        ],
    }
    assert (outcome({}, rule, births=1).amount, outcome({}, rule, births=1).monthly_minimum) == (
        D("500.00"),
        D("25"),
    )
    twins = outcome({}, rule, births=2)
    assert (twins.amount, twins.monthly_minimum) == (D("700.00"), D("30"))
    assert outcome({}, rule, births=3).monthly_minimum == D("40")


def test_unknown_amount_type():
    o = outcome({}, {"type": "mystere"})
    assert o.failures == ["Règle de montant inconnue ('mystere')."]


# ------------------------------------------------------------------ conditions


@pytest.mark.parametrize(
    ("age", "ok"), [(54, False), (55, True), (75, True), (76, False), (None, False)]
)
def test_age_range(age, ok):
    o = outcome({"age_min": 55, "age_max": 75}, FIXED_500, age=age)
    assert o.eligible is ok
    if age == 54:
        assert o.failures == [
            "Âge 54 ans : l'aide est réservée aux personnes de entre 55 et 75 ans."
        ]
    if age is None:
        assert "Âge inconnu" in o.failures[0]


@pytest.mark.parametrize(("gir", "ok"), [(4, False), (5, True), (6, True), (None, False)])
def test_gir_range(gir, ok):
    o = outcome({"gir_min": 5, "gir_max": 6}, FIXED_500, gir=gir)
    assert o.eligible is ok
    if gir == 4:
        assert o.failures == ["GIR 4 : l'aide est réservée aux GIR 5 à 6."]
    if gir == 5:
        assert o.reasons[0].text == "GIR 5 : dans la plage GIR 5 à 6."


def test_scheme():
    o = outcome({"regimes": ["MSA"]}, FIXED_500, regime="REGIME_GENERAL")
    assert o.failures == ["Régime général : l'aide est réservée à : Mutualité sociale agricole."]
    assert outcome({"regimes": ["MSA"]}, FIXED_500, regime="MSA").eligible


@pytest.mark.parametrize(("income", "ok"), [("1000", True), ("1000.01", False), (None, False)])
def test_income_ceiling(income, ok):
    o = outcome({"revenu_max": "1000"}, FIXED_500, monthly_income=D(income) if income else None)
    assert o.eligible is ok


@pytest.mark.parametrize(
    ("qf", "strict", "disabled", "ok"),
    [("600", False, False, True), ("600.01", False, False, False), ("600", True, False, False),
     ("599.99", True, False, True), ("999.99", True, True, True), ("1000", True, True, False),
     ("700", True, False, False)],
)  # fmt: skip
def test_family_quotient_ceiling(qf, strict, disabled, ok):
    conditions = {"qf_max": "600", "qf_max_handicap": "1000", "qf_strict": strict}
    o = outcome(conditions, FIXED_500, family_quotient=D(qf), disabled_child=disabled)
    assert o.eligible is ok


def test_family_quotient_reason_text():
    o = outcome({"qf_max": "600", "qf_strict": True}, FIXED_500, family_quotient=D("600"))
    assert o.failures == ["Quotient familial 600 € : il doit être inférieur à 600 €."]


@pytest.mark.parametrize(
    ("event", "event_on", "ok"),
    [
        ("NAISSANCE", datetime.date(2025, 12, 15), True),  # exactly 6 months
        ("NAISSANCE", datetime.date(2025, 12, 14), False),
        ("NAISSANCE", ON, True),
        ("NAISSANCE", datetime.date(2026, 6, 16), False),  # after the request
        ("HOSPITALISATION", datetime.date(2026, 6, 1), False),
        ("", None, False),
    ],
)
def test_life_event_within_n_months(event, event_on, ok):
    o = outcome(
        {"evenements": ["NAISSANCE"], "evenement_mois": 6},
        FIXED_500,
        event=event,
        event_on=event_on,
    )
    assert o.eligible is ok


def test_life_event_reason_text():
    o = outcome(
        {"evenements": ["NAISSANCE"], "evenement_mois": 6},
        FIXED_500,
        event="NAISSANCE",
        event_on=datetime.date(2025, 12, 1),
    )
    assert o.failures == ["Naissance le 01/12/2025 : plus de 6 mois avant la demande."]


def test_channel_social_worker_only():
    conditions = {"canal": "TRAVAILLEUR_SOCIAL"}
    assert outcome(conditions, FIXED_500, channel="TRAVAILLEUR_SOCIAL").eligible
    o = outcome(conditions, FIXED_500, channel="PERSONNE")
    assert o.failures == ["Cette aide n'est accordée que sur demande d'un travailleur social."]


@pytest.mark.parametrize(
    ("last", "ok"),
    [(None, True), (datetime.date(2025, 6, 15), True), (datetime.date(2025, 6, 16), False)],
)
def test_frequency_limit(last, ok):
    o = outcome({"frequence_mois": 12}, FIXED_500, last_granted_on=last)
    assert o.eligible is ok
    if not ok:
        assert o.failures == [
            "Aide identique déjà accordée le 16/06/2025 : au plus une fois par 12 mois, "
            "pas avant le 16/06/2026."
        ]


def test_no_other_plan_and_children():
    assert not outcome({"sans_autre_plan": True}, FIXED_500, other_plan_in_progress=True).eligible
    assert outcome({"sans_autre_plan": True}, FIXED_500).eligible
    assert not outcome({"enfants_min": 1}, FIXED_500, children=0).eligible
    assert outcome({"enfants_min": 1}, FIXED_500, children=1).eligible


def test_every_failing_condition_is_listed_with_the_amount_reason():
    o = outcome(
        {"age_min": 60, "gir_min": 5, "canal": "TRAVAILLEUR_SOCIAL"}, FIXED_500, age=40, gir=2
    )
    assert len(o.failures) == 3
    assert o.reasons[-1] == r.Reason(True, "Montant forfaitaire : 500 €.")
    assert o.amount == D("0.00")


# ------------------------------------------------------------------ versions and validation


def test_version_overlap():
    d = datetime.date
    existing = [(d(2025, 1, 1), d(2025, 12, 31))]
    assert r.version_overlap((d(2026, 1, 1), None), existing) is None
    assert r.version_overlap((d(2025, 12, 31), None), existing) == existing[0]
    assert r.version_overlap((d(2024, 1, 1), d(2024, 12, 31)), existing) is None
    assert r.version_overlap((d(2024, 1, 1), d(2025, 1, 1)), existing) == existing[0]
    assert r.version_overlap((d(2024, 1, 1), None), [(d(2030, 1, 1), None)]) == (
        d(2030, 1, 1),
        None,
    )
    with pytest.raises(ValueError, match="précède"):
        r.version_overlap((d(2026, 1, 2), d(2026, 1, 1)), [])


def test_validation_messages():
    assert r.conditions_errors({"age_min": 60, "qf_max": "600"}) == []
    assert r.conditions_errors({"agemin": 1, "gir_max": 9, "qf_max": "abc", "age_min": "x"}) == [
        "Condition inconnue : « agemin ».",
        "« age_min » doit être un nombre entier positif.",
        "« qf_max » doit être un montant en euros.",
        "« gir_max » doit être compris entre 1 et 6.",
    ]
    assert r.amount_rule_errors(FIXED_500) == []
    assert r.amount_rule_errors(BRACKETS) == []
    assert r.amount_rule_errors(HOURS) == []
    assert r.amount_rule_errors({"type": "x"}) == [
        "Type de montant inconnu : « x » (attendu : fixe, pourcentage, tranches, heures)."
    ]
    assert r.amount_rule_errors({"type": "fixe"}) == [
        "« montant » est obligatoire pour un montant de type fixe."
    ]
    bad = {
        "type": "tranches",
        "tranches": [{"max": None, "montant": "1"}, {"max": "5", "montant": "1"}],
    }
    assert r.amount_rule_errors(bad) == [
        "tranches n°1 : seule la dernière tranche peut être sans plafond."
    ]
    decreasing = {
        "type": "tranches",
        "tranches": [{"max": "5", "montant": "1"}, {"max": "4", "montant": "1"}],
    }
    assert r.amount_rule_errors(decreasing) == [
        "tranches n°2 : les plafonds doivent être croissants."
    ]


money = st.decimals(min_value=D("0"), max_value=D("10000"), places=2)


@given(money, money)
def test_percentage_never_exceeds_cap_nor_cost(cost, cap):
    o = outcome({}, {"type": "pourcentage", "taux": "80", "plafond": str(cap)}, cost=cost)
    assert o.amount <= cap and o.amount <= cost
    assert o.amount == o.amount.quantize(D("0.01"))


@given(money, st.decimals(min_value=D("0"), max_value=D("40"), places=1))
def test_hours_amount_decreases_with_income(income, hours):
    low = outcome({}, HOURS, hours=hours, monthly_income=income).amount
    high = outcome({}, HOURS, hours=hours, monthly_income=income + 1000).amount
    assert D("0") <= high <= low <= D("450")
