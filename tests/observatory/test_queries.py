"""observatory.queries : les lignes des communes et des départements (formats.md §6.2–6.3) et
le croisement avec les actions collectives tenues (groups.queries.actions_by_commune)."""

import datetime
from fractions import Fraction

import pytest

from parcours.core import clock
from parcours.core.models import Commune
from parcours.groups.queries import actions_by_commune
from parcours.observatory import queries
from parcours.observatory.models import Aggregate
from parcours.rules import fragility
from tests.factories import SiteFactory, UserFactory
from tests.observatory.outputs_helpers import TODAY, action, communes, session, store
from tests.partners.factories import make_partner

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def today():
    with clock.frozen(TODAY):
        yield TODAY.date()


@pytest.fixture
def agent(org):
    return UserFactory(organisation=org, manager=True, departements=["01", "69"])


def rows_by_code(org, **kwargs):
    return {r.commune_insee: r for r in queries.commune_rows(organisation_id=org.pk, **kwargs)}


# ------------------------------------------------------------ département construit à la main


def test_hand_built_departement_mean_sd_and_threshold_exactly(org):
    """Moyennes 1, 1, 3, 3, 4 (20 retraités chacune) : moyenne 2,4, écart type (population)
    1,2, seuil 2,4 + 0,6 = 3 exactement : les communes à 3 sont fragiles (≥), celle à 4 aussi.
    Une commune secrète (10 retraités, moyenne 11) n'entre pas dans la référence."""
    c = communes("01", 6)
    store(
        org,
        [
            (c[0], 20, 20, 20),
            (c[1], 20, 20, 20),
            (c[2], 20, 20, 60),
            (c[3], 20, 19, 60),
            (c[4], 20, 20, 80),
            (c[5], 10, 10, 110),
        ],
    )
    rows = queries.commune_rows(organisation_id=org.pk, year=2025)
    assert [r.commune_insee for r in rows] == c
    assert [r.score_moyen for r in rows] == [1.0, 1.0, 3.0, 3.0, 4.0, None]
    assert [r.fragile for r in rows] == [0, 0, 1, 1, 1, 0]
    assert [r.secret for r in rows] == [0, 0, 0, 0, 0, 1]
    assert [r.zone_blanche for r in rows] == [0, 0, 1, 1, 1, 0]
    assert rows[3].retraites_60_plus == 19
    ref = queries.references(org.pk, 2025)["01"]
    assert ref.mean == Fraction(12, 5) and ref.variance == Fraction(36, 25)
    assert ref.threshold == pytest.approx(3.0)
    (dep,) = queries.departement_rows(organisation_id=org.pk, year=2025)
    assert dep.as_dict() == {
        "departement": "01",
        "retraites": 110,
        "retraites_60_plus": 109,
        "score_moyen": 3.18,  # 350 / 110 : toutes les lignes, secrètes comprises
        "moyenne_communes": 2.4,
        "ecart_type_communes": 1.2,
        "communes": 6,
        "communes_fragiles": 3,
        "zones_blanches": 3,
    }
    assert dep.name == "Ain"


def test_reference_rounded_exactly_half_away_from_zero_to_4_decimals(org):
    """Moyennes 2,0001 et 2,0000 : moyenne 2,00005 et écart type 0,00005, exactement à
    mi-chemin : 2,0001 et 0,0001 (la valeur enregistrée en virgule flottante ne suffit pas)."""
    c = communes("01", 2)
    store(org, [(c[0], 10000, 10000, 20001), (c[1], 10000, 10000, 20000)])
    (dep,) = queries.departement_rows(organisation_id=org.pk, year=2025)
    assert (dep.moyenne_communes, dep.ecart_type_communes) == (2.0001, 0.0001)
    assert dep.score_moyen == 2.0  # 40001 / 20000 = 2,00005 → 2,00 à 2 décimales
    rows = queries.commune_rows(organisation_id=org.pk, year=2025)
    assert [r.score_moyen for r in rows] == [2.0, 2.0]
    assert [r.fragile for r in rows] == [1, 0]  # 2,0001 ≥ 2,00005 + 0,000025


