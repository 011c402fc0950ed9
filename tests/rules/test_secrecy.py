"""Secret statistique : seuil de 11 personnes, secret secondaire (rules/secrecy.py)."""

from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parcours.rules import secrecy
from parcours.rules.secrecy import PRIMARY, SECONDARY, THRESHOLD, TOTAL


def people(n, prefix="p", **values):
    """``n`` lignes de ``n`` personnes distinctes, une ligne chacune."""
    return [{"pseudonyme": f"{prefix}{i}", **values} for i in range(n)]


@pytest.mark.parametrize(("count", "secret"), [(0, True), (1, True), (10, True), (11, False)])
def test_threshold_is_eleven_people(count, secret):
    assert THRESHOLD == 11
    assert secrecy.is_secret(count) is secret


def cells_of(result, by):
    return {c.key: c for c in result}


def test_ten_people_masked_eleven_published_one_dimension():
    rows = people(11, "a", departement="01") + people(12, "b", departement="38")
    rows += people(10, "c", departement="69")
    cells = cells_of(secrecy.aggregates(rows, ["departement"]), ["departement"])
    assert cells[("69",)].secret == PRIMARY and cells[("69",)].people is None
    # 69 seul masqué se retrouverait par le total : la plus petite case publiée (01) l'est aussi
    assert cells[("01",)].secret == SECONDARY and cells[("01",)].contacts is None
    assert (cells[("38",)].people, cells[("38",)].contacts, cells[("38",)].secret) == (12, 12, "")
    assert (cells[(TOTAL,)].people, cells[(TOTAL,)].contacts) == (33, 33)
    # à 11 personnes, rien n'est masqué
    rows = people(11, "a", departement="01") + people(11, "c", departement="69")
    assert [c.secret for c in secrecy.aggregates(rows, ["departement"])] == ["", "", ""]


def test_people_are_distinct_contacts_are_rows():
    rows = people(10, "a", departement="01") * 3  # 10 personnes, 30 entretiens
    cells = cells_of(secrecy.aggregates(rows, ["departement"]), ["departement"])
    assert cells[("01",)].secret == PRIMARY
    rows = people(11, "a", departement="01") * 3
    cells = cells_of(secrecy.aggregates(rows, ["departement"]), ["departement"])
    assert (cells[("01",)].people, cells[("01",)].contacts) == (11, 33)


def test_order_values_then_totals_and_rows():
    rows = people(11, "a", departement="69", programme="PDP")
    rows += people(11, "b", departement="01", programme="DEUIL")
    result = secrecy.aggregates(rows, ["departement", "programme"])
    assert [c.key for c in result] == [
        ("01", "DEUIL"),
        ("01", TOTAL),
        ("69", "PDP"),
        ("69", TOTAL),
        (TOTAL, "DEUIL"),
        (TOTAL, "PDP"),
        (TOTAL, TOTAL),
    ]
    assert result[0].as_row(["departement", "programme"]) == {
        "departement": "01",
        "programme": "DEUIL",
        "personnes": 11,
        "entretiens": 11,
        "secret": 0,
    }


def test_two_masked_cells_summing_under_threshold_get_a_third():
    # ligne : 3 + 4 masquées (7 < 11) : on masque encore la plus petite publiée (20)
    counts = {("a",): (3, 3), ("b",): (4, 4), ("c",): (20, 20), ("d",): (30, 30)}
    counts[(TOTAL,)] = (57, 57)
    hidden = secrecy.suppress(counts)
    assert hidden == {("a",): PRIMARY, ("b",): PRIMARY, ("c",): SECONDARY}


def test_two_masked_cells_reaching_threshold_are_enough():
    counts = {("a",): (5, 5), ("b",): (6, 6), ("c",): (20, 20), (TOTAL,): (31, 31)}
    assert secrecy.suppress(counts) == {("a",): PRIMARY, ("b",): PRIMARY}


def test_secondary_suppression_spreads_to_the_other_dimension():
    # 2 × 2 : (01, PDP) 5 masquée → (01, DEUIL) masquée (ligne 01), → (69, PDP) masquée
    # (colonne PDP), → (69, DEUIL) masquée (ligne 69 et colonne DEUIL).
    rows = people(5, "a", departement="01", programme="PDP")
    rows += people(20, "b", departement="01", programme="DEUIL")
    rows += people(30, "c", departement="69", programme="PDP")
    rows += people(40, "d", departement="69", programme="DEUIL")
    cells = cells_of(secrecy.aggregates(rows, ["departement", "programme"]), None)
    assert cells[("01", "PDP")].secret == PRIMARY
    assert {k for k, c in cells.items() if c.secret == SECONDARY} == {
        ("01", "DEUIL"),
        ("69", "PDP"),
        ("69", "DEUIL"),
    }
    assert all(not cells[k].secret for k in cells if TOTAL in k)


def test_masked_total_hides_every_cell_of_its_line():
    rows = people(4, "a", departement="01", programme="PDP")
    rows += people(3, "b", departement="01", programme="DEUIL")
    cells = cells_of(secrecy.aggregates(rows, ["departement", "programme"]), None)
    assert all(c.secret for c in cells.values())


def test_no_dimension_is_refused():
    with pytest.raises(ValueError):
        secrecy.aggregates([], [])


DEPS, PROGS = ["01", "38", "69"], ["PDP", "DEUIL", "AUTRE"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=25), min_size=9, max_size=9))
def test_no_line_lets_a_masked_cell_be_recomputed(sizes):
    rows = []
    for (dep, prog), n in zip(product(DEPS, PROGS), sizes, strict=True):
        rows += people(n, f"{dep}{prog}", departement=dep, programme=prog)
    if not rows:
        return
    result = secrecy.aggregates(rows, ["departement", "programme"])
    cells = {c.key: c for c in result}
    counts = {}
    for row in rows:
        for key in product((row["departement"], TOTAL), (row["programme"], TOTAL)):
            counts.setdefault(key, set()).add(row["pseudonyme"])
    for key, cell in cells.items():
        assert (cell.people is None) == bool(cell.secret)
        if len(counts[key]) < THRESHOLD:
            assert cell.secret == PRIMARY
        else:
            assert cell.secret in ("", SECONDARY)
    lines = {}
    for key in cells:
        for d in range(2):
            if key[d] != TOTAL:
                lines.setdefault(key[:d] + (TOTAL,) + key[d + 1 :], []).append(key)
    for total, members in lines.items():
        if cells[total].secret:
            continue
        masked = [k for k in members if cells[k].secret]
        assert not masked or (
            len(masked) >= 2 and sum(len(counts[k]) for k in masked) >= THRESHOLD
        ), (total, masked)
