"""Accents and capitals put back on a question typed without them, read off the collection's own text.

"pho bi thu tinh uy bac giang la ai" loses what the rules of assistant/understand/constraints.py read a question by:
capitals mark names, accents tell "tỉnh" from "tình". The collection knows both: each word of a pair of
question words that also occurs (accents folded) in its passages takes the form it
has there most often ("Phó Bí thư Tỉnh ủy Bắc Giang"). No dictionary, no name list:
only phrases the documents themselves write are restored, so a question reads as its accented twin.

A word the collection never writes next to its neighbours is left as typed — and where it stands in a
name's place (after an administrative word, an "X ủy" body or a form of address, as the accented
reader's rules say), it is capitalised: a name the collection does not hold is still a name the
question asks about, and must be met, not dropped.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Protocol

from assistant.understand.constraints import is_stop
from vntext import fold_accents, nfc, normalize_tone_placement, pair_token
from vntext.vocab import (ADDRESS_FORMS, NOT_A_NAME_START, PARTY_COMMITTEES, PLACE_UNITS, QUESTION_PHRASES,
                          QUESTION_WORDS)

# Passages read per phrase for its written forms. The top few by BM25 are where the phrase is rarest, so they favour
# a name ("Tân Thanh") over the common word ("tán thành"); 24 (was 6) reads enough to count both. Training batches:
# unaccented questions right 0.525 -> 0.55, nothing else moved.
RESTORE_PASSAGES = 24
NAME_MAX_WORDS = 4  # an unknown name after an administrative word: at most this many words
_WORD = re.compile(r"[\w'’]+")
SENTENCE_START_RE = re.compile(r"(?:^|[\n.!?:;]|(?:^|\s)[–-]\s)[\s\"“'‘(\[*•]*$")  # "- Về …" opens one, "NĐ-CP" not


class PhraseSource(Protocol):
    def term_document_counts(self, terms: list[str]) -> dict[str, int]: ...
    def lexical_search(self, match: str, column: str = "folded", limit: int = 50) -> list[tuple[str, float]]: ...
    def chunks_by_ids(self, ids): ...


def is_unaccented(text: str) -> bool:
    return fold_accents(text) == text and bool(re.search(r"[^\W\d_]", text))


def written_forms(folded_phrase: str, texts: list[str]) -> Counter:
    """How the passages write a folded phrase: each occurrence's own letters (accents and case)."""
    words = folded_phrase.split()
    pattern = re.compile(r"(?<![\w])" + r"\s+".join(re.escape(w) for w in words) + r"(?![\w])")
    forms: Counter = Counter()
    for text in texts:
        text, folded = _prepared(text)
        if len(folded) != len(text):  # folding changed the length: positions would not line up
            continue
        for m in pattern.finditer(folded):
            form = " ".join(text[m.start():m.end()].split())
            if form.isupper():  # a heading in capitals says nothing about case
                form = form.lower()
            elif SENTENCE_START_RE.search(text[:m.start()]):  # capitalised for its place only
                form = form[:1].lower() + form[1:]
            forms[form] += 1
    return forms


@lru_cache(maxsize=4096)
def _prepared(text: str) -> tuple[str, str]:
    """A passage as written (canonical tones) and folded: computed once, read for every phrase."""
    text = normalize_tone_placement(nfc(text))
    return text, fold_accents(text).lower()


