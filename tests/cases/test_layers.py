"""Les couches n'importent que vers le bas : règles < socle < personnes < accompagnements < … <
pages composées (www), démonstration. Vérifié sur chaque import, y compris dans une fonction."""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2] / "src" / "parcours"
ABOVE = {
    "core": {"people", "cases", "outreach", "aid", "groups", "steering", "www", "demo"},
    "people": {"cases", "outreach", "aid", "groups", "steering", "www", "demo"},
    "cases": {"outreach", "aid", "groups", "steering", "www", "demo"},
}


def imported_modules(path: pathlib.Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module
            for alias in node.names:  # from parcours import outreach
                yield node.lineno, f"{node.module}.{alias.name}"


@pytest.mark.parametrize("package", sorted(ABOVE))
def test_no_import_from_a_higher_layer(package):
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, module in imported_modules(path):
            parts = module.split(".")
            if len(parts) > 1 and parts[0] == "parcours" and parts[1] in ABOVE[package]:
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {module}")
    assert offenders == []
