"""Bytes → Unicode (NFC) text for Vietnamese office files.

Vietnamese offices still hold files in three legacy 8-bit encodings besides UTF-8/UTF-16:
TCVN3 (ABC, fonts ``.VnTime``), VNI-Windows (fonts ``VNI-Times``; a vowel followed by a mark byte)
and Windows-1258 (combining tone marks). The bytes alone do not say which one was used, so every
candidate decoding is scored for "looks like Vietnamese" (share of well-formed Vietnamese syllables,
foreign symbols) and a file is refused rather than returned as mojibake when no candidate is clearly
right. Text that is already Unicode but still carries legacy glyph codes (a ``.VnTime`` DOCX, a PDF
made from one, UTF-8 read as cp1252 and saved again) is repaired by :func:`repair_mojibake`.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from ingest.types import SkipFile

# Tone marks in the order the legacy tables list them: huyền, hỏi, ngã, sắc, nặng.
GRAVE, HOOK, TILDE, ACUTE, DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_TONE_ORDER_TCVN = (GRAVE, HOOK, TILDE, ACUTE, DOT)
_TONE_ORDER_VNI = (ACUTE, GRAVE, HOOK, TILDE, DOT)
_TONES = frozenset(_TONE_ORDER_TCVN)

_BASE_VOWELS = "aăâeêioôơuưy"


def _toned(base: str, mark: str) -> str:
    """One precomposed letter: ``base`` with tone ``mark`` (e.g. ``ê`` + acute → ``ế``)."""
    return unicodedata.normalize("NFC", base + mark)


# Every Vietnamese letter outside ASCII, upper and lower case (134 precomposed + đ/Đ).
VIETNAMESE_LETTERS = frozenset(
    ch
    for base in _BASE_VOWELS + "đ"
    for mark in ("",) + _TONE_ORDER_TCVN
    if base != "đ" or mark == ""
    for ch in (_toned(base, mark), _toned(base, mark).upper())
    if not ch.isascii()
)

# ---------------------------------------------------------------------------------------------
# TCVN3 (TCVN 5712:1993). The ABC fonts (.VnTime) use the VN3 level: lower-case toned vowels plus
# upper-case Ă Â Ê Ô Ơ Ư Đ; upper-case toned letters live in the separate ".VnTimeH" fonts, which
# reuse the lower-case codes, so they cannot be told apart from the bytes. The positions VN3 leaves
# free in 0xA0-0xFF carry VN1's upper-case letters and combining marks (harmless for VN3 files).
# 0x80-0x9F keep the Windows punctuation (smart quotes) that Word writes into .VnTime text.
# Columns: no tone, huyền, hỏi, ngã, sắc, nặng.
_TCVN3_ROWS: dict[str, tuple[int, ...]] = {
    "a": (0x61, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0x65, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0x69, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0x6F, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0x75, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0x79, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TCVN3_SINGLE: dict[int, str] = {
    0xA0: "\u00a0", 0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xAE: "đ",
    # VN1 upper-case toned letters in positions VN3 leaves free.
    0xAF: "Ằ", 0xBA: "Ẳ", 0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ",
    0xC5: "Ề", 0xCD: "Ể", 0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ", 0xE0: "Ổ", 0xF0: "Ỗ", 0xFF: "Ố",
    # VN1 combining tone marks (composed by NFC afterwards).
    0xB0: GRAVE, 0xB1: HOOK, 0xB2: TILDE, 0xB3: ACUTE, 0xB4: DOT,
}


def _cp1252_char(byte: int) -> str:
    """The Windows-1252 character of one byte (U+FFFD where cp1252 leaves it undefined)."""
    return bytes([byte]).decode("cp1252", errors="replace")


def _build_tcvn3() -> str:
    """256-entry decoding table for TCVN3, built from the rows above."""
    table = [chr(b) if b < 0x80 else _cp1252_char(b) for b in range(256)]  # 0xA0-0xFF: all set below
    for base, codes in _TCVN3_ROWS.items():
        for code, mark in zip(codes, ("",) + _TONE_ORDER_TCVN):
            if code >= 0x80:
                table[code] = _toned(base, mark)
    for code, ch in _TCVN3_SINGLE.items():
        table[code] = ch
    return "".join(table)


_TCVN3_TABLE = _build_tcvn3()
_UPPER_WORD_RE = re.compile(r"[^\W\d_]+")


def _uppercase_vntimeh_words(text: str) -> str:
    """Upper-case toned letters inside ALL-CAPS words ("VIệT" → "VIỆT").

    Headings typed in ``.VnTimeH`` store upper-case toned letters with the lower-case codes.
    """
    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        ascii_letters = [c for c in word if c.isascii()]
        if sum(c.isupper() for c in ascii_letters) >= 2 and not any(c.islower() for c in ascii_letters):
            return word.upper()
        return word
    return _UPPER_WORD_RE.sub(fix, text)


def decode_tcvn3(data: bytes) -> str:
    """Decode TCVN3 (ABC / .VnTime) bytes to NFC Unicode."""
    text = data.decode("latin-1").translate({i: _TCVN3_TABLE[i] for i in range(0x80, 0x100)})
    return unicodedata.normalize("NFC", _uppercase_vntimeh_words(text))


# ---------------------------------------------------------------------------------------------
# VNI-Windows: an ASCII vowel (or ơ/ư, themselves single bytes) followed by one mark byte.
# Byte values below are the lower-case forms; the upper-case form of each is 0x20 lower
# (ù 0xF9 / Ù 0xD9, exactly as in Latin-1). Columns: sắc, huyền, hỏi, ngã, nặng.
_VNI_TONE = (0xF9, 0xF8, 0xFB, 0xF5, 0xEF)          # ù ø û õ ï
_VNI_CIRCUMFLEX = 0xE2                              # â   (a/e/o + â → â ê ô)
_VNI_CIRCUMFLEX_TONE = (0xE1, 0xE0, 0xE5, 0xE3, 0xE4)  # á à å ã ä
_VNI_BREVE = 0xEA                                   # ê   (a + ê → ă)
_VNI_BREVE_TONE = (0xE9, 0xE8, 0xFA, 0xFC, 0xEB)    # é è ú ü ë
_VNI_I = (0xED, 0xEC, 0xE6, 0xF3, 0xF2)             # í ì æ ó ò  → í ì ỉ ĩ ị (single bytes)
_VNI_HORN = {0xF4: "ơ", 0xF6: "ư"}                  # ô ö
_VNI_D = 0xF1                                       # ñ → đ
_VNI_Y_DOT = 0xEE                                   # î → ỵ (single byte)


def _build_vni() -> dict[str, str]:
    """Map VNI byte sequences (as Latin-1 strings) to Unicode letters, both cases."""
    pairs: dict[str, str] = {}

    def add(seq: tuple[int, ...], out: str) -> None:
        # Lower-case entry, upper-case entry, and mixed-case marks (seen in title-cased words).
        low = "".join(chr(b) for b in seq)
        up = "".join(chr(b - 0x20) if b >= 0xE0 else chr(b).upper() for b in seq)
        pairs.setdefault(low, out)
        pairs.setdefault(up, out.upper())
        if len(seq) == 2:
            pairs.setdefault(up[0] + low[1], out.upper())
            pairs.setdefault(low[0] + up[1], out)

    for base in "aeouy":
        for b, mark in zip(_VNI_TONE, _TONE_ORDER_VNI):
            add((ord(base), b), _toned(base, mark))
    for base in "aeo":
        add((ord(base), _VNI_CIRCUMFLEX), _toned(base, "\u0302"))
        for b, mark in zip(_VNI_CIRCUMFLEX_TONE, _TONE_ORDER_VNI):
            add((ord(base), b), _toned(base + "\u0302", mark))
    add((ord("a"), _VNI_BREVE), "ă")
    for b, mark in zip(_VNI_BREVE_TONE, _TONE_ORDER_VNI):
        add((ord("a"), b), _toned("ă", mark))
    for code, base in _VNI_HORN.items():
        add((code,), base)
        for b, mark in zip(_VNI_TONE, _TONE_ORDER_VNI):
            add((code, b), _toned(base, mark))
    for b, mark in zip(_VNI_I, _TONE_ORDER_VNI):
        add((b,), _toned("i", mark))
    add((_VNI_D,), "đ")
    add((_VNI_Y_DOT,), "ỵ")
    return pairs


_VNI_MAP = _build_vni()
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(_VNI_MAP, key=len, reverse=True)))
_C1_TO_CP1252 = {i: _cp1252_char(i) for i in range(0x80, 0xA0)}


def decode_vni(data: bytes) -> str:
    """Decode VNI-Windows bytes to NFC Unicode."""
    text = data.decode("latin-1")
    text = _VNI_RE.sub(lambda m: _VNI_MAP[m.group(0)], text).translate(_C1_TO_CP1252)
    return unicodedata.normalize("NFC", text)


def decode_cp1258(data: bytes) -> str:
    """Decode Windows-1258 bytes (base letter + combining tone mark) to NFC Unicode."""
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))


def _decode_utf8_lenient(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("utf-8", errors="replace"))


_LEGACY_DECODERS = {"tcvn3": decode_tcvn3, "vni": decode_vni, "cp1258": decode_cp1258}

# ---------------------------------------------------------------------------------------------
# "Looks like Vietnamese" scoring.

_ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]"
_RHYMES = """
a ai ao au ay ac ach am an ang anh ap at ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
e eo ec em en eng ep et ê êu êch êm ên ênh êp êt
i ia iu ich im in inh ip it iêc iêm iên iêng iêp iêt iêu
o oa oai oao oay oac oach oam oan oang oanh oap oat oăc oăm oăn oăng oăt
oe oeo oen oet oi oc om on ong oong ooc op ot
ô ôi ôc ôm ôn ông ôp ôt ơ ơi ơc ơm ơn ơp ơt
u ua uân uâng uât uây ui uy uya uych uyên uyêt uynh uyt uyu uê uêch uênh uơ
uôc uôi uôm uôn uông uôt uc um un ung up ut
ư ưa ưi ưu ưc ưng ưm ưn ưt ươc ươi ươm ươn ương ươp ươt ươu
y yêm yên yêng yêt yêu
""".split()
_SYLLABLE_RE = re.compile(
    "^(?:%s)?(?:%s)$" % (_ONSETS, "|".join(sorted(_RHYMES, key=len, reverse=True))))
_STOP_FINALS = ("c", "ch", "p", "t")

# Frequent words of administrative Vietnamese (with diacritics only: they tell encodings apart).
COMMON_WORDS = frozenset("""
của và các người được là có trong những cho với không này đã để một năm theo tại về công tác
dân vận đảng xã hội nhân việc thực hiện đồng chí tỉnh huyện cơ sở chế ủy ủy ban nước nhà đến
từ hoặc phải đối định điều việt mặt trận tổ quốc chính quyền hoạt động thôn cấp trên địa phương
""".split())

# Non-ASCII characters that are ordinary in Vietnamese office text besides letters.
_OK_SYMBOLS = frozenset("\u00a0“”‘’–—…•«»°×\u200b\ufeff")
_TOKEN_RE = re.compile(r"[^\W\d_]+")


def is_vietnamese_syllable(word: str) -> bool:
    """True when ``word`` is a well-formed Vietnamese syllable (onset + rhyme + at most one tone).

    Stop-final syllables (-c, -ch, -p, -t) only take sắc or nặng, which rules out much mojibake.
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    if not _SYLLABLE_RE.match(base):
        return False
    if base.endswith(_STOP_FINALS) and tones and tones[0] not in (ACUTE, DOT):
        return False
    if base.endswith(_STOP_FINALS) and not tones:
        return False
    return True


