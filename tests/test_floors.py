"""The house's floors: an app imports only apps on lower floors (README, Layout).

Read from the code itself with `ast`, so a new import that runs up a floor fails here
before it ties the apps together. Migrations (history, which may name a model's old
home) and tests (which may build objects of any app) are left out.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Lowest first; apps on one floor do not import each other either.
FLOORS = [
    {"common"},
    {"accounts"},
    {"municipalities"},
    {"projects", "guardianship"},
    {"fees", "support", "stats", "development"},
    {"demo", "pikassos_portal"},
]
FLOOR = {app: number for number, apps in enumerate(FLOORS) for app in apps}


def production_files(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or "tests" in parts or path.name == "conftest.py":
            continue
        yield path


def imported_apps(path):
    """(line, app) for every import of one of our apps in the file."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in FLOOR:
                yield node.lineno, top


def violations(app):
    found = []
    for path in production_files(app):
        for line, other in imported_apps(path):
            if other != app and FLOOR[other] >= FLOOR[app]:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {other}")
    return found


@pytest.mark.parametrize("app", sorted(FLOOR))
def test_an_app_imports_only_lower_floors(app):
    assert violations(app) == []


def test_every_app_has_a_floor():
    apps = {name.split(".")[0] for name in settings.INSTALLED_APPS}
    ours = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert ours <= set(FLOOR)
    assert ours <= apps | {"pikassos_portal"}


def test_the_check_sees_an_import_that_runs_up(tmp_path, monkeypatch):
    app = tmp_path / "municipalities"
    app.mkdir()
    (app / "views.py").write_text("from guardianship.models import Child\nimport projects\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert violations("municipalities") == [
        "municipalities/views.py:1 imports guardianship",
        "municipalities/views.py:2 imports projects",
    ]
