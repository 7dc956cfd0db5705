"""The shipped proxy config (deploy/haproxy.cfg) is valid for HAProxy with 2 and with 4 replicas."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import REPO

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


@pytest.mark.parametrize("replicas", [2, 4])
def test_haproxy_config_is_valid(replicas):
    if not os.path.exists(HAPROXY):
        pytest.skip("haproxy is not installed (.ci/run installs it)")
    env = {**os.environ, "DANVAN_PROXY_BIND": "127.0.0.1:7860", "DANVAN_PROXY_LOG": "stdout",
           "DANVAN_PROXY_MAX_BODY": str(201 * 1048576),
           **{f"DANVAN_REPLICA_{i}": f"127.0.0.1:{7860 + i}" for i in range(1, replicas + 1)}}
    done = subprocess.run([HAPROXY, "-c", "-f", str(REPO / "deploy" / "haproxy.cfg")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[WARNING]" not in done.stdout + done.stderr