@dataclass(frozen=True)
class Score:
    """How Vietnamese a decoded text looks; ``quality`` in [0, 1]."""
    marked: int  # words with non-ASCII letters
    valid: int  # of those, well-formed Vietnamese syllables
    foreign: int  # non-ASCII characters that are neither Vietnamese letters nor usual symbols
    non_ascii: int
    common: int  # marked words among COMMON_WORDS

    @property
    def quality(self) -> float:
        if not self.marked:
            return 0.0
        return (self.valid / self.marked) * (1.0 - self.foreign / max(1, self.non_ascii))

    @property
    def confident(self) -> bool:
        """Enough well-formed marked words, and a common word when the evidence is thin."""
        if self.marked < 2 or self.quality < 0.8:
            return False
        return self.marked >= 8 or self.common >= 1


def vietnamese_score(text: str) -> Score:
    """Score ``text`` (NFC) for looking like Vietnamese; used to choose between decodings."""
    marked = valid = common = 0
    for token in _TOKEN_RE.findall(text):
        if token.isascii():
            continue
        marked += 1
        if is_vietnamese_syllable(token):
            valid += 1
            if token.lower() in COMMON_WORDS:
                common += 1
    non_ascii = foreign = 0
    for ch in text:
        if ch.isascii():
            continue
        non_ascii += 1
        if ch not in VIETNAMESE_LETTERS and ch not in _OK_SYMBOLS:
            foreign += 1
    return Score(marked, valid, foreign, non_ascii, common)


