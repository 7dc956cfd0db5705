"""Pure Vietnamese text functions, the bottom layer: imports nothing from the project.

normalize (NFC, tone placement, folding, search forms, tokens), lines (line keys, cross-references),
pairs (syllable-pair tokens), sentences (sentence spans), shingles (Jaccard, MinHash),
doctypes (the one document-type vocabulary).
"""
