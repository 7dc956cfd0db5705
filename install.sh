#!/usr/bin/env bash
# Create .venv and install Trợ lý Dân vận with pinned versions (CPU PyTorch first, from the local wheel).
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/pip install -q --upgrade-strategy only-if-needed "torch==2.13.0"
.venv/bin/pip install -q -c constraints.txt -e ".[dev]"
echo "Đã cài đặt xong. Chạy ứng dụng: $PWD/.venv/bin/danvan serve"