def _choose(candidates: dict[str, str]) -> tuple[str | None, str, dict[str, Score]]:
    """Pick the one confident candidate; ``None`` when none is confident or two are close."""
    scores = {label: vietnamese_score(text) for label, text in candidates.items()}
    ranked = sorted(scores, key=lambda k: (scores[k].quality, scores[k].valid), reverse=True)
    best = ranked[0]
    if not scores[best].confident:
        return None, "", scores
    for other in ranked[1:]:
        close = scores[other].confident and scores[other].quality >= scores[best].quality - 0.1
        if close and candidates[other] != candidates[best]:
            return None, "", scores
    return best, candidates[best], scores


def _describe(scores: dict[str, Score]) -> str:
    return ", ".join(f"{k}={s.quality:.2f}" for k, s in scores.items())


# ---------------------------------------------------------------------------------------------
# Repairing Unicode text that still carries legacy codes.

def _to_cp1252_bytes(text: str) -> bytes | None:
    """Bytes a Windows program would have written for ``text`` (cp1252, C1 controls as Latin-1)."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) < 0x100:
                out.append(ord(ch))
            else:
                return None
    return bytes(out)


_SAMPLE_LIMIT = 400_000  # characters scored when choosing; enough evidence, bounded time


def repair_mojibake(text: str) -> tuple[str, str | None]:
    """Repair lines that are legacy glyph codes or double-encoded UTF-8 shown as Latin-1.

    Returns (text, label) where label is "utf-8-double", "tcvn3", "vni" or "cp1258" when a repair
    was made, else None. Only lines made of Latin-1/cp1252 characters are candidates, and the
    repair is kept only where the whole set of such lines decodes confidently as Vietnamese.
    """
    if text.isascii():
        return text, None
    lines = text.split("\n")
    suspects: dict[int, bytes] = {}
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        raw = _to_cp1252_bytes(line)
        if raw is None:
            continue
        s = vietnamese_score(line)
        if s.marked and s.valid == s.marked and not s.foreign:
            continue  # already good Vietnamese (e.g. "Dân vận" typed in Unicode)
        suspects[i] = raw
    if not suspects:
        return text, None
    blob = b"\n".join(suspects.values())[:_SAMPLE_LIMIT]
    decoders = dict(_LEGACY_DECODERS, **{"utf-8-double": _decode_utf8_lenient})
    candidates = {"original": unicodedata.normalize("NFC", blob.decode("cp1252", errors="replace"))}
    candidates.update({label: fn(blob) for label, fn in decoders.items()})
    label, _, _ = _choose(candidates)
    if label is None or label == "original":
        return text, None
    fn = decoders[label]
    changed = False
    for i, raw in suspects.items():
        fixed = unicodedata.normalize("NFC", fn(raw))
        before, after = vietnamese_score(lines[i]), vietnamese_score(fixed)
        if fixed != lines[i] and (after.quality, after.valid) > (before.quality, before.valid):
            lines[i] = fixed
            changed = True
    return ("\n".join(lines), label) if changed else (text, None)


# ---------------------------------------------------------------------------------------------
# Final normalisation and the byte-level entry point.

_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")


def normalize_text(text: str) -> str:
    """NFC; \\r\\n, \\r, \\v (Word line break) and \\f (page break) → \\n; other controls dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\x0b", "\n").replace("\x0c", "\n")
    text = _CONTROL_RE.sub("", text)
    return unicodedata.normalize("NFC", text)


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
EMPTY = "tệp rỗng (empty file)"
BINARY = "tệp nhị phân (binary file)"


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when NUL bytes sit on one parity only (ASCII-range text in UTF-16)."""
    if len(data) < 4:
        return None
    even, odd = data[0::2], data[1::2]
    z_even, z_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if z_odd >= 0.25 and z_even <= 0.02:
        return "utf-16-le"
    if z_even >= 0.25 and z_odd <= 0.02:
        return "utf-16-be"
    return None


def _looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than 5 % control bytes other than tab/newlines/form feed/Ctrl-Z."""
    if b"\x00" in data:
        return True
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 0x20 and b not in (9, 10, 11, 12, 13, 26, 27))
    return controls > 0.05 * len(sample)


