"""The targeting rules of the events file and of the retirees file (rules.targeting): every
parameter, its defaults, its French errors and its boundaries."""

from datetime import date, timedelta

import pytest

from parcours.rules import targeting
from parcours.rules.targeting import (
    EventFacts,
    FragilityFacts,
    clean_parameters,
    describe,
    evaluate,
    offer_window_start,
    visited_recently,
)

EXTRACTION = date(2026, 6, 1)
EVENT_CODES = list(targeting.EVENT_RULES)


def params(code, **overrides):
    cleaned, errors = clean_parameters(code, overrides)
    assert errors == {}
    return cleaned


def event(code, when, birth=date(1960, 3, 10), dep="69", visit=None):
    return EventFacts(
        event=code, event_date=when, birth_date=birth, departement=dep, last_home_visit=visit
    )


def test_catalogue_sources_programmes():
    assert targeting.RULES["NOUVEAU_RETRAITE"].programme == "BIEN_VIEILLIR"
    assert targeting.RULES["REVERSION"].programme == "DEUIL"
    assert targeting.RULES["C2S"].programme == "PARCOURS_SANTE"
    assert targeting.RULES["DECES_CONJOINT"].programme == "DEUIL"
    assert targeting.RULES["SORTIE_HOSPITALISATION"].programme == "RETOUR_DOMICILE"
    for code in ("SEPARATION", "NAISSANCE", "IMPAYE_LOYER"):
        assert targeting.RULES[code].programme == "AUTRE"
    assert targeting.RULES["PLUS_90_ANS"].programme == "BIEN_VIEILLIR"
    assert targeting.RULES["FRAGILITE"].source == "retraites"
    assert [s.code for s in targeting.rules_for_source("extrait_arrets")] == ["ARRET_LONG"]
    events = [s.code for s in targeting.rules_for_source("evenements")]
    assert events == [*EVENT_CODES, "PLUS_90_ANS"]
    # every event code of formats.md §6.4 has its rule
    from parcours.rules.events_extract import EVENTS

    assert sorted(events) == sorted(EVENTS)


def test_event_defaults():
    assert params("NOUVEAU_RETRAITE") == {
        "delai_max_jours": 60,
        "departements": [],
        "delai_offre_mois": 12,
    }
    assert params("REVERSION")["delai_max_jours"] == 90
    assert params("C2S")["delai_max_jours"] == 60
    assert params("SORTIE_HOSPITALISATION")["delai_max_jours"] == 30
    assert params("PLUS_90_ANS") == {
        "age_min": 90,
        "mois_sans_visite": 24,
        "departements": [],
        "delai_offre_mois": 12,
    }
    assert params("FRAGILITE") == {
        "score_min": 8,
        "age_min": None,
        "departements": [],
        "zones_blanches": False,
        "delai_offre_mois": 12,
    }


@pytest.mark.parametrize("code", EVENT_CODES)
def test_event_day_n_vs_n_plus_1(code):
    p = params(code, delai_max_jours=60)
    assert evaluate(code, event(code, EXTRACTION - timedelta(days=60)), EXTRACTION, p)
    assert not evaluate(code, event(code, EXTRACTION - timedelta(days=61)), EXTRACTION, p)
    assert evaluate(code, event(code, EXTRACTION), EXTRACTION, p)  # le jour même : 0 jour
    assert not evaluate(code, event(code, EXTRACTION + timedelta(days=1)), EXTRACTION, p)


@pytest.mark.parametrize("code", EVENT_CODES)
def test_event_rule_only_takes_its_event(code):
    other = "NAISSANCE" if code != "NAISSANCE" else "SEPARATION"
    assert not evaluate(code, event(other, EXTRACTION), EXTRACTION, params(code))


def test_new_retiree_default_60_days():
    p = params("NOUVEAU_RETRAITE")
    assert evaluate("NOUVEAU_RETRAITE", event("NOUVEAU_RETRAITE", date(2026, 4, 2)), EXTRACTION, p)
    assert not evaluate(
        "NOUVEAU_RETRAITE", event("NOUVEAU_RETRAITE", date(2026, 4, 1)), EXTRACTION, p
    )  # 61 jours


