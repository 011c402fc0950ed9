"""The ``parcours.rules`` package stays pure: standard library and itself only."""

import ast
import sys
from pathlib import Path

import pytest

RULES_DIR = Path(__file__).resolve().parents[2] / "src" / "parcours" / "rules"
MODULES = sorted(RULES_DIR.glob("*.py"))
# Standard-library modules that mean I/O or process state: the rules take everything they
# need as arguments (``today`` included) and return values.
IO_MODULES = {
    "glob",
    "http",
    "io",
    "logging",
    "os",
    "pathlib",
    "shutil",
    "socket",
    "sqlite3",
    "subprocess",
    "sys",
    "tempfile",
    "urllib",
}


def imported_modules(path: Path) -> list[str]:
    """Absolute names of every module imported by ``path`` (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ["parcours", "rules"]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                if node.level - 1 > len(package) or not base:
                    names.append("<relative import outside parcours>")
                    continue
                parts = base + ([node.module] if node.module else [])
                module = ".".join(parts)
                if node.module:
                    names.append(module)
                else:
                    names.extend(f"{module}.{alias.name}" for alias in node.names)
            else:
                names.append(node.module or "")
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
            names.append("<dynamic __import__>")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
        ):
            names.append("<dynamic import_module>")
    return names


def is_allowed(module: str) -> bool:
    top = module.split(".")[0]
    if module == "parcours.rules" or module.startswith("parcours.rules."):
        return True
    if top in ("django", "parcours") or top in IO_MODULES:
        return False
    return top in sys.stdlib_module_names or top == "__future__"


def test_rules_modules_found():
    names = {path.name for path in MODULES}
    assert {
        "__init__.py",
        "nir.py",
        "calendar.py",
        "timers.py",
        "case_workflow.py",
        "text.py",
    } <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_rules_import_only_stdlib_and_rules(path):
    forbidden = [name for name in imported_modules(path) if not is_allowed(name)]
    assert forbidden == [], f"{path.name} importe {forbidden}"


@pytest.mark.parametrize(
    ("source", "allowed"),
    [
        ("import django", False),
        ("from django.db import models", False),
        ("import parcours.people.models", False),
        ("from parcours.core import audit", False),
        ("from .. import settings", False),
        ("from ..people import services", False),
        ("from ... import x", False),
        ("import requests", False),
        ("import os.path", False),
        ("from pathlib import Path", False),
        ("__import__('django')", False),
        ("import importlib\nimportlib.import_module('django')", False),
        ("from parcours.rules import nir", True),
        ("from parcours.rules.calendar import add_months", True),
        ("from .calendar import add_months", True),
        ("from . import nir", True),
        ("import re, unicodedata", True),
        ("from datetime import date", True),
        ("from __future__ import annotations", True),
    ],
)
def test_checker_itself(tmp_path, source, allowed):
    path = tmp_path / "module.py"
    path.write_text(source, encoding="utf-8")
    assert all(is_allowed(name) for name in imported_modules(path)) is allowed
