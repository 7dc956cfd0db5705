"""TEMPORARY shim: the text functions moved to vntext/. Remove once no module imports ingest.text."""
from vntext.lines import line_key, strip_cross_references
from vntext.normalize import (fold_accents, folded_form, has_diacritics, nfc, normalize_artefacts,
                              normalize_tone_placement, search_form, tokens)

__all__ = ["fold_accents", "folded_form", "has_diacritics", "line_key", "nfc", "normalize_artefacts",
           "normalize_tone_placement", "search_form", "strip_cross_references", "tokens"]