def restore_question(question: str, source: PhraseSource) -> str:
    """The question with each word written as the collection writes it beside its neighbours.

    Every pair of adjacent question words the collection holds votes for both words' written forms
    (weighted by how often the passages write the pair that way); each word takes the form with the
    most votes. Pairs, not longer phrases, so that a word between two phrases ("… Tỉnh ủy | Hà Tĩnh …")
    is read in both contexts and a phrase boundary never strands it; where its two pairs disagree ("chi bộ |
    bổ nhiệm"), the three words together decide."""
    if not is_unaccented(question):
        return question
    spans = [m.span() for m in _WORD.finditer(question)]
    words = [question[s:e].lower() for s, e in spans]
    pairs = [pair_token(f"{a} {b}") for a, b in zip(words, words[1:])]
    known = source.term_document_counts(pairs) if pairs else {}
    # a word glued to another by - or / is part of a code ("06-nq/thu" is no "thủ đô"): left as typed
    glued = [question[max(0, s - 1):s] in ("-", "/") or question[e:e + 1] in ("-", "/") for s, e in spans]
    joined = [known.get(p, 0) > 0 and not re.search(r"\d", words[i] + words[i + 1])
              and not glued[i] and not glued[i + 1]
              and not question[spans[i][1]:spans[i + 1][0]].strip()  # "a, b": not one phrase
              for i, p in enumerate(pairs)]
    pair_forms = [_forms(f"{words[i]} {words[i + 1]}", source) if joined[i] else Counter()
                  for i in range(len(pairs))]
    left, right = _votes(words, pair_forms)
    trios: dict[int, Counter] = {}
    written = _choose(words, left, right, source, trios)
    # a pair votes for a word only in the form it gives the word's neighbour: "phần thiết" says nothing of
    # "thiet" once "phan" reads "Phan" (Thành ủy Phan …)
    left, right = _votes(words, pair_forms, written)
    written = _choose(words, left, right, source, trios)
    for i, phrase in _asking_phrases(words):  # "bao nhieu" is "bao nhiêu" whatever its neighbours vote ("có báo")
        for k, w in enumerate(phrase.split()):
            written[i + k] = w
    # a word read only off its pair with a function word ("thiet | là" → "thiệt là") is weak evidence where a
    # name stands: "Thành ủy Phan | thiet là ai" may name a place the collection lacks
    weak = {i for i in written if (not left[i] and i + 1 < len(words) and is_stop(written.get(i + 1, words[i + 1])))
            or (not right[i] and i > 0 and is_stop(written.get(i - 1, words[i - 1])))}
    return _rebuild(question, spans, words, written, weak)


# The multi-word asking phrases of the language's closed class ("bao nhiêu", "như thế nào", "tại sao"): written one
# way only, so read off the vocabulary, not off the passages' neighbours of each word.
_ASKING_PHRASES = {fold_accents(p): p for p in QUESTION_WORDS + QUESTION_PHRASES if " " in p}


def _asking_phrases(words: list[str]) -> list[tuple[int, str]]:
    out = []
    for i in range(len(words)):
        for folded, phrase in _ASKING_PHRASES.items():
            n = len(folded.split())
            if " ".join(words[i:i + n]) == folded:
                out.append((i, phrase))
    return out


def _votes(words: list[str], pair_forms: list[Counter], written: dict[int, str] | None = None):
    """Each word's votes from the pair it ends (left) and the pair it starts (right); with ``written``,
    only the forms that write the neighbour as chosen."""
    left: list[Counter] = [Counter() for _ in words]
    right: list[Counter] = [Counter() for _ in words]
    for i, forms in enumerate(pair_forms):
        for form, count in forms.items():
            first, second = form.split()
            if written is None or written.get(i + 1, second).lower() == second.lower():
                right[i][first] += count
            if written is None or written.get(i, first).lower() == first.lower():
                left[i + 1][second] += count
    return left, right


def _choose(words: list[str], left: list[Counter], right: list[Counter], source: PhraseSource,
            trios: dict[int, Counter]) -> dict[int, str]:
    written = {}
    for i in range(len(words)):
        votes = left[i] + right[i]
        if not votes:
            continue
        if left[i] and right[i] and _best(left[i]) != _best(right[i]):  # "chi bộ | bổ nhiệm": ask the three
            if i not in trios:
                trios[i] = _forms(" ".join(words[i - 1:i + 2]), source)
            trio = trios[i]
            votes = Counter({f.split()[1]: c for f, c in trio.items()}) or _content_side(i, words, left, right)
        written[i] = _best(votes)
    return written


