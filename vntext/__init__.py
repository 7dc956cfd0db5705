"""Pure Vietnamese text functions, the bottom layer: imports nothing from the project.

normalize (NFC, tone placement, folding, search forms, tokens), lines (line keys, cross-references),
pairs (syllable-pair tokens), sentences (sentence spans), shingles (Jaccard, MinHash; needs numpy,
so import it as vntext.shingles), doctypes (the one document-type vocabulary), vocab (the word classes and
patterns every stage reads), defined (the abbreviations a document defines for itself).
"""
from vntext.defined import defined_abbreviations
from vntext.lines import drop_keys, line_key, strip_cross_references
from vntext.normalize import (fold_accents, folded_form, has_diacritics, nfc, normalize_artefacts,
                              normalize_tone_placement, search_form, tokens)
from vntext.pairs import pair_token, syllable_pairs
from vntext.sentences import split_sentences

__all__ = ["defined_abbreviations", "drop_keys", "fold_accents", "folded_form", "has_diacritics", "line_key", "nfc", "normalize_artefacts",
           "normalize_tone_placement", "pair_token", "search_form", "split_sentences", "strip_cross_references",
           "syllable_pairs", "tokens"]