# A UTF-8 lead byte (Â Ã Ä Å Æ á as cp1252) followed by a continuation byte shown as cp1252.
_DOUBLE_PAIR_RE = re.compile("[ÂÃÄÅÆá][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                             "\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122\ufffd]")


def looks_double_encoded(text: str) -> bool:
    """True when much of the non-ASCII text is UTF-8 byte pairs shown as cp1252 ("CÃ¡c")."""
    pairs = len(_DOUBLE_PAIR_RE.findall(text))
    non_ascii = sum(1 for ch in text if not ch.isascii())
    return pairs >= 3 and 2 * pairs >= 0.3 * non_ascii


def _finish(text: str, label: str, repair: bool = True) -> tuple[str, str]:
    """Normalise, repair legacy codes left inside Unicode text, refuse if nothing is left."""
    if repair:  # before normalising: C1 controls in double-encoded text are bytes to restore
        text, repaired = repair_mojibake(text.replace("\r\n", "\n").replace("\r", "\n"))
        if repaired == "utf-8-double":
            label = repaired
        elif repaired:
            label = f"{label}+{repaired}"
        if looks_double_encoded(text):
            raise SkipFile("không nhận diện được bảng mã (cannot decode confidently: "
                           "double-encoded UTF-8 that cannot be repaired)")
    text = normalize_text(text)
    if not text.strip():
        raise SkipFile(EMPTY)
    return text, label


