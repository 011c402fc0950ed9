# ruff: noqa: E501 — the reference table is pasted verbatim.
"""AGGIR → GIR: the official algorithm of ``reference/aggir.md``, checked on every grid.

An independent oracle is built from the reference's tables pasted verbatim below (parsed, not
re-typed) and compared with ``rules.aggir`` on all 3^10 = 59,049 grids.
"""

import itertools
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules import aggir

REFERENCE_VALUES = """
| A | 2000 / 0 | 1200 / 0 | 40 / 16 | 40 / 16 | 60 / 20 | 100 / 16 | 800 / 120 | 200 / 32 | 0 / 0 | 0 / 0 |
| B | 1500 / 320 | 1200 / 120 | 40 / 16 | 40 / 16 | 60 / 0 | 100 / 16 | 800 / 120 | −80 / −40 | 0 / 0 | 0 / 0 |
| C | 0 / 0 | 0 / 0 | 40 / 16 | 40 / 16 | 60 / 20 | 160 / 20 | 1000 / 200 | 400 / 40 | 0 / 0 | 0 / 0 |
| D | 0 / 0 | 0 / 0 | 0 / 0 | 0 / 0 | 2000 / 200 | 400 / 200 | 2000 / 200 | 200 / 0 | 0 / 0 | 0 / 0 |
| E | 400 / 0 | 400 / 0 | 400 / 100 | 400 / 100 | 400 / 100 | 800 / 100 | 800 / 100 | 200 / 0 | 0 / 0 | 0 / 0 |
| F | 200 / 0 | 200 / 100 | 500 / 100 | 500 / 100 | 500 / 100 | 500 / 100 | 500 / 100 | 500 / 0 | 200 / 0 | 0 / 0 |
| G | 150 / 0 | 150 / 0 | 300 / 200 | 300 / 200 | 500 / 200 | 500 / 200 | 400 / 200 | 200 / 100 | 0 / 0 | 0 / 0 |
| H | 0 / 0 | 0 / 0 | 3000 / 2000 | 3000 / 2000 | 3000 / 2000 | 3000 / 2000 | 1000 / 2000 | 1000 / 1000 | 0 / 0 | 0 / 0 |
"""
VARIABLES = "COH ORI TOI HAB ALI ELI TRA DPI DPE COM".split()


def parse_reference():
    table = {}
    for line in REFERENCE_VALUES.strip().splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        group, values = cells[0], cells[1:]
        table[group] = {}
        for variable, cell in zip(VARIABLES, values, strict=True):
            c_value, b_value = (int(x.replace("−", "-")) for x in cell.split("/"))
            table[group][variable] = {"A": 0, "B": b_value, "C": c_value}
    return table


REFERENCE = parse_reference()


def oracle(grid):
    """The reference's threshold table, written as its rows read."""

    def s(group):
        return sum(REFERENCE[group][v][grid[v]] for v in VARIABLES)

    a = s("A")
    if a >= 4380:
        rank = 1
    elif a >= 4140:
        rank = 2
    elif a >= 3390:
        rank = 3
    elif s("B") >= 2016:
        rank = 4
    elif s("C") >= 1700:
        rank = 5
    elif s("C") >= 1432:
        rank = 6
    elif s("D") >= 2400:
        rank = 7
    elif s("E") >= 1200:
        rank = 8
    elif s("F") >= 800:
        rank = 9
    elif s("G") >= 650:
        rank = 10
    elif s("H") >= 4000:
        rank = 11
    elif s("H") >= 2000:
        rank = 12
    else:
        rank = 13
    gir = {1: 1, 8: 3, 9: 3, 10: 4, 11: 4, 12: 5, 13: 6}.get(rank, 2)
    return gir, rank


def grid(**modalities):
    return {v: modalities.get(v, "A") for v in VARIABLES}


ALL_GRIDS = [dict(zip(VARIABLES, combo)) for combo in itertools.product("ABC", repeat=10)]


def test_coefficients_are_the_reference_ones():
    for group, values in REFERENCE.items():
        for variable, by_modality in values.items():
            assert aggir.GROUPS[group][variable] == (by_modality["C"], by_modality["B"])


def test_every_grid_agrees_with_the_reference_table():
    mismatches = []
    for g in ALL_GRIDS:
        result = aggir.compute(g)
        if (result.gir, result.rank) != oracle(g):
            mismatches.append(g)
    assert mismatches == []
    assert len(ALL_GRIDS) == 3**10


def test_distribution_over_all_grids_is_pinned():
    counts = Counter(aggir.compute(g).gir for g in ALL_GRIDS)
    assert counts == {1: 72, 2: 28872, 3: 23397, 4: 5364, 5: 1122, 6: 222}


def test_worked_examples_of_the_reference():
    all_a = aggir.compute(grid())
    assert (all_a.group, all_a.total, all_a.rank, all_a.gir) == ("H", 0, 13, 6)
    all_c = aggir.compute(dict.fromkeys(VARIABLES, "C"))
    assert (all_c.group, all_c.total, all_c.rank, all_c.gir) == ("A", 4440, 1, 1)


