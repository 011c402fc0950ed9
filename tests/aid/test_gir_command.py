"""``parcours gir`` : CSV AGGIR sur l'entrée standard → mêmes lignes + gir et rang."""

import io
import itertools
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from tests.rules.test_aggir import VARIABLES, oracle

HEADER = ";".join(VARIABLES)


def run(text: str):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("gir", stdin=io.StringIO(text), stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_valid_grids_get_gir_and_rank():
    code, out, err = run(f"{HEADER}\n" + "C;" * 9 + "C\n" + "A;" * 9 + "A\nA;A;B;A;A;A;A;A;A;A\n")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{HEADER};gir;rang",
        "C;C;C;C;C;C;C;C;C;C;1;1",
        "A;A;A;A;A;A;A;A;A;A;6;13",
        "A;A;B;A;A;A;A;A;A;A;5;12",
    ]


def test_column_order_is_free_extra_columns_are_copied_with_a_warning_and_bom_tolerated():
    header = "ref;" + ";".join(reversed(VARIABLES))
    code, out, err = run("\ufeff" + header + "\nX12;" + ";".join(["B"] * 10) + "\n")
    assert code == 0
    assert "Colonne(s) inconnue(s) recopiée(s) : ref." in err
    rows = out.splitlines()
    assert rows[0] == header + ";gir;rang"
    assert rows[1].startswith("X12;B;B;B")
    gir, rank = oracle(dict.fromkeys(VARIABLES, "B"))
    assert rows[1].endswith(f";{gir};{rank}")


def test_existing_gir_columns_are_recomputed():
    code, out, _ = run(f"{HEADER};gir;rang\n" + "A;" * 10 + "3;9\n")
    assert code == 0
    assert out.splitlines()[1] == "A;A;A;A;A;A;A;A;A;A;6;13"


def test_invalid_rows_give_line_number_and_reason_and_exit_non_zero():
    text = f"{HEADER}\nA;A;A;A;A;A;A;A;A;A\nA;A;D;A;A;A;A;A;A;A\n\nA;A;A\nA;A;A;A;A;A;A;A;A;\n"
    code, out, err = run(text)
    assert code == 1
    assert out.splitlines() == [f"{HEADER};gir;rang", "A;A;A;A;A;A;A;A;A;A;6;13"]
    assert err.splitlines() == [
        "ligne 3, TOI : « D » n'est pas une modalité A, B ou C.",
        "ligne 5 : 3 valeur(s) au lieu de 10 (une par colonne).",
        "ligne 6, COM : valeur manquante (attendu A, B ou C).",
        "3 ligne(s) invalide(s) : GIR non calculé pour elles.",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "ligne 1 : en-tête absent (attendu COH;ORI;TOI;HAB;ALI;ELI;TRA;DPI;DPE;COM)."),
        ("COH;ORI\nA;A\n", "ligne 1 : colonne(s) absente(s) de l'en-tête : TOI, HAB, ALI"),
    ],
)
def test_bad_header(text, message):
    code, out, err = run(text)
    assert code == 1
    assert message in err


def test_real_process_with_every_grid_of_the_table():
    """Les 59 049 grilles possibles passent par la vraie commande et l'entrée standard."""
    grids = list(itertools.product("ABC", repeat=10))
    text = HEADER + "\n" + "".join(";".join(g) + "\n" for g in grids)
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "parcours.settings_test", "PARCOURS_ENV": "test"}
    done = subprocess.run(
        [sys.executable, "-m", "parcours.cli", "gir"],
        input=text.encode(),
        capture_output=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stdout.decode().splitlines()
    assert lines[0] == HEADER + ";gir;rang"
    assert len(lines) == len(grids) + 1
    for g, line in zip(grids, lines[1:], strict=True):
        cells = line.split(";")
        assert tuple(cells[:10]) == g
        assert (int(cells[10]), int(cells[11])) == oracle(dict(zip(VARIABLES, g)))


def test_real_process_invalid_row_exit_code():
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "parcours.settings_test", "PARCOURS_ENV": "test"}
    done = subprocess.run(
        [sys.executable, "-m", "parcours.cli", "gir"],
        input=f"{HEADER}\nA;A;A;A;A;A;A;A;A;Z\n".encode(),
        capture_output=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert "ligne 2, COM : « Z » n'est pas une modalité A, B ou C." in done.stderr.decode()
