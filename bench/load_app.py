"""Load test of the web app: N concurrent gradio_client users each ask Q questions through ``/ask``.

Seeds a temp store with ../shared/corpus/seeds, starts ``python app.py`` on it (unless ``--url`` names a
running app), then prints the success count and p50/p95 latency. Not a test: run it by hand or in CI.

    .venv/bin/python bench/load_app.py --users 20 --questions 3 --json bench-app.json
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))


def load_questions(path: Path) -> list[dict]:
    """The eval questions (kind, question) to cycle through."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (no numpy needed for a dozen numbers)."""
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def seed_store(data_dir: Path, cache: Path) -> None:
    """Ingest the seeds into data_dir with the real embedding model (same settings the app will use)."""
    from assistant.service import Assistant
    from config import Settings
    a = Assistant(Settings(data_dir=data_dir, embed_cache=cache, _env_file=None))
    report = a.ingest([SHARED / "corpus" / "seeds"])
    a.close()
    print("\n".join(report.summary_lines()), file=sys.stderr)


def start_app(data_dir: Path, cache: Path, concurrency: int, log: Path) -> tuple[subprocess.Popen, str]:
    """``python app.py`` on a free port; returns when it serves."""
    import httpx
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANVAN_")}
    env.update(DANVAN_DATA_DIR=str(data_dir), DANVAN_EMBED_CACHE=str(cache), DANVAN_PORT=str(port),
               DANVAN_HOST="127.0.0.1", DANVAN_CONCURRENCY=str(concurrency), GRADIO_ANALYTICS_ENABLED="False")
    proc = subprocess.Popen([sys.executable, str(REPO / "app.py")], cwd=data_dir.parent, env=env,
                            stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"app exited {proc.returncode}; see {log}")
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(1)
    proc.kill()
    sys.exit(f"app did not start; see {log}")


def _status_mb(pid: int, field: str) -> float:
    """VmRSS / VmHWM of a process from /proc, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_user(url: str, questions: list[str], barrier: threading.Barrier, timeout: float,
             results: list[dict], lock: threading.Lock) -> None:
    """One user: connect, wait for everyone, then ask each question in turn and time it."""
    import httpx
    from gradio_client import Client
    try:
        client = Client(url, verbose=False, analytics_enabled=False, download_files=False,
                        httpx_kwargs={"timeout": httpx.Timeout(timeout)})
    except Exception as exc:  # counted as failures for every question of this user
        barrier.wait()
        with lock:
            results += [{"question": q, "ok": False, "error": f"connect: {exc}", "seconds": None} for q in questions]
        return
    barrier.wait()
    for q in questions:
        t = time.perf_counter()
        try:
            answer = client.predict(q, "auto", api_name="/ask")
            row = {"question": q, "ok": isinstance(answer, dict) and bool(answer.get("answer")),
                   "found": answer.get("found"), "citations": len(answer.get("citations") or [])}
        except Exception as exc:
            row = {"question": q, "ok": False, "error": repr(exc)[:300]}
        row["seconds"] = time.perf_counter() - t
        with lock:
            results.append(row)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--questions", type=int, default=3, help="questions per user")
    ap.add_argument("--concurrency", type=int, default=4, help="DANVAN_CONCURRENCY of the started app")
    ap.add_argument("--url", help="bench this running app instead of starting one")
    ap.add_argument("--db", type=Path, help="start the app on this existing store (its embedding cache: "
                                             "--cache) instead of a fresh seeds store; e.g. bench/query.py --keep's")
    ap.add_argument("--cache", type=Path, help="embedding cache of --db (default: DB/../embed-cache.sqlite3)")
    ap.add_argument("--eval", type=Path, default=SHARED / "eval" / "questions.jsonl")
    ap.add_argument("--timeout", type=float, default=900.0, help="httpx timeout per request (s)")
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args()
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

    pool = [q["question"] for q in load_questions(args.eval)]
    proc = None
    tmp = Path(tempfile.mkdtemp(prefix="danvan-load-"))
    url = args.url
    if not url and args.db:
        proc, url = start_app(args.db, args.cache or args.db.parent / "embed-cache.sqlite3", args.concurrency,
                              tmp / "app.log")
    elif not url:
        data, cache = tmp / "data", tmp / "embed-cache.sqlite3"
        t = time.perf_counter()
        seed_store(data, cache)
        print(f"seeded in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        proc, url = start_app(data, cache, args.concurrency, tmp / "app.log")
    rss_idle = _status_mb(proc.pid, "VmRSS") if proc else None
    try:
        results: list[dict] = []
        lock = threading.Lock()
        barrier = threading.Barrier(args.users)
        threads = [threading.Thread(target=run_user, args=(
            url, [pool[(u * args.questions + i) % len(pool)] for i in range(args.questions)], barrier,
            args.timeout, results, lock)) for u in range(args.users)]
        t0 = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wall = time.perf_counter() - t0
        rss_after = _status_mb(proc.pid, "VmRSS") if proc else None
        rss_peak = _status_mb(proc.pid, "VmHWM") if proc else None
    finally:
        if proc:
            proc.terminate()
            proc.wait(30)
    lat = [r["seconds"] for r in results if r["ok"]]
    summary = {"users": args.users, "questions_per_user": args.questions, "requests": len(results),
               "ok": sum(r["ok"] for r in results), "wall_s": round(wall, 2),
               "p50_s": round(percentile(lat, 50), 3), "p95_s": round(percentile(lat, 95), 3),
               "max_s": round(max(lat), 3) if lat else None,
               "mean_s": round(statistics.fmean(lat), 3) if lat else None,
               "concurrency": None if args.url else args.concurrency, "url": url,
               "app_rss_mb_started": rss_idle, "app_rss_mb_after": rss_after, "app_peak_rss_mb": rss_peak}
    print(f"{summary['ok']}/{summary['requests']} thành công (ok); p50 {summary['p50_s']} s, "
          f"p95 {summary['p95_s']} s, tối đa {summary['max_s']} s; tổng {summary['wall_s']} s")
    if proc:
        print(f"app RSS: {rss_idle:.0f} MB started, {rss_after:.0f} MB after, peak {rss_peak:.0f} MB")
    for r in results:
        if not r["ok"]:
            print(f"  LỖI: {r['question'][:60]} → {r.get('error')}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "results": results}, ensure_ascii=False, indent=2),
                             encoding="utf-8")
    sys.exit(0 if summary["ok"] == summary["requests"] else 1)


if __name__ == "__main__":
    main()