def test_event_departements():
    p = params("C2S", departements="01, 69")
    assert p["departements"] == ["01", "69"]
    assert evaluate("C2S", event("C2S", EXTRACTION, dep="01"), EXTRACTION, p)
    assert not evaluate("C2S", event("C2S", EXTRACTION, dep="38"), EXTRACTION, p)


@pytest.mark.parametrize(
    ("birth", "targeted"),
    [
        (date(1936, 6, 1), True),  # 90 ans le jour de l'extraction
        (date(1936, 6, 2), False),  # 89 ans (90 ans le lendemain)
        (date(1930, 1, 1), True),
        (date(1950, 1, 1), False),
    ],
)
def test_plus_90_age_boundary(birth, targeted):
    facts = event("PLUS_90_ANS", date(2026, 1, 1), birth=birth)
    assert evaluate("PLUS_90_ANS", facts, EXTRACTION, params("PLUS_90_ANS")) is targeted


@pytest.mark.parametrize(
    ("visit", "targeted"),
    [
        (None, True),
        (date(2024, 6, 1), False),  # exactement 24 mois avant : visite dans la période
        (date(2024, 5, 31), True),  # 24 mois et un jour
        (date(2026, 5, 1), False),
    ],
)
def test_plus_90_home_visit_24_months(visit, targeted):
    facts = event("PLUS_90_ANS", date(2026, 1, 1), birth=date(1930, 1, 1), visit=visit)
    assert evaluate("PLUS_90_ANS", facts, EXTRACTION, params("PLUS_90_ANS")) is targeted
    assert visited_recently(visit, EXTRACTION, 24) is (not targeted)


def test_plus_90_parameters():
    p = params("PLUS_90_ANS", age_min="85", mois_sans_visite="6")
    old = event("PLUS_90_ANS", date(2026, 1, 1), birth=date(1941, 6, 1))  # 85 ans
    assert evaluate("PLUS_90_ANS", old, EXTRACTION, p)
    visited = event(
        "PLUS_90_ANS", date(2026, 1, 1), birth=date(1930, 1, 1), visit=date(2025, 12, 1)
    )
    assert evaluate("PLUS_90_ANS", visited, EXTRACTION, p) is False  # 6 mois tout juste
    older = event("PLUS_90_ANS", date(2026, 1, 1), birth=date(1930, 1, 1), visit=date(2025, 11, 30))
    assert evaluate("PLUS_90_ANS", older, EXTRACTION, p)
    assert not evaluate(
        "PLUS_90_ANS", event("C2S", EXTRACTION, birth=date(1930, 1, 1)), EXTRACTION, p
    )


def fragile(score=9, age=80, dep="01", white=False):
    return FragilityFacts(score=score, age=age, departement=dep, white_zone=white)


@pytest.mark.parametrize(("score", "targeted"), [(7, False), (8, True), (11, True)])
def test_fragility_score_min(score, targeted):
    assert evaluate("FRAGILITE", fragile(score=score), EXTRACTION, params("FRAGILITE")) is targeted


def test_fragility_age_departements_white_zones():
    p = params("FRAGILITE", age_min=75, departements=["01"], zones_blanches="1")
    assert p["zones_blanches"] is True
    assert evaluate("FRAGILITE", fragile(age=75, white=True), EXTRACTION, p)
    assert not evaluate("FRAGILITE", fragile(age=74, white=True), EXTRACTION, p)
    assert not evaluate("FRAGILITE", fragile(white=False), EXTRACTION, p)
    assert not evaluate("FRAGILITE", fragile(dep="69", white=True), EXTRACTION, p)
    no_white = params("FRAGILITE", zones_blanches=False)
    assert evaluate("FRAGILITE", fragile(white=False), EXTRACTION, no_white)