def test_score_moyen_rounded_half_away_from_zero(org):
    c = communes("01", 2)
    store(org, [(c[0], 200, 200, 669), (c[1], 200, 200, 670)])  # 3,345 et 3,35
    assert [r.score_moyen for r in queries.commune_rows(organisation_id=org.pk, year=2025)] == [
        3.35,
        3.35,
    ]


def test_a_departement_without_a_non_secret_commune_has_no_reference(org):
    c = communes("01", 2)
    store(org, [(c[0], 4, 4, 20), (c[1], 10, 10, 30)])
    (dep,) = queries.departement_rows(organisation_id=org.pk, year=2025)
    assert (dep.moyenne_communes, dep.ecart_type_communes, dep.communes_fragiles) == (None, None, 0)
    assert dep.score_moyen == 3.57  # 50 / 14
    assert all(r.score_moyen is None and r.map_class is None for r in queries.commune_rows(
        organisation_id=org.pk, year=2025
    ))  # fmt: skip


# ------------------------------------------------------------------------- secret statistique


def test_secrecy_at_10_and_11_retirees_still_counted_in_epci_and_departement(org):
    c = communes("69", 3)
    epci = Commune.objects.get(code=c[0]).epci_id
    store(org, [(c[0], 10, 10, 110), (c[1], 11, 11, 11), (c[2], 30, 30, 30)])
    rows = rows_by_code(org, year=2025)
    secret, shown = rows[c[0]], rows[c[1]]
    assert (secret.secret, secret.score_moyen, secret.fragile, secret.exact_mean) == (
        1, None, 0, None,
    )  # fmt: skip
    assert secret.as_dict()["score_moyen"] is None and secret.retraites == 10
    assert (shown.secret, shown.score_moyen) == (0, 1.0)
    (dep,) = queries.departement_rows(organisation_id=org.pk, year=2025, departements=["69"])
    assert (dep.retraites, dep.communes) == (51, 3)
    assert dep.score_moyen == round(151 / 51, 2)
    epci_row = Aggregate.objects.get(organisation=org, level="EPCI", code=epci)
    in_epci = [code for code in c if Commune.objects.get(code=code).epci_id == epci]
    assert epci_row.retirees == sum({c[0]: 10, c[1]: 11, c[2]: 30}[code] for code in in_epci)
    assert epci_row.retirees >= 10  # la commune secrète y est


def test_secret_commune_never_fragile_even_far_above(org):
    c = communes("01", 4)
    store(org, [(c[0], 20, 20, 20), (c[1], 20, 20, 20), (c[2], 20, 20, 40), (c[3], 10, 10, 110)])
    rows = rows_by_code(org, year=2025)
    assert rows[c[3]].fragile == 0 and rows[c[3]].zone_blanche == 0
    assert rows[c[2]].fragile == 1


# ------------------------------------------------------------------------------ concentration


def test_concentration_above_200_people_aged_60_plus(org):
    c = communes("01", 3)
    store(org, [(c[0], 250, 200, 500), (c[1], 250, 201, 500), (c[2], 201, 0, 201)])
    rows = rows_by_code(org, year=2025)
    assert [rows[code].concentration for code in c] == [0, 1, 0]


# ------------------------------------------------------------ croisement avec les actions


@pytest.fixture
def fragile3(org):
    """Six communes à 1 et trois à 10 : moyenne 4, écart type √18 ≈ 4,24, seuil ≈ 6,12 ; les
    trois dernières sont fragiles."""
    c = communes("01", 9)
    store(org, [(code, 20, 20, 20) for code in c[:6]] + [(code, 20, 20, 200) for code in c[6:]])
    return c[6:]


def test_white_zones_with_0_1_and_2_actions(org, agent, fragile3):
    zero, one, two = fragile3
    session(action(org, agent, title="A"), agent, D(2025, 4, 1), commune=one)
    for title in ("B", "C"):
        session(action(org, agent, title=title), agent, D(2025, 4, 1), commune=two)
    rows = rows_by_code(org, year=2025)
    assert [(rows[c].fragile, rows[c].actions_collectives, rows[c].zone_blanche) for c in (
        zero, one, two
    )] == [(1, 0, 1), (1, 1, 1), (1, 2, 0)]  # fmt: skip
    (dep,) = queries.departement_rows(organisation_id=org.pk, year=2025)
    assert (dep.communes_fragiles, dep.zones_blanches) == (3, 2)


