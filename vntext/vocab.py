"""The Vietnamese word classes and patterns every stage reads (one copy each, table-tested in
tests/test_vntext_vocab.py): syllable shape, …"""
from __future__ import annotations

import re

SYLLABLE_RE = re.compile(r"[bcdghklmnpqrstvx]{0,3}[aeiouy]{1,3}(?:ch|ng|nh|c|m|n|p|t)?")


def could_be_syllable(folded_word: str) -> bool:
    """Whether a folded word could be a Vietnamese syllable ("thu" = thứ/thu/thư, "du" = dự) rather than
    only an abbreviation ("vhxh", "mttq", "ubnd"): onset consonants, a vowel nucleus, an allowed coda."""
    return SYLLABLE_RE.fullmatch(folded_word.lower()) is not None
