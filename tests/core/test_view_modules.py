"""Les vues de l'organisme et des aides sont minces : aucun accès direct aux modèles
(``Model.objects``), aucune décision de rôle (``Role``, ``.role``, ``is_org_admin``) ; les
droits sont dans ``policies.py``, les lectures dans ``queries.py`` ou les politiques."""

import pathlib
import re

import pytest

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "parcours"
VIEW_MODULES = sorted(
    [
        SRC / "core" / "views.py",
        *(SRC / "core" / "admin_views").glob("*.py"),
        *(SRC / "aid" / "views").glob("*.py"),
    ]
)
FORBIDDEN = re.compile(r"\.objects\b|\bRole\b|\.role\b|\bis_org_admin\b|\bis_superuser\b")


def test_the_view_packages_exist():
    names = {p.relative_to(SRC).as_posix() for p in VIEW_MODULES}
    assert {"core/admin_views/staff.py", "aid/views/requests.py"} <= names


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: p.relative_to(SRC).as_posix())
def test_view_module_has_no_model_access_nor_role_decision(path):
    offenders = [
        f"{number}: {line.strip()}"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if FORBIDDEN.search(line)
    ]
    assert offenders == []
