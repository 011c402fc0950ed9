"""Noms de partenaires en texte libre : clé, type deviné, découpage d'une liste."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules.partner_names import OTHER, guess_kind, key, split_list


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("   ", ""),
        ("CCAS de Belley", "CCAS DE BELLEY"),
        ("  ccas   de  belley ", "CCAS DE BELLEY"),
        ("C.C.A.S. de Belley", "CCAS DE BELLEY"),
        ("C.C.A.S de Belley", "CCAS DE BELLEY"),
        ("Hôpital Fleyriat", "HOPITAL FLEYRIAT"),
        ("Centre communal d'action sociale", "CENTRE COMMUNAL D ACTION SOCIALE"),
        ("France Services — Belley", "FRANCE SERVICES BELLEY"),
        ("Dr Martin (service médical)", "DR MARTIN SERVICE MEDICAL"),
        ("Œuvre d'entraide", "OEUVRE D ENTRAIDE"),
    ],
)
def test_key(text, expected):
    assert key(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CCAS de Belley", "CCAS"),
        ("C.C.A.S. d'Oyonnax", "CCAS"),
        ("Centre communal d'action sociale", "CCAS"),
        ("MDPH de l'Ain", "MDPH"),
        ("Cap emploi 01", "CAP_EMPLOI"),
        ("CLIC du Bugey", "CLIC"),
        ("Hôpital de Belley", "ETABLISSEMENT_SANTE"),
        ("CH Fleyriat", "ETABLISSEMENT_SANTE"),
        ("Centre hospitalier", "ETABLISSEMENT_SANTE"),
        ("France Services de Belley", "FRANCE_SERVICES"),
        ("Maison France Services", "FRANCE_SERVICES"),
        ("Service de santé au travail", "SANTE_TRAVAIL"),
        ("Conseil départemental — Ain", "DEPARTEMENT"),
        ("CPAM", "SECURITE_SOCIALE"),
        (
            "Caisse autonome nationale de la sécurité sociale dans les mines (ANGDM)",
            "SECURITE_SOCIALE",
        ),
        ("Association Siel Bleu", "ASSOCIATION"),
        ("Dynacité habitat", "BAILLEUR"),
        # mots entiers seulement : « CHAMBERY » n'est pas « CH », « CLICHY » pas « CLIC »
        ("Mairie de Chambéry", OTHER),
        ("Centre social de Clichy", OTHER),
        ("Dr Martin (service médical)", OTHER),
        ("Plateforme de répit", OTHER),
        ("", OTHER),
    ],
)
def test_guess_kind(text, expected):
    assert guess_kind(text) == expected


def test_first_rule_wins():
    # France Services passe avant le CCAS qui l'héberge
    assert guess_kind("France Services au CCAS de Nantua") == "FRANCE_SERVICES"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        (
            "CPAM, mutuelles, centre d'examens de santé",
            ["CPAM", "mutuelles", "centre d'examens de santé"],
        ),
        ("CCAS ; MDPH / Cap emploi\nCLIC", ["CCAS", "MDPH", "Cap emploi", "CLIC"]),
        ("CCAS, ccas , C.C.A.S.", ["CCAS"]),
        (" , ;  ", []),
        ("Plateforme   de  répit", ["Plateforme de répit"]),
    ],
)
def test_split_list(text, expected):
    assert split_list(text) == expected


@given(st.text())
def test_key_is_idempotent_and_split_keys_are_distinct(text):
    assert key(key(text)) == key(text)
    keys = [key(n) for n in split_list(text)]
    assert len(keys) == len(set(keys))
    assert all(keys)
