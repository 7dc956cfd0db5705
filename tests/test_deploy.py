"""The shipped deployment files (deploy/): the HAProxy config is valid with 2 and 4 replicas and with the
example environment; the systemd units pass `systemd-analyze verify` with every ExecStart program present;
every DANVAN_* name they use is read by config.py or by haproxy.cfg; the ports agree; the README's install
commands name files that exist."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
DEPLOY = REPO / "deploy"
UNITS = ["danvan@.service", "danvan-chroma.service"]
DROP_IN = DEPLOY / "haproxy.service.d" / "danvan.conf"
PREFIX = "/opt/danvan"  # where the README installs the checkout
VENV_BIN = Path(sys.executable).parent  # the venv running the tests holds the same console scripts


def _env_file(path: Path, commented: bool = False) -> dict[str, str]:
    """NAME=value lines (``commented``: also the '#NAME=value' examples)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if commented and re.match(r"#[A-Z_]+=", line):
            line = line[1:]
        m = re.match(r"([A-Z][A-Z0-9_]*)=(.*)", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def _unit(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"([A-Za-z]+)=(.*)", line.strip())
        if m:
            out.setdefault(m.group(1), []).append(m.group(2))
    return out


def _settings_names() -> set[str]:
    from config import Settings
    return {f"DANVAN_{name.upper()}" for name in Settings.model_fields}


def _haproxy_names() -> set[str]:
    text = (DEPLOY / "haproxy.cfg").read_text(encoding="utf-8")
    return set(re.findall(r"\$\{(DANVAN_[A-Z0-9_]+)\}", text)) | set(re.findall(r"defined\((DANVAN_[A-Z0-9_]+)\)", text))


def _haproxy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([HAPROXY, "-c", "-f", str(DEPLOY / "haproxy.cfg")], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("replicas", [2, 4])
def test_haproxy_config_is_valid(replicas):
    if not os.path.exists(HAPROXY):
        _missing("haproxy")
    env = {"DANVAN_PROXY_BIND": "127.0.0.1:7860", "DANVAN_PROXY_LOG": "stdout",
           "DANVAN_PROXY_MAX_BODY": str(201 * 1048576),
           **{f"DANVAN_REPLICA_{i}": f"127.0.0.1:{7860 + i}" for i in range(1, replicas + 1)}}
    done = _haproxy_check(env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[WARNING]" not in done.stdout + done.stderr


def test_haproxy_config_with_the_example_environment():
    """What the systemd drop-in gives HAProxy (deploy/proxy.env.example, user switch included) is valid,
    names only what haproxy.cfg reads, and sets everything it requires."""
    proxy_env = _env_file(DEPLOY / "proxy.env.example")
    assert set(_env_file(DEPLOY / "proxy.env.example", commented=True)) <= _haproxy_names()
    required = {n for n in _haproxy_names() if n not in
                re.findall(r"defined\((DANVAN_[A-Z0-9_]+)\)", (DEPLOY / "haproxy.cfg").read_text(encoding="utf-8"))}
    assert required <= set(proxy_env), required - set(proxy_env)
    mib = _env_file(DEPLOY / "danvan.env.example")["DANVAN_MAX_FILE_MB"]
    assert int(proxy_env["DANVAN_PROXY_MAX_BODY"]) >= float(mib) * 1048576 * 10  # ten files of the app's limit
    if not os.path.exists(HAPROXY):
        _missing("haproxy")
    done = _haproxy_check(proxy_env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[WARNING]" not in done.stdout + done.stderr


def test_units_name_only_real_settings_and_programs():
    """Every DANVAN_* variable of the units and of the app's example environment is a setting of config.py;
    every ExecStart runs a program the install provides (a console script of the venv with its command, or
    HAProxy); the instance's port is the replica's DANVAN_PORT."""
    settings = _settings_names()
    app_env = _env_file(DEPLOY / "danvan.env.example", commented=True)
    assert set(app_env) <= settings, set(app_env) - settings
    assert not {"DANVAN_HOST", "DANVAN_PORT", "DANVAN_DATA_DIR"} & set(_env_file(DEPLOY / "danvan.env.example"))
    scripts = re.findall(r"^(\w+) = ", (REPO / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    for name in UNITS + [DROP_IN.relative_to(DEPLOY).as_posix()]:
        unit = _unit(DEPLOY / name)
        for value in unit.get("Environment", []):
            var = value.split("=", 1)[0].strip('"')
            if var.startswith("DANVAN_"):
                assert var in settings, (name, var)
        for path in unit.get("EnvironmentFile", []):
            assert path.lstrip("-") in ("/etc/danvan/danvan.env", "/etc/danvan/proxy.env"), (name, path)
        for cmd in unit.get("ExecStart", []) + unit.get("ExecStartPre", []):
            program, *args = cmd.split()
            if program.startswith(PREFIX + "/.venv/bin/"):
                exe = Path(program).name
                assert (VENV_BIN / exe).exists(), (name, program)
                if exe == "danvan":
                    assert "danvan" in scripts
                    from typer.testing import CliRunner
                    from ui.cli import app
                    assert CliRunner().invoke(app, [*args, "--help"]).exit_code == 0, (name, cmd)
            else:
                assert program == "/usr/sbin/haproxy", (name, program)
    replica = _unit(DEPLOY / "danvan@.service")
    assert "DANVAN_PORT=%i" in replica["Environment"]


def test_ports_agree():
    """The replicas the proxy sends to are the instances the README enables and the drop-in waits for; the
    Chroma URL of the replicas is where danvan-chroma.service listens."""
    proxy = {v.rsplit(":", 1)[1] for k, v in _env_file(DEPLOY / "proxy.env.example").items()
             if k.startswith("DANVAN_REPLICA_")}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    enabled = set(re.findall(r"danvan@(\d+)\.service", readme.split("sudo systemctl enable --now", 1)[1].split("\n")[0]))
    assert proxy == enabled, (proxy, enabled)
    waits = set(re.findall(r"danvan@(\d+)\.service", _unit(DROP_IN)["After"][0]))
    assert waits == proxy
    chroma = _unit(DEPLOY / "danvan-chroma.service")["ExecStart"][0]
    port = re.search(r"--port (\d+)", chroma).group(1)
    host = re.search(r"--host (\S+)", chroma).group(1)
    assert _env_file(DEPLOY / "danvan.env.example")["DANVAN_CHROMA_URL"] == f"http://{host}:{port}"


def test_readme_install_names_shipped_files():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\bdeploy/[\w@.\-/]+[\w]", readme))
    assert {"deploy/danvan@.service", "deploy/danvan-chroma.service", "deploy/haproxy.service.d/danvan.conf",
            "deploy/danvan.env.example", "deploy/proxy.env.example"} <= named
    for rel in named:
        assert (REPO / rel).exists(), rel


def _missing(program: str) -> None:
    """A program .ci/run installs: its absence fails in CI, and skips elsewhere."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{program} missing in CI (.ci/run installs it)")
    pytest.skip(f"{program} is not installed (.ci/run installs it)")


def test_systemd_analyze_verify(tmp_path):
    """The units as installed (the prefix /opt/danvan pointed at this checkout's venv), Debian's
    haproxy.service with the drop-in: `systemd-analyze verify` finds no error, and does find one when the
    replica's program is missing (the check is real). systemd-analyze comes with Debian's systemd package
    (.ci/run installs it); without it the test fails in CI and is skipped elsewhere."""
    if SYSTEMD_ANALYZE is None:
        _missing("systemd-analyze")
    units = tmp_path / "units"
    (units / "haproxy.service.d").mkdir(parents=True)
    prefix = tmp_path / "opt"
    (prefix / ".venv").mkdir(parents=True)
    (prefix / ".venv" / "bin").symlink_to(VENV_BIN)
    for name in UNITS:
        (units / name).write_text((DEPLOY / name).read_text(encoding="utf-8").replace(PREFIX, str(prefix)),
                                  encoding="utf-8")
    shutil.copy(DROP_IN, units / "haproxy.service.d" / "danvan.conf")
    targets = ["danvan@7861.service", "danvan-chroma.service"]
    debian_haproxy = Path("/lib/systemd/system/haproxy.service")
    if debian_haproxy.exists():
        shutil.copy(debian_haproxy, units / "haproxy.service")
        targets.append("haproxy.service")
    env = {**os.environ, "SYSTEMD_UNIT_PATH": f"{units}:"}

    def verify() -> subprocess.CompletedProcess:
        return subprocess.run([SYSTEMD_ANALYZE, "verify", *targets], cwd=units, env=env, capture_output=True,
                              text=True, timeout=120)

    done = verify()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "danvan" not in done.stderr, done.stderr  # no warning about our units
    (prefix / ".venv" / "bin").unlink()
    done = verify()
    assert done.returncode != 0 and "not executable" in done.stderr, done.stderr
