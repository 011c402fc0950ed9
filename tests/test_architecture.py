"""Garde-fous d'architecture, lus dans l'arbre syntaxique (``ast``) du code, sans base de données.

1. Les vues ne portent ni droits ni accès aux modèles : pas de ``Modèle.objects``, pas de
   ``get_object_or_404``, pas de ``Role``, pas de lecture de ``agent.role`` et consorts. Une vue
   passe par une politique (``visible_*``, ``can_*``, ``get_*_or_404``), une requête
   (``queries.py``) ou un service.
2. Les imports descendent les couches (docs/coding-style.md) et ne forment aucun cycle.

Chaque vérificateur est d'abord éprouvé sur des extraits plantés (violations et code propre).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = SRC / "parcours"

# --- Découverte des modules -------------------------------------------------------------------


@dataclass(frozen=True)
class Module:
    name: str  # parcours.people.views
    path: Path
    is_package: bool  # __init__.py

    @property
    def relpath(self) -> str:
        return self.path.relative_to(SRC.parent).as_posix()


def module_name(path: Path, src: Path = SRC) -> tuple[str, bool]:
    parts = list(path.relative_to(src).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def project_modules(root: Path = ROOT) -> list[Module]:
    """Tous les modules de ``src/parcours``, migrations exclues."""
    modules = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.relative_to(root).parts:
            continue
        name, is_package = module_name(path, root.parent)
        modules.append(Module(name, path, is_package))
    return modules


def parse(module: Module) -> ast.Module:
    return ast.parse(module.path.read_text(encoding="utf-8"), filename=str(module.path))


# --- 1. Les vues -------------------------------------------------------------------------------

RIGHTS_ATTRIBUTES = {"role", "sees_people", "sees_cases", "is_org_admin"}
SHORTCUTS_AROUND_POLICIES = {"get_object_or_404", "get_list_or_404"}
ROLES_MODULE = "parcours.core.roles"


def is_view_module(relpath: str) -> bool:
    """``views*.py``, ``admin_views*.py``, tout module d'un paquet ``views/`` ou de ``www/``."""
    parts = relpath.split("/")
    filename = parts[-1]
    return (
        filename.startswith(("views", "admin_views"))
        or any(part == "views" or part.startswith("admin_views") for part in parts[:-1])
        or parts[:3] == ["src", "parcours", "www"]
    )


def resolve_relative(level: int, module: str | None, package: str) -> str:
    """Nom absolu de ``from <level × .><module> import …`` écrit dans le paquet ``package``."""
    if not level:
        return module or ""
    base = package.split(".")
    if level - 1 >= len(base):
        return "<import relatif hors de parcours>"
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _package_of(name: str, is_package: bool) -> str:
    return name if is_package else name.rpartition(".")[0]


def _final_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_agent(node: ast.expr) -> bool:
    name = _final_name(node)
    return name is not None and (name == "agent" or name.endswith("_agent"))


def view_violations(source: str, name: str = "parcours.app.views", is_package: bool = False):
    """``[(ligne, raison)]`` pour un module de vues."""
    tree = ast.parse(source)
    package = _package_of(name, is_package)
    found = []
    roles_aliases = set()  # noms liés au module parcours.core.roles
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = resolve_relative(node.level, node.module, package)
            for alias in node.names:
                if target == ROLES_MODULE and alias.name == "Role":
                    found.append((node.lineno, "importe Role de parcours.core.roles"))
                if f"{target}.{alias.name}" == ROLES_MODULE:
                    roles_aliases.add(alias.asname or alias.name)
                if alias.name in SHORTCUTS_AROUND_POLICIES:
                    found.append((node.lineno, f"importe {alias.name} (passer par une politique)"))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == ROLES_MODULE and alias.asname:
                    roles_aliases.add(alias.asname)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        if node.attr == "objects" and isinstance(node.value, ast.Name | ast.Attribute):
            owner = ast.unparse(node.value)
            found.append((node.lineno, f"{owner}.objects (lire par une politique ou queries.py)"))
        elif node.attr in RIGHTS_ATTRIBUTES and _is_agent(node.value):
            owner = ast.unparse(node.value)
            found.append((node.lineno, f"lit {owner}.{node.attr} (un droit : policies.py)"))
        elif node.attr == "Role" and (
            (isinstance(node.value, ast.Name) and node.value.id in roles_aliases)
            or ast.unparse(node.value) == ROLES_MODULE
        ):
            found.append((node.lineno, "utilise parcours.core.roles.Role"))
    return sorted(set(found))