def _decode_strict(data: bytes) -> str | None:
    """Valid UTF-8, allowing only an incomplete last character (a truncated copy or download)."""
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return None


def _decode_utf16(data: bytes, codec: str) -> str | None:
    if len(data) % 2:
        data = data[:-1]
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    bad = sum(1 for ch in text if ord(ch) < 0x20 and ch not in "\t\n\r\x0b\x0c")
    return None if bad > 0.05 * max(1, len(text)) else text


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes to NFC text; returns (text, encoding label).

    Labels: "utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-8-double" (double-encoded UTF-8
    repaired), "tcvn3", "vni", "cp1258", "cp1252" (ASCII text with Windows punctuation only), and
    "<label>+tcvn3" etc. when Unicode text carried legacy codes. Raises SkipFile when the file is
    empty, binary, or no decoding is confidently Vietnamese.
    """
    if not data.strip():
        raise SkipFile(EMPTY)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            text = _decode_utf16(body, codec) if codec.startswith("utf-16") else _decode_strict(body)
            if text is not None:
                return _finish(text, codec)
            break
    codec16 = _utf16_without_bom(data)
    if codec16:
        text = _decode_utf16(data, codec16)
        if text is not None:
            return _finish(text, codec16)
    if _looks_binary(data):
        raise SkipFile(BINARY)
    text = _decode_strict(data)
    if text is not None:
        return _finish(text, "utf-8")
    if max(data) <= 0xA0:
        # Only Windows punctuation (smart quotes, dashes) outside ASCII: identical in every
        # Windows code page, so nothing to guess.
        return _finish(data.decode("cp1252", errors="replace"), "cp1252")
    sample = data[:_SAMPLE_LIMIT]
    label, _, scores = _choose({k: fn(sample) for k, fn in _LEGACY_DECODERS.items()})
    if label is None:
        raise SkipFile(f"không nhận diện được bảng mã (cannot decode confidently: {_describe(scores)})")
    return _finish(_LEGACY_DECODERS[label](data), label, repair=False)
