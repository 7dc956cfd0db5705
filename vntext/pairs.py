"""Syllable pairs: the lexical index stores adjacent folded syllables as one token ("dan_van"),
so a two-syllable word matches as a unit and not as two common syllables."""
from __future__ import annotations

from vntext.normalize import tokens

PAIR_JOINER = "_"


def syllable_pairs(folded: str) -> str:
    """"dân vận khéo" folded → "dan_van van_kheo": the tokens of the `pairs` column."""
    toks = tokens(folded)
    return " ".join(f"{a}{PAIR_JOINER}{b}" for a, b in zip(toks, toks[1:]))


def pair_token(bigram: str) -> str:
    """A query's word pair ("dan van") as the `pairs` token it matches ("dan_van")."""
    return PAIR_JOINER.join(bigram.split())