def test_two_sessions_of_one_action_are_one_action(org, agent, fragile3):
    act = action(org, agent)
    for day in (D(2025, 3, 1), D(2025, 6, 1), D(2025, 9, 1)):
        session(act, agent, day, commune=fragile3[0])
    row = rows_by_code(org, year=2025)[fragile3[0]]
    assert (row.actions_collectives, row.zone_blanche) == (1, 1)


def test_a_non_fragile_commune_with_no_action_is_no_white_zone(org, fragile3):
    rows = queries.commune_rows(organisation_id=org.pk, year=2025)
    assert [r.zone_blanche for r in rows if not r.fragile] == [0] * 6


def test_period_default_is_the_year_both_ends_included(org, agent, fragile3):
    c = fragile3[0]
    for title, day in (
        ("veille", D(2024, 12, 31)),
        ("premier", D(2025, 1, 1)),
        ("dernier", D(2025, 12, 31)),
        ("lendemain", D(2026, 1, 1)),
    ):
        session(action(org, agent, title=title), agent, day, commune=c)
    assert rows_by_code(org, year=2025)[c].actions_collectives == 2
    assert fragility.default_period(2025) == (D(2025, 1, 1), D(2025, 12, 31))


def test_period_du_au_both_included(org, agent, fragile3):
    c = fragile3[0]
    for day in (D(2025, 5, 2), D(2025, 5, 3), D(2025, 5, 4), D(2025, 5, 5)):
        session(action(org, agent, title=str(day)), agent, day, commune=c)

    def count(since, until):
        return rows_by_code(org, year=2025, since=since, until=until)[c].actions_collectives

    assert count(D(2025, 5, 3), D(2025, 5, 4)) == 2
    assert count(D(2025, 5, 3), D(2025, 5, 3)) == 1
    assert count(D(2025, 5, 6), D(2025, 12, 31)) == 0
    assert count(D(2024, 1, 1), D(2025, 5, 2)) == 1
    # une seule borne : l'autre est celle de l'année
    assert rows_by_code(org, year=2025, since=D(2025, 5, 4))[c].actions_collectives == 2
    assert rows_by_code(org, year=2025, until=D(2025, 5, 2))[c].actions_collectives == 1


def test_typed_commune_then_site_then_partner(org, agent, fragile3):
    typed, at_site, at_partner = fragile3
    site = SiteFactory(organisation=org, departement_id="01", commune_id=at_site)
    partner = make_partner(org=org, actor=agent, commune=Commune.objects.get(code=at_partner))
    # la commune saisie l'emporte sur celle du lieu d'accueil et du partenaire
    session(action(org, agent, title="saisie"), agent, D(2025, 2, 1), commune=typed, site=site)
    session(
        action(org, agent, title="saisie chez le partenaire"),
        agent,
        D(2025, 2, 1),
        commune=typed,
        partner=partner,
    )
    session(action(org, agent, title="lieu"), agent, D(2025, 2, 2), site=site)
    session(action(org, agent, title="partenaire"), agent, D(2025, 2, 3), partner=partner)
    rows = rows_by_code(org, year=2025)
    assert [rows[c].actions_collectives for c in (typed, at_site, at_partner)] == [2, 1, 1]


def test_a_place_without_commune_does_not_count(org, agent, fragile3):
    site = SiteFactory(organisation=org, departement_id="01", commune=None)
    partner = make_partner(org=org, actor=agent)  # sans commune dans l'annuaire
    session(action(org, agent, title="lieu"), agent, D(2025, 2, 2), site=site)
    session(action(org, agent, title="partenaire"), agent, D(2025, 2, 3), partner=partner)
    session(action(org, agent, title="hors annuaire"), agent, D(2025, 2, 4))
    assert (
        actions_by_commune(organisation_id=org.pk, since=D(2025, 1, 1), until=D(2025, 12, 31)) == {}
    )


def test_a_video_session_counts_only_by_its_typed_commune(org, agent, fragile3):
    typed, at_site, _ = fragile3
    site = SiteFactory(organisation=org, departement_id="01", commune_id=at_site)
    session(action(org, agent, title="visio"), agent, D(2025, 2, 1), video=True)
    session(action(org, agent, title="visio et lieu"), agent, D(2025, 2, 1), video=True, site=site)
    session(
        action(org, agent, title="visio et commune"), agent, D(2025, 2, 1), video=True,
        commune=typed,
    )  # fmt: skip
    assert actions_by_commune(
        organisation_id=org.pk, since=D(2025, 1, 1), until=D(2025, 12, 31)
    ) == {typed: 1}


