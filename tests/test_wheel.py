"""The product as a user installs it: build the wheel, install it (not editable) into a fresh virtual
environment, and from another folder ingest the seeds, ask with --json, and serve the app over HTTP.

The fresh environment reuses the dependencies already installed for this interpreter (a .pth line pointing
at its site-packages; .pth files there, such as an editable install of this project, are not processed), so
the test runs offline; only the project itself comes from the wheel."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "corpus" / "seeds"
QUESTION = "Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?"
LONG = 600  # seconds: building, and the first embedding of the seeds on a slow shared machine
IGNORE = shutil.ignore_patterns(".git", ".venv", "data", "artifacts", "__pycache__", "build", "dist", "*.egg-info",
                                ".pytest_cache", ".hypothesis")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(args: list, **kw) -> subprocess.CompletedProcess:
    out = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=LONG, **kw)
    assert out.returncode == 0, f"{args}\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    if not SEEDS.is_dir():
        pytest.fail(f"seed corpus missing: {SEEDS}")
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(REPO, src, ignore=IGNORE)  # build from a copy: the checkout stays clean
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w",
          tmp / "dist", src])
    wheel = next((tmp / "dist").glob("*.whl"))
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    py = venv / "bin" / "python"
    site = Path(_run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    shared = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "_shared_deps.pth").write_text("\n".join(sorted(shared)) + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", py, "install", "--no-deps", "--no-index", wheel])
    work = tmp / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANVAN_") and k != "PYTHONPATH"}
    env.update(DANVAN_DATA_DIR=str(tmp / "data"), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    return venv, work, env


def test_installed_modules_come_from_the_wheel(installed):
    venv, work, env = installed
    code = ("import app, assistant, prompts, ui; from assistant.llm.chat import load_prompt; "
            "print(ui.__file__, assistant.__file__, app.__file__); assert load_prompt('answer_system_vi')")
    out = _run([venv / "bin" / "python", "-c", code], cwd=work, env=env).stdout
    assert all(str(venv) in p for p in out.split()), out


def test_ingest_ask_and_serve_from_the_wheel(installed):
    venv, work, env = installed
    danvan = venv / "bin" / "danvan"
    out = _run([danvan, "ingest", SEEDS, "--json"], cwd=work, env=env)
    report = json.loads(out.stdout)
    assert len(report["added"]) == 5 and not report["skipped"], report
    answer = json.loads(_run([danvan, "ask", QUESTION, "--json"], cwd=work, env=env).stdout)
    assert answer["found"] and "112" in answer["answer"] and answer["citations"], answer
    port = _free_port()
    log = work / "serve.log"
    proc = subprocess.Popen([str(danvan), "serve", "--port", str(port)], cwd=work, env=env,
                            stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    try:
        deadline, page = time.monotonic() + LONG, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                if r.status_code == 200:
                    page = r.text
                    break
            except httpx.HTTPError:
                pass
            time.sleep(1)
        assert page is not None, log.read_text(errors="replace")[-3000:]
        assert "Trợ lý Dân vận" in page
        assert httpx.get(f"http://127.0.0.1:{port}/config", timeout=30).status_code == 200
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
