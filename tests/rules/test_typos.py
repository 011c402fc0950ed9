from hypothesis import given
from hypothesis import strategies as st

from parcours.rules.text import edit_distance, typo_budget

LETTERS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", max_size=12)


def test_typo_budget_boundaries():
    assert [typo_budget("X" * n) for n in (0, 1, 3, 4, 7, 8, 20)] == [0, 0, 0, 1, 1, 2, 2]


def test_edit_distance_pinned_values():
    assert edit_distance("DUPONT", "DUPONT", 2) == 0
    assert edit_distance("DUPNOT", "DUPONT", 2) == 1  # deux lettres inversées
    assert edit_distance("BERNRAD", "BERNARD", 2) == 1
    assert edit_distance("DUPOT", "DUPONT", 2) == 1  # lettre oubliée
    assert edit_distance("DUPPONT", "DUPONT", 2) == 1  # lettre en trop
    assert edit_distance("DUPINT", "DUPONT", 2) == 1  # lettre remplacée
    assert edit_distance("MARTIN", "MARTINEZ", 2) == 2
    assert edit_distance("MARTIN", "BERNARD", 2) == 3  # plafonné à limite + 1
    assert edit_distance("", "ABC", 5) == 3
    assert edit_distance("AB", "ABCDEF", 2) == 3  # écart de longueur


@given(LETTERS, LETTERS)
def test_symmetric_and_bounded(a, b):
    d = edit_distance(a, b, 3)
    assert d == edit_distance(b, a, 3)
    assert 0 <= d <= 4
    assert (d == 0) == (a == b)


@given(LETTERS, LETTERS)
def test_never_more_than_the_longer_word(a, b):
    # Pas d'inégalité triangulaire : la variante « alignement optimal » ne la respecte pas
    # (CA → AC → ABC), d'où cette borne plutôt que la propriété métrique.
    assert edit_distance(a, b, 40) <= max(len(a), len(b))


def test_not_a_metric_on_purpose():
    assert edit_distance("CA", "ABC", 5) == 3
    assert edit_distance("CA", "AC", 5) + edit_distance("AC", "ABC", 5) == 2


@given(LETTERS)
def test_one_swap_is_one_edit(word):
    if len(word) >= 2 and word[0] != word[1]:
        swapped = word[1] + word[0] + word[2:]
        assert edit_distance(word, swapped, 2) == 1