VIEW_SNIPPETS = [
    ("Person.objects.get(pk=pk)", ["Person.objects"]),
    ("models.Case.objects.filter(pk=1)", ["models.Case.objects"]),
    ("from django.shortcuts import get_object_or_404", ["get_object_or_404"]),
    ("from parcours.core.roles import Role", ["importe Role"]),
    ("from ..core.roles import Role", ["importe Role"]),
    ("from parcours.core import roles\nroles.Role.MANAGER", ["utilise parcours.core.roles.Role"]),
    ("import parcours.core.roles\nparcours.core.roles.Role", ["utilise parcours.core.roles.Role"]),
    ("if request.agent.role == 'x': pass", ["lit request.agent.role"]),
    ("agent.sees_people", ["lit agent.sees_people"]),
    ("self.request.agent.sees_cases", ["lit self.request.agent.sees_cases"]),
    ("current_agent.is_org_admin", ["lit current_agent.is_org_admin"]),
    ("def v(request):\n    return Person.objects.none()", ["Person.objects"]),
    # Code propre
    ("from parcours.people.policies import get_person_or_404", []),
    ("from parcours.core.roles import AgentContext", []),
    ("person = policies.get_person_or_404(request.agent, pk)", []),
    ("agent.departements", []),
    ("form.role", []),
    ("request.user.is_org_admin", []),
    ("objects = []\nlen(objects)", []),
    ("from django.shortcuts import redirect, render", []),
]


@pytest.mark.parametrize(("source", "expected"), VIEW_SNIPPETS)
def test_view_checker_itself(source, expected):
    reasons = [reason for _, reason in view_violations(source, "parcours.cases.views")]
    assert len(reasons) == len(expected), reasons
    for reason, fragment in zip(reasons, expected):
        assert fragment in reason


@pytest.mark.parametrize(
    ("relpath", "is_view"),
    [
        ("src/parcours/cases/views.py", True),
        ("src/parcours/outreach/views_detection.py", True),
        ("src/parcours/groups/views/sessions.py", True),
        ("src/parcours/groups/views/__init__.py", True),
        ("src/parcours/core/admin_views.py", True),
        ("src/parcours/core/admin_views/organisation.py", True),
        ("src/parcours/www/home.py", True),
        ("src/parcours/www/__init__.py", True),
        ("src/parcours/cases/services.py", False),
        ("src/parcours/cases/policies.py", False),
        ("src/parcours/core/reviews.py", False),
        ("src/parcours/steering/queries.py", False),
    ],
)
def test_view_module_detection(relpath, is_view):
    assert is_view_module(relpath) is is_view


def test_view_modules_found():
    views = [m.relpath for m in project_modules() if is_view_module(m.relpath)]
    assert "src/parcours/cases/views.py" in views or any("cases/views/" in v for v in views)
    assert len(views) >= 8, views


def test_views_hold_no_rights_and_no_model_access():
    """Une vue ne lit aucun modèle directement et ne décide d'aucun droit."""
    offenders = []
    for module in project_modules():
        if not is_view_module(module.relpath):
            continue
        source = module.path.read_text(encoding="utf-8")
        for line, reason in view_violations(source, module.name, module.is_package):
            offenders.append(f"{module.relpath}:{line}: {reason}")
    assert not offenders, f"{len(offenders)} accès interdits dans les vues :\n" + "\n".join(
        offenders
    )


# Les gabarits non plus ne décident d'aucun droit : ils lisent les ``can_*`` que la vue leur
# passe, et le menu ceux de ``parcours.www.context_processors.navigation``. (Le langage des
# gabarits n'est pas du Python : une expression régulière suffit à y trouver ces lectures.)
TEMPLATE_RIGHTS = re.compile(
    r"\bRole\.|\bagent\.(?:role|sees_people|sees_cases|is_org_admin)\b|\.role\s*(?:==|!=)"
)


def template_violations(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if TEMPLATE_RIGHTS.search(line)]


@pytest.mark.parametrize(
    ("line", "bad"),
    [
        ("{% if agent.role == Role.AS %}", True),
        ("{% if figures.role == Role.MANAGER %}", True),
        ("{% if agent.sees_cases %}", True),
        ("{% if agent.is_org_admin %}", True),
        ("{% if x.role != 'accueil' %}", True),
        ('<div class="fr-alert" role="alert">', False),
        ("{% if menu.team %}", False),
        ("{% if can_take %}", False),
    ],
)
def test_template_checker_itself(line, bad):
    assert bool(template_violations(line)) is bad