@pytest.mark.parametrize(
    ("modalities", "group", "total", "rank", "gir"),
    [
        (dict.fromkeys(VARIABLES, "C"), "A", 4440, 1, 1),
        ({"COH": "C", "ORI": "C", "TRA": "C", "DPI": "C"}, "A", 4200, 2, 2),
        ({"COH": "C", "ORI": "C", "TRA": "C", "DPI": "C", "TOI": "B"}, "A", 4216, 2, 2),
        (
            {"COH": "C", "ORI": "C", "TRA": "C", "TOI": "C", "HAB": "C", "ALI": "C", "ELI": "C"},
            "A",
            4240,
            2,
            2,
        ),
        ({"COH": "C", "ORI": "C", "TRA": "C"}, "A", 4000, 3, 2),
        ({"COH": "C", "ORI": "B", "TRA": "C"}, "B", 2420, 4, 2),
        ({"TRA": "C", "DPI": "C", "ELI": "C", "ALI": "C", "TOI": "C", "HAB": "C"}, "C", 1700, 5, 2),
        ({"TRA": "C", "DPI": "C", "ELI": "B", "TOI": "B"}, "C", 1436, 6, 2),
        ({"ALI": "C", "ELI": "C"}, "D", 2400, 7, 2),
        ({"TOI": "C", "HAB": "C", "ALI": "C"}, "E", 1200, 8, 3),
        ({"TOI": "C", "HAB": "C"}, "F", 1000, 9, 3),
        ({"TOI": "B", "HAB": "B", "ALI": "B", "DPI": "B"}, "G", 700, 10, 4),
        ({"TOI": "B", "HAB": "B"}, "H", 4000, 11, 4),
        ({"TOI": "B"}, "H", 2000, 12, 5),
        ({"TRA": "C"}, "H", 1000, 13, 6),
        ({}, "H", 0, 13, 6),
    ],
)
def test_one_grid_per_rank(modalities, group, total, rank, gir):
    result = aggir.compute(grid(**modalities))
    assert (result.group, result.total, result.rank, result.gir) == (group, total, rank, gir)


@pytest.mark.parametrize(
    ("group", "lower", "rank_at", "rank_below"),
    [("A", 4380, 1, 2), ("A", 4140, 2, 3), ("H", 4000, 11, 12), ("H", 2000, 12, 13)],
)
def test_threshold_bounds_are_inclusive(group, lower, rank_at, rank_below):
    """Every grid whose deciding sum equals a bound gets the upper rank (≥)."""
    seen_at = [g for g in ALL_GRIDS if aggir.group_sum(group, g) == lower]
    decided = [g for g in seen_at if aggir.compute(g).group == group]
    assert decided
    assert {aggir.compute(g).rank for g in decided} == {rank_at}
    assert rank_below == rank_at + 1


def test_rank_to_gir_table():
    assert [aggir.gir_of_rank(r) for r in range(1, 14)] == [1, 2, 2, 2, 2, 2, 2, 3, 3, 4, 4, 5, 6]


def test_the_algorithm_is_not_monotonic_and_we_keep_it_so():
    """The official H group values TRA B (2000) above TRA C (1000): worsening transfers alone
    moves a person from GIR 5 to GIR 6. The reference is reproduced as is."""
    assert aggir.compute(grid(TRA="B")).gir == 5
    assert aggir.compute(grid(TRA="C")).gir == 6


def test_lowercase_and_spaces_are_accepted():
    assert aggir.compute(dict.fromkeys(VARIABLES, " c ")).gir == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"COH": "D"}, "COH : « D » n'est pas une modalité A, B ou C."),
        ({"ORI": ""}, "ORI : valeur manquante (attendu A, B ou C)."),
        ({"COM": None}, "COM : valeur manquante (attendu A, B ou C)."),
    ],
)
def test_invalid_grids(changes, message):
    g = grid() | changes
    assert list(aggir.grid_errors(g).values()) == [message]
    with pytest.raises(aggir.AggirError, match=message.split(" :")[0]):
        aggir.compute(g)


def test_missing_variable():
    g = grid()
    del g["DPE"]
    assert aggir.grid_errors(g) == {"DPE": "DPE : valeur manquante (attendu A, B ou C)."}


grids = st.fixed_dictionaries({v: st.sampled_from("ABC") for v in VARIABLES})


@given(grids)
def test_gir_always_between_1_and_6_and_consistent_with_rank(g):
    result = aggir.compute(g)
    assert 1 <= result.gir <= 6
    assert 1 <= result.rank <= 13
    assert result.gir == aggir.gir_of_rank(result.rank)
    assert result.total == aggir.group_sum(result.group, g)


@given(grids, st.sampled_from("ABC"))
def test_communication_never_changes_the_result(g, com):
    """COM is worth 0 in every group."""
    assert aggir.compute(g) == aggir.compute(g | {"COM": com})


@given(grids, st.sampled_from("ABC"))
def test_moving_outside_only_counts_in_group_f(g, dpe):
    a, b = aggir.compute(g | {"DPE": "A"}), aggir.compute(g | {"DPE": dpe})
    if a != b:
        assert "F" in (a.group, b.group)


@given(grids)
def test_incoherence_and_disorientation_together_mean_gir_1_or_2(g):
    """COH = C and ORI = C weigh 3200 in group A and 2700 in group B (≥ 2016): rank ≤ 4."""
    result = aggir.compute(g | {"COH": "C", "ORI": "C"})
    assert result.rank <= 4
    assert result.gir <= 2