def test_another_organisations_actions_do_not_count(org, other_org, agent, fragile3):
    other_agent = UserFactory(organisation=other_org, manager=True, departements=["01"])
    session(action(other_org, other_agent), other_agent, D(2025, 2, 1), commune=fragile3[0])
    assert rows_by_code(org, year=2025)[fragile3[0]].actions_collectives == 0
    assert actions_by_commune(
        organisation_id=other_org.pk, since=D(2025, 1, 1), until=D(2025, 12, 31)
    ) == {fragile3[0]: 1}


def test_a_future_session_does_not_count_yet(org, agent, today):
    c = communes("01", 9)
    store(
        org,
        [(code, 20, 20, 20) for code in c[:6]] + [(code, 20, 20, 200) for code in c[6:]],
        year=2026,
    )
    target = c[6]
    session(action(org, agent, title="aujourd'hui"), agent, today, commune=target)
    later = action(org, agent, title="demain")
    session(later, agent, today + datetime.timedelta(days=1), commune=target)
    assert rows_by_code(org, year=2026)[target].actions_collectives == 1
    assert rows_by_code(org, year=2026)[target].zone_blanche == 1
    with clock.frozen(TODAY + datetime.timedelta(days=1)):
        row = rows_by_code(org, year=2026)[target]
    assert (row.actions_collectives, row.zone_blanche) == (2, 0)


def test_actions_by_commune_restricted_to_given_communes(org, agent, fragile3):
    for c in fragile3:
        session(action(org, agent, title=c), agent, D(2025, 2, 1), commune=c)
    since, until = D(2025, 1, 1), D(2025, 12, 31)
    assert actions_by_commune(
        organisation_id=org.pk, since=since, until=until, communes=[fragile3[0]]
    ) == {fragile3[0]: 1}
    many = communes("01", 600)  # au-delà de 500 codes : filtrés après la lecture
    assert actions_by_commune(
        organisation_id=org.pk, since=since, until=until, communes=many
    ) == dict.fromkeys(fragile3, 1)
    assert actions_by_commune(organisation_id=org.pk, since=until, until=since) == {}


# ------------------------------------------------------------------------ filtres et années


def test_departement_filter_years_and_evolution(org):
    a, b = communes("01", 1)[0], communes("69", 1)[0]
    store(org, [(a, 20, 20, 40), (b, 20, 20, 60)])
    store(org, [(a, 30, 30, 90)], year=2024)
    assert queries.years(org.pk) == [2025, 2024]
    assert [r.commune_insee for r in queries.commune_rows(
        organisation_id=org.pk, year=2025, departements=["69"]
    )] == [b]  # fmt: skip
    assert [d.departement for d in queries.departement_rows(
        organisation_id=org.pk, year=2025
    )] == ["01", "69"]  # fmt: skip
    assert queries.evolution(organisation_id=org.pk, level="COM", code=a) == [
        (2024, 30, 3.0),
        (2025, 20, 2.0),
    ]
    assert queries.commune_rows(organisation_id=org.pk, year=2023) == []


def test_commune_names_and_epci(org):
    code = communes("01", 1)[0]
    store(org, [(code, 20, 20, 40)])
    (row,) = queries.commune_rows(organisation_id=org.pk, year=2025)
    commune = Commune.objects.select_related("epci").get(code=code)
    assert (row.commune, row.epci, row.epci_name, row.departement) == (
        commune.name, commune.epci_id, commune.epci.name, "01",
    )  # fmt: skip
    assert list(row.as_dict()) == list(queries.COMMUNE_COLUMNS)


def test_age_thresholds_default_then_organisation_setting(org):
    from parcours.observatory.models import ObservatorySettings

    assert queries.age_thresholds(org.pk) == (70, 80, 90)
    ObservatorySettings.objects.create(organisation=org, age_thresholds=[65, 75, 85])
    assert queries.age_thresholds(org.pk) == (65, 75, 85)