@pytest.mark.parametrize(
    ("months", "start"),
    [(12, date(2025, 6, 1)), (1, date(2026, 5, 1)), (0, None)],
)
def test_offer_window(months, start):
    assert offer_window_start(EXTRACTION, {"delai_offre_mois": months}) == start
    assert offer_window_start(EXTRACTION, {}) is None  # ARRET_LONG : pas d'exclusion


@pytest.mark.parametrize(
    ("code", "raw", "field", "message"),
    [
        ("C2S", {"delai_max_jours": 0}, "delai_max_jours",
         "Le délai doit être compris entre 1 et 3 650 jours."),
        ("C2S", {"delai_max_jours": "abc"}, "delai_max_jours", "Nombre entier attendu."),
        ("C2S", {"delai_offre_mois": 121}, "delai_offre_mois",
         "Le délai doit être compris entre 0 et 120 mois."),
        ("C2S", {"delai_offre_mois": -1}, "delai_offre_mois",
         "La valeur ne peut pas être négative."),
        ("PLUS_90_ANS", {"age_min": 59}, "age_min",
         "L'âge minimum doit être compris entre 60 et 120 ans."),
        ("PLUS_90_ANS", {"mois_sans_visite": 0}, "mois_sans_visite",
         "La durée sans visite doit être de 1 à 240 mois."),
        ("FRAGILITE", {"score_min": 12}, "score_min",
         "Le score minimum doit être compris entre 1 et 11."),
        ("FRAGILITE", {"score_min": 0}, "score_min",
         "Le score minimum doit être compris entre 1 et 11."),
        ("FRAGILITE", {"zones_blanches": "peut-être"}, "zones_blanches",
         "Valeur oui/non attendue (1 ou 0)."),
        ("FRAGILITE", {"age_min": True}, "age_min", "Nombre entier attendu."),
        ("C2S", {"duree_min_jours": 3}, "__all__", "Paramètres inconnus : duree_min_jours."),
    ],
)  # fmt: skip
def test_parameter_errors_in_french(code, raw, field, message):
    _, errors = clean_parameters(code, raw)
    assert errors == {field: message}


@pytest.mark.parametrize(
    ("code", "name", "lo", "hi"),
    [
        ("C2S", "delai_max_jours", 1, 3650),
        ("NOUVEAU_RETRAITE", "delai_offre_mois", 0, 120),
        ("PLUS_90_ANS", "age_min", 60, 120),
        ("PLUS_90_ANS", "mois_sans_visite", 1, 240),
        ("FRAGILITE", "score_min", 1, 11),
    ],
)
def test_parameter_bounds_included(code, name, lo, hi):
    for value in (lo, hi):
        assert clean_parameters(code, {name: value})[1] == {}
    for value in (lo - 1, hi + 1):
        assert name in clean_parameters(code, {name: value})[1]


def test_empty_values_take_the_defaults():
    assert params("REVERSION", delai_max_jours="", delai_offre_mois="")["delai_max_jours"] == 90
    assert params("PLUS_90_ANS", age_min="")["age_min"] == 90
    assert params("FRAGILITE", score_min=None)["score_min"] == 8


def test_describe_in_french():
    assert describe("NOUVEAU_RETRAITE", params("NOUVEAU_RETRAITE")) == (
        "Événement « nouveau retraité » survenu au plus 60 jours avant la date d'extraction, "
        "sans offre de service reçue depuis 12 mois."
    )
    assert describe("PLUS_90_ANS", params("PLUS_90_ANS", delai_offre_mois=0)) == (
        "Personnes de 90 ans ou plus à la date d'extraction, sans visite à domicile enregistrée "
        "depuis 24 mois."
    )
    assert describe(
        "FRAGILITE", params("FRAGILITE", zones_blanches=True, departements=["01"], age_min=75)
    ) == (
        "Retraités dont le score de fragilité est d'au moins 8, âgés d'au moins 75 ans dans "
        "l'année du fichier, dans les zones blanches de l'observatoire, départements 01, sans "
        "offre de service reçue depuis 12 mois."
    )
    assert describe("C2S", params("C2S", delai_max_jours=1)).startswith(
        "Événement « nouvelle complémentaire santé solidaire » survenu au plus 1 jour "
    )
