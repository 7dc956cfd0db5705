"""Importing the command line is light and changes nothing in the process (no env vars, no Gradio)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


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
