"""TEMPORARY shim: near-duplicate functions moved to vntext/shingles.py. Remove once unused."""
from vntext.shingles import (BANDS, N_PERM, band_keys, best_match, jaccard, minhash_signature, shingles,
                             similarity)

__all__ = ["BANDS", "N_PERM", "band_keys", "best_match", "jaccard", "minhash_signature", "shingles", "similarity"]