def test_templates_decide_no_rights():
    templates = sorted(ROOT.rglob("templates/**/*.html"))
    assert len(templates) > 50
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in templates
        for n in template_violations(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "Gabarits qui décident d'un droit :\n" + "\n".join(offenders)


# --- 2. Les imports -------------------------------------------------------------------------

# Couches, de bas en haut ; une application n'importe que des couches strictement plus basses
# (ou elle-même). Deux applications d'une même couche s'ignorent.
LAYERS: list[set[str]] = [
    {"rules"},
    {"core"},
    {"partners"},
    {"people"},
    {"cases", "aid"},
    {"groups"},
    {"outreach"},
    {"sharing"},
    {"observatory"},
    {"steering"},
    {"privacy"},
    {"www", "demo", "api"},
]
# Au-dessus de tout, à part : l'assemblage du projet. Ils s'importent entre eux librement.
TOP = {"bench", "cli", "urls", "settings", "settings_test", "wsgi"}


def layer_of(app: str) -> int:
    for rank, apps in enumerate(LAYERS):
        if app in apps:
            return rank
    if app in TOP:
        return len(LAYERS)
    raise KeyError(f"application sans couche : {app} (à ranger dans LAYERS ou TOP)")


def app_of(module: str) -> str | None:
    """``parcours.people.views`` → ``people`` ; ``parcours.settings_test`` → ``settings_test``."""
    parts = module.split(".")
    if parts[0] != "parcours" or len(parts) < 2:
        return None
    return parts[1]


def imported_names(tree: ast.AST, name: str, is_package: bool) -> list[tuple[int, str]]:
    """``[(ligne, nom absolu)]`` de tout import du module, à tout niveau (fonctions comprises).

    ``from a import b`` donne ``a.b`` (module ou attribut : ``resolve`` tranche) ;
    ``importlib.import_module("…")`` sur une chaîne littérale compte aussi.
    """
    package = _package_of(name, is_package)
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = resolve_relative(node.level, node.module, package)
            names.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and _final_name(node.func) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.append((node.lineno, node.args[0].value))
    return names


def resolve(imported: str, known: Iterable[str]) -> str | None:
    """Le module du projet le plus précis que désigne ``imported`` (``None`` : hors projet)."""
    known = set(known)
    parts = imported.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


def import_graph(modules: Iterable[Module]) -> dict[str, dict[str, int]]:
    """``{module: {module importé: première ligne}}`` entre modules du projet."""
    modules = list(modules)
    known = {m.name for m in modules}
    graph: dict[str, dict[str, int]] = {}
    for module in modules:
        edges: dict[str, int] = {}
        for line, imported in imported_names(parse(module), module.name, module.is_package):
            target = resolve(imported, known)
            if target is None or target == module.name or target == "parcours":
                continue
            edges.setdefault(target, line)
        graph[module.name] = edges
    return graph


def layer_violations(graph: Mapping[str, Mapping[str, int]]) -> list[str]:
    found = []
    for source, edges in sorted(graph.items()):
        src_app = app_of(source)
        if src_app is None:
            continue
        for target, line in sorted(edges.items()):
            dst_app = app_of(target)
            if dst_app is None or dst_app == src_app:
                continue
            src_rank, dst_rank = layer_of(src_app), layer_of(dst_app)
            if dst_rank < src_rank or (src_rank == dst_rank == len(LAYERS)):
                continue
            found.append(f"{source}:{line} → {target}  ({src_app} n'importe pas {dst_app})")
    return found


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Composantes fortement connexes de plus d'un module (Tarjan, itératif), triées."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result = []
    counter = 0
    nodes = set(graph) | {t for edges in graph.values() for t in edges}
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    result.append(sorted(component))
    return sorted(result)


def cycle_path(graph: Mapping[str, Iterable[str]], component: list[str]) -> list[str]:
    """Un chemin fermé le plus court dans la composante, depuis son premier module."""
    members = set(component)
    start = component[0]
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph.get(node, ())):
                if child not in members:
                    continue
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    return component  # pragma: no cover - une composante a toujours un cycle


# Vérificateurs éprouvés sur des extraits et un graphe plantés.