def _content_side(i: int, words: list[str], left: list[Counter], right: list[Counter]) -> Counter:
    """Two pairs disagree and the three words are not written together: the pair with a content word
    says more than the pair with a function word ("Phan Thiết | thiệt là" → "Thiết")."""
    def stop(k: int) -> bool:  # judged by the form the collection gives the neighbour: "Thị" is no "thì"
        votes = left[k] + right[k]
        return is_stop(_best(votes) if votes else words[k])

    left_stop, right_stop = stop(i - 1), stop(i + 1)
    if right_stop and not left_stop:
        return left[i]
    if left_stop and not right_stop:
        return right[i]
    return left[i] + right[i]


def _best(votes: Counter) -> str:
    return max(votes.items(), key=lambda kv: (kv[1], kv[0] != kv[0].lower()))[0]


def _forms(phrase: str, source: PhraseSource) -> Counter:
    hits = source.lexical_search(f'"{phrase}"', "folded", RESTORE_PASSAGES)
    if not hits:
        return Counter()
    rows = source.chunks_by_ids([cid for cid, _ in hits])
    forms = written_forms(phrase, [rows[cid].text for cid, _ in hits if cid in rows])
    n = len(phrase.split())
    return Counter({f: c for f, c in forms.items() if fold_accents(f).lower() == phrase and len(f.split()) == n})


def _rebuild(question: str, spans, words: list[str], written: dict[int, str], weak: set[int] = frozenset()) -> str:
    capitalised = {i for i, w in written.items() if w[:1].isupper()}
    unknown_name_at = set(_unknown_name_words(words, {i: w.lower() for i, w in written.items()}, capitalised, weak))
    out, pos = [], 0
    for i, (s, e) in enumerate(spans):
        out.append(question[pos:s])
        word = question[s:e]
        if i in unknown_name_at:
            out.append(word[:1].upper() + word[1:])
        else:
            out.append(written.get(i) or word)
        pos = e
    out.append(question[pos:])
    return "".join(out)


# Words after which a name stands (grammar classes of vntext/vocab.py).
NAME_MARKERS = tuple(sorted(PLACE_UNITS + ADDRESS_FORMS + PARTY_COMMITTEES, key=lambda m: -len(m.split())))


def _unknown_name_words(words: list[str], written: dict[int, str], capitalised: set[int] = frozenset(),
                        weak: set[int] = frozenset()) -> list[int]:
    """Words left as typed that stand where a name goes: right after an administrative word, an
    "X ủy" body or a form of address (written so where restored: "tỉnh", not "tình"), up to a function
    word. A name's first word the collection writes capitalised keeps its form and the run goes on
    ("Tỉnh ủy Hà | giang": the rest of a name it does not hold); the word that a question word follows
    ("hôm nào") ends it."""
    out: list[int] = []
    i = 1
    while i < len(words):
        if (i in written and i not in capitalised) or not _after_marker(i, words, written):
            i += 1
            continue
        if words[i] in NOT_A_NAME_START:
            i += 1
            continue  # "thôn phải …", "xã không …", "xã dưới 5 thôn": a function word, not a name's first word
        j = i
        while j < len(words) and not is_stop(words[j]) and j - i < NAME_MAX_WORDS:
            if j + 1 < len(words) and words[j + 1] in QUESTION_TAILS:
                break  # "hôm nào", "cơ quan nào": the question's own phrase
            if j in written and j not in weak:
                if j not in capitalised:
                    break
            elif j in weak and j == i:
                break  # a name's first word needs better evidence than its pair with a function word
            elif j - i >= NAME_MIN_WORDS and all(k in written for k in range(i, j)):
                break  # "Huyện ủy Cẩm Xuyên | nham chuc": a whole name the collection holds, then other words
            else:
                out.append(j)
            j += 1
        i = max(j, i + 1)
    return out


NAME_MIN_WORDS = 2  # Vietnamese names of people and places have two syllables or more
QUESTION_TAILS = ("nao", "gi", "dau")  # "hôm nào", "việc gì", "ở đâu": the word before is no name


def _after_marker(i: int, words: list[str], written: dict[int, str]) -> bool:
    for marker in NAME_MARKERS:
        parts = marker.split()
        n = len(parts)
        if i < n or words[i - n:i] != fold_accents(marker).split():
            continue
        if all(written.get(k, p) == p for k, p in zip(range(i - n, i), parts)):
            return True
    return False
