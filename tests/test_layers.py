"""The arrows of the house point down: ui → assistant → vectorstore/ingest; nothing below imports the UI,
and importing the command line changes nothing in the process."""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _imports(package: str) -> dict[str, set[str]]:
    """Top-level project modules each file of ``package`` imports (at any level, lazily or not)."""
    out = {}
    for path in (REPO / package).rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
        out[str(path.relative_to(REPO))] = names
    return out


@pytest.mark.parametrize("package, forbidden", [
    ("assistant", {"ui", "app", "gradio"}),
    ("ingest", {"ui", "app", "assistant", "gradio"}),
    ("vectorstore", {"ui", "app", "assistant", "gradio"}),
])
def test_no_arrow_runs_back_up(package, forbidden):
    bad = {f: sorted(names & forbidden) for f, names in _imports(package).items() if names & forbidden}
    assert not bad, bad


def test_cli_import_is_light_and_changes_no_environment():
    code = ("import json, os, sys; before = dict(os.environ); import assistant.cli, ui.cli; "
            "print(json.dumps({'env': sorted(set(os.environ.items()) ^ set(before.items())), "
            "'gradio': 'gradio' in sys.modules}))")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"env": [], "gradio": False}
