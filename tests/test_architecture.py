"""The shape of the code, checked: which areas may import which (docs/architecture.md draws it), and file sizes.

Every ``import`` counts wherever it is written: at module level, inside a function (a lazy import hides a
cycle, it does not remove it) and under ``if TYPE_CHECKING:``. An area's *web* modules (views, manage_views,
api, cli, presenters, schemas) sit at the edge and may compose any area; everything else in an area (models,
services, emails, handlers, jobs) is *non-web* and must respect the layering:

* the non-web modules of the base areas (events, accounts, mail) import no area above them;
* the non-web modules of two areas never import each other, in either direction at once.

``eventhub.api`` is web plumbing, not an area; the top-level modules (validation, tokens, i18n, ical, ...) are
core and belong to no area.
"""

from __future__ import annotations

import ast
import collections
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "eventhub"
AREAS = frozenset(
    {
        "accounts",
        "events",
        "registration",
        "agenda",
        "materials",
        "minutes",
        "calendar",
        "mail",
        "reminders",
        "scheduler",
        "demo",
        "audit",
        "privacy",
    }
)
WEB_MODULES = frozenset(
    {"views", "manage_views", "api", "cli", "presenters", "schemas", "dashboard_views", "dashboard_presenters"}
)
# The base areas and the only areas their non-web modules may import.
# accounts emails its sign-in and set-password links through the outbox, so it stands on mail (never the reverse).
# audit is the bottom: every area records into it, it imports none.
BASE_AREAS = {
    "audit": frozenset(),
    "events": frozenset({"audit"}),
    "accounts": frozenset({"events", "mail", "audit"}),
    "mail": frozenset({"events", "audit"}),
}
MAX_LINES = 400
DECLARATIVE_DATA = frozenset({"demo/data.py", "demo/taskforce_meeting3.py"})  # seed data: the length is content


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name
    imported: str  # the module it names (a submodule when ``from package import submodule``)
    line: int


def module_names(package: Path) -> dict[str, Path]:
    """Every module of ``package`` by dotted name (``eventhub.events.services``; a package by its own name)."""
    names = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def imports_in(package: Path) -> list[Import]:
    """All imports of all modules of ``package``, at any depth of the syntax tree."""
    modules = module_names(package)
    found = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            for imported in _imported_modules(node, name, path.name == "__init__.py", modules):
                found.append(Import(name, imported, node.lineno))
    return found


def _imported_modules(node: ast.AST, importer: str, is_package: bool, modules: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:  # relative: from the importer's package, one level up per extra dot
        package = importer.split(".") if is_package else importer.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join(package + ([node.module] if node.module else []))
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]


def area_of(module: str, package_name: str) -> str | None:
    parts = module.split(".")
    if len(parts) > 1 and parts[0] == package_name and parts[1] in AREAS:
        return parts[1]
    return None


def is_web(module: str) -> bool:
    return module.rsplit(".", 1)[-1] in WEB_MODULES


def layering_violations(package: Path) -> list[str]:
    """What breaks the two rules in the module docstring, one line per offending import or pair of areas."""
    name = package.name
    problems = []
    edges: dict[tuple[str, str], list[Import]] = collections.defaultdict(list)
    for found in imports_in(package):
        source, target = area_of(found.importer, name), area_of(found.imported, name)
        if source is None or target is None or source == target or is_web(found.importer):
            continue
        edges[source, target].append(found)
        if source in BASE_AREAS and target not in BASE_AREAS[source]:
            problems.append(f"{found.importer}:{found.line} imports {found.imported}: {target} is above {source}")
    for (source, target), found in sorted(edges.items()):
        if source < target and (target, source) in edges:
            back = edges[target, source][0]
            problems.append(
                f"{source} and {target} import each other: {found[0].importer}:{found[0].line} -> {found[0].imported}"
                f" and {back.importer}:{back.line} -> {back.imported}"
            )
    return problems


def long_modules(package: Path, allowed: frozenset[str] = DECLARATIVE_DATA) -> list[str]:
    too_long = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and relative not in allowed:
            too_long.append(f"{relative}: {lines} lines")
    return too_long


def test_areas_depend_one_way():
    assert layering_violations(PACKAGE) == []


def test_no_module_is_longer_than_400_lines():
    """Past 400 lines a module has more than one seam: split it along them (the demo's seed data excepted)."""
    assert long_modules(PACKAGE) == []


# ---------------------------------------------------------------------------------------------------------
# The checks catch what they should, on a small made-up package
# ---------------------------------------------------------------------------------------------------------


def _write(root: Path, modules: dict[str, str]) -> Path:
    for name, text in modules.items():
        path = root / (name.replace(".", "/") + ".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        for package in [path.parent, *path.parent.parents]:
            if package == root:
                break
            (package / "__init__.py").touch()
        path.write_text(text, encoding="utf-8")
    return root / "fakehub"


@pytest.fixture
def clean_package(tmp_path: Path) -> dict[str, str]:
    """Allowed shapes: downward imports, web modules composing anything, core modules used by all."""
    return {
        "fakehub.validation": "import re\n",
        "fakehub.events.models": "from fakehub import validation\n",
        "fakehub.accounts.models": "from fakehub.events.models import Person\n",
        "fakehub.registration.services": (
            "from fakehub.events import models\nfrom fakehub.accounts.models import User\n"
        ),
        "fakehub.events.views": "from fakehub.registration import services\n",  # web: may compose
        "fakehub.registration.views": "from fakehub.events.views import bp\n",
        "fakehub.api.blueprint": "from fakehub.events import views\n",
    }


def test_a_clean_package_passes(tmp_path, clean_package):
    assert layering_violations(_write(tmp_path, clean_package)) == []


def test_a_lazy_import_of_a_higher_area_from_a_base_area_fails(tmp_path, clean_package):
    clean_package["fakehub.events.services"] = "def f():\n    from fakehub.registration.services import g\n"
    assert layering_violations(_write(tmp_path, clean_package)) == [
        "fakehub.events.services:2 imports fakehub.registration.services: registration is above events",
        "events and registration import each other: fakehub.events.services:2 -> fakehub.registration.services"
        " and fakehub.registration.services:1 -> fakehub.events.models",
    ]


def test_a_type_checking_import_counts(tmp_path, clean_package):
    clean_package["fakehub.mail.models"] = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from fakehub.accounts.models import User\n"
    )
    assert layering_violations(_write(tmp_path, clean_package)) == [
        "fakehub.mail.models:3 imports fakehub.accounts.models: accounts is above mail"
    ]


def test_two_areas_importing_each_other_fail_whichever_the_module_and_however_relative(tmp_path, clean_package):
    clean_package["fakehub.agenda.emails"] = "from fakehub.registration.services import confirmed_people\n"
    clean_package["fakehub.registration.emails"] = "def f():\n    from ..agenda import services\n"
    clean_package["fakehub.agenda.services"] = ""
    assert layering_violations(_write(tmp_path, clean_package)) == [
        "agenda and registration import each other: fakehub.agenda.emails:1 -> fakehub.registration.services"
        " and fakehub.registration.emails:2 -> fakehub.agenda.services"
    ]


def test_long_modules_are_reported_unless_declared_data(tmp_path):
    package = _write(tmp_path, {"fakehub.events.services": "x = 1\n" * 401, "fakehub.demo.data": "x = 1\n" * 500})
    assert long_modules(package, frozenset({"demo/data.py"})) == ["events/services.py: 401 lines"]
