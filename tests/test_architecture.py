"""The import rules of README's "Architecture", checked statically on every module of ours.

Parses each .py file of our apps with `ast` (no import runs), including imports inside
functions, and fails on:
- an import against the allowed direction between apps (ALLOWED below);
- any import cycle between modules of the project.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Which apps of ours each app may import (itself always). `config` wires them all;
# `desk` (the staff side, still to come) sits on top of everything. `demo` (the demo
# content, not an app) writes through every app, and only config's load_demo (and serve,
# which lists the demo accounts) import it.
ALLOWED: dict[str, set[str]] = {
    "accounts": set(),
    "search": set(),
    "jobs": set(),
    "audit": set(),
    "forum": {"accounts", "search", "jobs", "audit"},
    "duplicates": {"forum", "accounts", "search", "jobs", "audit"},
    "kb": {"forum", "duplicates", "accounts", "search", "jobs", "audit"},
    "desk": {"forum", "duplicates", "kb", "accounts", "search", "jobs", "audit"},
    # moderation: reports, the moderators' queue and actions, the audit log page
    "moderation": {"forum", "duplicates", "kb", "accounts", "search", "jobs", "audit"},
    "demo": {"forum", "duplicates", "kb", "desk", "moderation", "accounts", "search", "jobs", "audit"},
    "config": {
        "forum",
        "duplicates",
        "kb",
        "desk",
        "moderation",
        "accounts",
        "search",
        "jobs",
        "audit",
        "demo",
    },
}
APPS = sorted(ALLOWED)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).is_dir() else []:
            modules[_module_name(path)] = path
    return modules


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, int]]:
    """(imported module of ours, line) for every import in the file, at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, path, node)
            # `from pkg import name` imports the module pkg.name when there is one.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # `import a.b.c` where only a.b is ours
                target = target.rpartition(".")[0]
            if target:
                found.append((target, node.lineno))
    return found


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {
        module: {target for target, _ in imports_of(module, path, modules) if target != module}
        for module, path in modules.items()
    }


def test_the_scanner_sees_the_apps_and_lazy_imports():
    graph = import_graph()
    assert {m.split(".")[0] for m in graph} >= {
        "accounts",
        "search",
        "jobs",
        "forum",
        "duplicates",
        "kb",
        "demo",
        "config",
    }
    # a function-level import counts: jobs/apps.py imports its tasks inside ready()
    assert "jobs.tasks" in graph["jobs.apps"]


def test_no_app_imports_against_the_documented_direction():
    modules = project_modules()
    wrong = []
    for module, path in modules.items():
        app = module.split(".")[0]
        for target, line in imports_of(module, path, modules):
            other = target.split(".")[0]
            if other != app and other not in ALLOWED[app]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target} ({app} -> {other})")
    assert not wrong, "imports against the direction in README's Architecture:\n" + "\n".join(wrong)


def test_only_the_load_demo_and_serve_commands_import_the_demo():
    modules = project_modules()
    importers = {
        module
        for module, path in modules.items()
        if not module.startswith("demo")
        for target, _ in imports_of(module, path, modules)
        if target.split(".")[0] == "demo"
    }
    # load_demo writes it; serve (make run) lists the demo accounts that exist, last.
    assert importers == {"config.management.commands.load_demo", "config.management.commands.serve"}


def test_accounts_and_jobs_import_only_django_allauth_celery_and_the_stdlib():
    # (search may use libraries, e.g. markdown-it to read Markdown; it imports no app of ours)
    third_party = {
        # confusable_homoglyphs: Unicode's confusables table, for display names (accounts/names.py)
        "accounts": {"django", "allauth", "confusable_homoglyphs"},
        "jobs": {"django", "celery"},
    }
    modules = project_modules()
    wrong = []
    for module, path in modules.items():
        app = module.split(".")[0]
        if app not in third_party:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            for name in names:
                top = name.split(".")[0]
                if top != app and top not in third_party[app] and top not in sys.stdlib_module_names:
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert not wrong, "\n".join(wrong)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules_of_the_project():
    cycles = _cycles(import_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_every_app_of_ours_is_in_the_rules():
    """A new top-level package with Python code (a new app) must be given its place in
    ALLOWED, or its imports would go unchecked. Non-app folders are named here."""
    not_apps = {"tests", "bench", "docs", "templates", "static", "data", "deploy", "staticfiles"}
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if not path.parent.name.startswith(".") and path.parent.name not in not_apps
    }
    assert packages - set(ALLOWED) == set(), "give each app its place in ALLOWED (and in README)"


# --- templates of apps that know no app of ours ------------------------------------------

URL_TAG = re.compile(r"""{%\s*url\s+['"]([^'"]+)['"]""")
HARD_CODED_PATH = re.compile(r"""["'=]\s*/(questions|kb|users|account)/""")


def _words_of_other_apps() -> set[str]:
    """Names a search template must not spell: our apps and the kinds they register."""
    from search.kinds import all_kinds

    return {app for app in APPS if app != "search"} | {kind.name for kind in all_kinds()}


def _search_template_problems(text: str, words: set[str]) -> list[str]:
    found = []
    for name in URL_TAG.findall(text):
        if not name.startswith("search:"):
            found.append(f"names the URL {name!r}")
    for match in HARD_CODED_PATH.finditer(text):
        found.append(f"hard-codes the path /{match.group(1)}/")
    for word in sorted(words):
        if re.search(rf"""['"]{re.escape(word)}['"]""", text):
            found.append(f"spells {word!r}")
    return found


def test_the_search_template_check_catches_other_apps_urls_and_kinds():
    words = {"forum", "thread", "article"}
    assert _search_template_problems("""<a href="{% url 'forum:ask' %}">""", words) == [
        "names the URL 'forum:ask'"
    ]
    assert _search_template_problems("""{% if hit.kind == "article" %}""", words) == ["spells 'article'"]
    assert _search_template_problems("""<a href="/questions/ask/">""", words) == [
        "hard-codes the path /questions/"
    ]
    assert (
        _search_template_problems("""<a href="{% url 'search:suggest' %}">{{ kind.label }}</a>""", words)
        == []
    )


def test_search_templates_name_no_other_app_url_or_kind():
    """search knows no app of ours: its pages get labels and links from search.kinds."""
    words = _words_of_other_apps()
    assert {"thread", "article", "forum", "kb"} <= words
    wrong = []
    for path in sorted((ROOT / "templates" / "search").rglob("*.html")):
        for problem in _search_template_problems(path.read_text(encoding="utf-8"), words):
            wrong.append(f"{path.relative_to(ROOT)} {problem}")
    assert not wrong, "\n".join(wrong)
