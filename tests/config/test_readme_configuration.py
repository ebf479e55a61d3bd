"""Every environment variable config/settings.py reads is in README's configuration table."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READERS = {"env_str", "env_bool", "env_int", "env_list"}


def _variables_read_by_settings() -> set[str]:
    tree = ast.parse((ROOT / "config" / "settings.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in READERS
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(node.args[0].value)
    return found


def test_every_variable_settings_read_is_in_the_readme_table():
    read = _variables_read_by_settings()
    assert {"DATABASE_URL", "REDIS_URL", "DEBUG"} <= read  # the scanner sees the helpers' calls
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    in_table = set(re.findall(r"^\| `([A-Z_]+)`", section, flags=re.M))
    in_table |= set(re.findall(r"`([A-Z_]+)` / `[A-Z_]+_FILE`", section))
    assert read <= in_table, f"missing from README's configuration table: {sorted(read - in_table)}"


def test_settings_declare_what_the_apps_read():
    from django.conf import settings

    for name in (
        "DUPLICATE_LINK_THRESHOLD",
        "DUPLICATE_MIN_TEXT_MATCH",
        "DUPLICATE_LINK_TIME_LIMIT",
        "JOBS_MAX_ATTEMPTS",
        "JOBS_TIME_LIMIT",
        "JOBS_EMAIL_TIME_LIMIT",
    ):
        assert hasattr(settings, name), name
    # read with settings.X, never getattr(settings, X, default): a missing one fails loudly
    for path in ROOT.glob("*/**/*.py"):
        if path.parts[len(ROOT.parts)] in {"tests", ".venv", "bench"}:
            continue
        assert "getattr(settings," not in path.read_text(encoding="utf-8"), path
