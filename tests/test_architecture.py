"""The layers point one way (ARCHITECTURE.md): views hold no query, services no request,
telephony helpers no portal rules, and nothing reads outside the repository."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"

REQUEST_NAMES = {("flask", "request"), ("flask", "abort"), ("flask", "session"), ("flask", "g"),
                 ("flask_login", "current_user"), ("flask_login", "login_required")}
SESSION_USES_IN_VIEWS = {"commit", "rollback"}  # a view commits the service's work, nothing else


def modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py"))


def tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(), filename=str(path))


def imported_names(node: ast.AST) -> set[tuple[str, str]]:
    names = set()
    for item in ast.walk(node):
        if isinstance(item, ast.ImportFrom) and item.module:
            names |= {(item.module, alias.name) for alias in item.names}
        elif isinstance(item, ast.Import):
            names |= {(alias.name, "") for alias in item.names}
    return names


def is_view_module(node: ast.AST) -> bool:
    """A module that declares routes (@bp.get / @bp.route ...)."""
    for item in ast.walk(node):
        if isinstance(item, ast.FunctionDef):
            for decorator in item.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "bp":
                    return True
    return False


@pytest.mark.parametrize("path", modules(APP / "services"), ids=lambda p: p.name)
def test_services_never_read_the_request(path):
    found = imported_names(tree(path)) & REQUEST_NAMES
    assert not found, f"{path.relative_to(ROOT)} imports {found}: the blueprint reads the request"


VIEW_MODULES = [p for p in modules(APP / "blueprints") if is_view_module(tree(p))]


def test_view_modules_are_found():
    names = {p.relative_to(APP).as_posix() for p in VIEW_MODULES}
    assert {"blueprints/extensions/routes.py", "blueprints/extensions/grid.py", "blueprints/operator/routes.py",
            "blueprints/auth/routes.py"} <= names


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: p.relative_to(APP).as_posix())
def test_views_never_query_the_database(path):
    node = tree(path)
    sqlalchemy = {name for name in imported_names(node) if name[0].split(".")[0] == "sqlalchemy"}
    queries = sorted({
        f"db.session.{item.attr}" for item in ast.walk(node)
        if isinstance(item, ast.Attribute) and isinstance(item.value, ast.Attribute)
        and item.value.attr == "session" and isinstance(item.value.value, ast.Name) and item.value.value.id == "db"
        and item.attr not in SESSION_USES_IN_VIEWS
    } | {f"db.{item.attr}" for item in ast.walk(node)
         if isinstance(item, ast.Attribute) and isinstance(item.value, ast.Name) and item.value.id == "db"
         and item.attr != "session"})
    assert not sqlalchemy and not queries, f"{path.relative_to(ROOT)}: {sorted(sqlalchemy)} {queries}"


@pytest.mark.parametrize("path", modules(APP / "telephony"), ids=lambda p: p.name)
def test_telephony_helpers_depend_on_no_portal_layer(path):
    found = {module for module, _ in imported_names(tree(path))
             if module.startswith(("app.services", "app.blueprints", "app.xml_curl"))}
    assert not found, f"{path.relative_to(ROOT)} imports {found}"


def _string_constants(node: ast.AST):
    docstrings = {id(n.body[0].value) for n in ast.walk(node)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    for item in ast.walk(node):
        if isinstance(item, ast.Constant) and isinstance(item.value, str) and id(item) not in docstrings:
            yield item.value


@pytest.mark.parametrize("folder", ["app", "tests", "bench"])
def test_nothing_reads_outside_the_repository(folder):
    """A clone anywhere tests itself: no path into the workplace's shared/ folder."""
    offenders = [f"{path.relative_to(ROOT)}: {value!r}" for path in modules(ROOT / folder)
                 if path != Path(__file__).resolve() for value in _string_constants(tree(path))
                 if "/" in value and "shared" in value.split("/")]  # a path, not the word ("shared" books)
    assert offenders == []