@pytest.mark.parametrize(
    ("source", "name", "is_package", "expected"),
    [
        ("import parcours.core.audit", "parcours.people.services", False, ["parcours.core.audit"]),
        ("from . import policies", "parcours.people.views", False, ["parcours.people.policies"]),
        ("from .models import Person", "parcours.people.views", False, ["parcours.people.models"]),
        ("from ..core import audit", "parcours.people.views", False, ["parcours.core.audit"]),
        ("from .queries import x", "parcours.people", True, ["parcours.people.queries"]),
        (
            "from ..models import Case",
            "parcours.cases.views.notes",
            False,
            ["parcours.cases.models"],
        ),
        (
            "def f():\n    from parcours.groups import services\n",
            "parcours.outreach.views",
            False,
            ["parcours.groups.services"],
        ),
        (
            "import importlib\nimportlib.import_module('parcours.outreach.hooks')",
            "parcours.groups.apps",
            False,
            ["parcours.outreach.hooks"],
        ),
        ("from django.db import models", "parcours.people.models", False, []),
        ("import os", "parcours.cli", False, []),
    ],
)
def test_import_extraction_itself(source, name, is_package, expected):
    known = {
        "parcours",
        "parcours.core",
        "parcours.core.audit",
        "parcours.people",
        "parcours.people.models",
        "parcours.people.policies",
        "parcours.people.queries",
        "parcours.cases.models",
        "parcours.groups",
        "parcours.groups.services",
        "parcours.outreach.hooks",
    }
    tree = ast.parse(source)
    targets = [resolve(imported, known) for _, imported in imported_names(tree, name, is_package)]
    assert [t for t in targets if t is not None and t != name] == expected


def test_layer_checker_itself():
    graph = {
        "parcours.people.views": {"parcours.core.audit": 1, "parcours.people.models": 2},
        "parcours.core.services": {"parcours.people.models": 3},  # vers le haut
        "parcours.cases.views": {"parcours.aid.models": 4},  # même couche
        "parcours.aid.services": {"parcours.rules.aid_rules": 5},
        "parcours.rules.nir": {"parcours.core.models": 6},  # règles impures
        "parcours.groups.services": {"parcours.outreach.detection": 7},  # vers le haut
        "parcours.outreach.services": {"parcours.groups.services": 8},
        "parcours.www.views": {"parcours.steering.queries": 9, "parcours.demo.data": 10},
        "parcours.urls": {"parcours.www.urls": 11, "parcours.settings": 12},
        "parcours.steering.report": {"parcours.bench": 13},  # l'assemblage est au sommet
    }
    assert layer_violations(graph) == [
        "parcours.cases.views:4 → parcours.aid.models  (cases n'importe pas aid)",
        "parcours.core.services:3 → parcours.people.models  (core n'importe pas people)",
        "parcours.groups.services:7 → parcours.outreach.detection  (groups n'importe pas outreach)",
        "parcours.rules.nir:6 → parcours.core.models  (rules n'importe pas core)",
        "parcours.steering.report:13 → parcours.bench  (steering n'importe pas bench)",
        "parcours.www.views:10 → parcours.demo.data  (www n'importe pas demo)",
    ]


def test_layer_of_rejects_unknown_app():
    with pytest.raises(KeyError):
        layer_of("nouvelle")


def test_cycle_checker_itself():
    graph = {
        "a": {"b"},
        "b": {"c"},
        "c": {"a", "d"},
        "d": {"e"},
        "e": set(),
        "f": {"g"},
        "g": {"f"},
        "h": {"h"},  # un module qui s'importe lui-même n'est pas un cycle entre fichiers
    }
    assert cycles(graph) == [["a", "b", "c"], ["f", "g"]]
    assert cycle_path(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]
    assert cycle_path(graph, ["f", "g"]) == ["f", "g", "f"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_project_modules_found():
    names = {m.name for m in project_modules()}
    assert {"parcours.rules.nir", "parcours.core.models", "parcours.urls"} <= names
    assert not any(".migrations" in n for n in names)


def test_every_app_has_a_layer():
    apps = {app_of(m.name) for m in project_modules()} - {None}
    for app in apps:
        layer_of(app)


def test_imports_go_down_the_layers():
    """rules < core < people < {cases, aid} < groups < outreach < steering < {www, demo}."""
    offenders = layer_violations(import_graph(project_modules()))
    assert not offenders, (
        f"{len(offenders)} imports remontent les couches ou traversent une couche :\n"
        + "\n".join(offenders)
    )


def test_no_import_cycle_between_modules():
    graph = import_graph(project_modules())
    found = cycles(graph)
    lines = [
        f"{len(component)} modules ({', '.join(component)}), par exemple : "
        + " → ".join(cycle_path(graph, component))
        for component in found
    ]
    assert not found, (
        f"{len(found)} cycles d'imports entre modules (une flèche = « importe ») :\n"
        + "\n".join(lines)
    )
