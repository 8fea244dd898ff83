"""Vietnamese text hygiene for ingestion and search: folding, tone placement, decoding bytes.

Tone convention: the "new style" (kiểu mới) of Quyết định 1989/QĐ-BGDĐT (2018), which the
government standards follow: the tone mark sits on the main vowel, so open "oa", "oe", "uy"
carry it on the second letter ("hoà", "khoẻ", "thuỷ"), never "hòa", "khỏe", "thủy". We pick
it because the state standard prescribes it and it follows from syllable structure alone
(the main vowel), so no word list is needed.

>>> clean("Hòa Bình, Thủy Nguyên")
('Hoà Bình, Thuỷ Nguyên', 2)
>>> fold("Hải Phòng")
'hai phong'
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from lienthong.core import vnlegacy
from lienthong.core.errors import ValidationFailed

# --- folding -----------------------------------------------------------------------------
_FOLD_TABLE = vnlegacy.FOLD_TABLE
_BEYOND_TABLE = re.compile(r"[^\x00-\u1fff]")
_fold_char = lru_cache(maxsize=1 << 12)(vnlegacy.fold_exact)


def fold(text: str) -> str:
    """Accent- and case-insensitive search key: strip diacritics, đ→d, casefold.

    Cost: ASCII text is one ``str.lower``; text within U+0000-U+1FFF one ``str.translate``
    (under 1 µs for a short name); other characters a cached lookup each.

    >>> fold("ĐƯỜNG Lê Lợi")
    'duong le loi'
    """
    if text.isascii():
        return text.lower()
    folded = text.translate(_FOLD_TABLE)
    if folded.isascii() or _BEYOND_TABLE.search(folded) is None:
        return folded
    return "".join(map(_fold_char, folded))


# --- syllables and tone placement --------------------------------------------------------
_TONES = vnlegacy.TONE_MARKS
_STOP_TONES = frozenset(("\u0301", "\u0323"))  # after -c -ch -p -t only sắc and nặng occur
_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]?)([aăâeêioôơuưy]+)(ch|ng|nh|[cmnpt]?)"
)
_DIACRITIC_VOWELS = frozenset("ăâêôơư")
_VOWELS = frozenset("aeiouy") | _DIACRITIC_VOWELS
_STOPS = frozenset(("c", "ch", "p", "t"))


def _tone_slots(nucleus: str, coda: str) -> tuple[int, int]:
    """(new-style, old-style) index of the vowel that carries the tone."""
    for i in range(len(nucleus) - 1, -1, -1):
        if nucleus[i] in _DIACRITIC_VOWELS:  # "ươ" → ơ, "iê" → ê, "ưa" → ư
            return i, i
    if len(nucleus) == 3:  # oai, oay, uya, uyu: the middle vowel
        return 1, 1
    if len(nucleus) == 2 and coda:  # hoàn, huýt, xoong
        return 1, 1
    if nucleus in ("oa", "oe", "uy"):  # the only place the two styles differ
        return 1, 0
    return 0, 0


@dataclass(frozen=True, slots=True)
class _Syllable:
    letters: tuple[str, ...]  # NFD clusters: base letter + non-tone marks
    tone: str  # "" when toneless
    tone_at: int
    new_slot: int
    old_slot: int
    rhyme: str


@lru_cache(maxsize=1 << 16)
def _parse(word: str) -> _Syllable | None:
    """Split a word into letters and its tone; None if it is not one Vietnamese syllable."""
    letters: list[str] = []
    tone, tone_at = "", -1
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONES:
            if tone or not letters:
                return None
            tone, tone_at = ch, len(letters) - 1
        elif unicodedata.combining(ch):
            if not letters:
                return None
            letters[-1] += ch
        else:
            letters.append(ch)
    bases = "".join(c[0] for c in letters)
    if not (bases.islower() or bases.isupper() or bases.istitle()):
        return None  # "chÊt" is what the wrong code page makes of "chất"
    bare = unicodedata.normalize("NFC", "".join(letters)).lower()
    match = _SYLLABLE.fullmatch(bare) if len(bare) == len(letters) else None
    if match is None:
        return None
    onset, nucleus, coda = match.groups()
    rhyme = nucleus + coda
    # "qu" and "gi" onsets swallow the glide: quý = qu + y, giếng = gi + (i)êng.
    if onset == "qu" and nucleus[0] in "uư":
        return None
    if not (
        rhyme in vnlegacy.RHYMES
        or (onset == "qu" and "u" + rhyme in vnlegacy.RHYMES)
        or (onset == "gi" and "i" + rhyme in vnlegacy.RHYMES)
    ):
        return None
    if tone and (bare[tone_at] not in _VOWELS or (coda in _STOPS and tone not in _STOP_TONES)):
        return None
    new, old = _tone_slots(nucleus, coda)
    return _Syllable(tuple(letters), tone, tone_at, len(onset) + new, len(onset) + old, rhyme)


@lru_cache(maxsize=1 << 16)
def _retone(word: str) -> str:
    syl = _parse(word)
    if syl is None or not syl.tone or syl.tone_at == syl.new_slot:
        return word
    # Tone goes after the letter's own marks: "ô" + acute composes to "ố", acute + "^" not.
    out = "".join(c + syl.tone if i == syl.new_slot else c for i, c in enumerate(syl.letters))
    return unicodedata.normalize("NFC", out)


_WORD_CHAR = r"[^\W\d_]|[\u0300-\u036f]"  # letters and the marks NFD splits off them
_WORD = re.compile(f"(?:{_WORD_CHAR})+")
_IS_WORD_CHAR = re.compile(_WORD_CHAR).match
# In NFC text every Vietnamese letter is one code point, so letters alone delimit syllables
# and the regex runs faster. A word followed by a loose mark is skipped: moving its tone
# could let that mark compose with the last letter.
_NFC_WORD = re.compile(r"[^\W\d_]++(?![\u0300-\u036f])")


def _rewrite(text: str, pattern: re.Pattern[str], fix: Callable[[str], str]) -> tuple[str, int]:
    # Most cells need no change: find that out without building a new string.
    changed = [w for w in pattern.findall(text) if not w.isascii() and fix(w) != w]
    if not changed:
        return text, 0
    return pattern.sub(lambda m: fix(m.group()), text), len(changed)


def normalise_tones_counted(text: str) -> tuple[str, int]:
    """Move tone marks to the new-style position; also return how many syllables changed.

    >>> normalise_tones_counted("Quý khách hòa hợp, khỏe mạnh")
    ('Quý khách hoà hợp, khoẻ mạnh', 2)
    """
    if text.isascii():
        return text, 0
    pattern = _NFC_WORD if unicodedata.is_normalized("NFC", text) else _WORD
    return _rewrite(text, pattern, _retone)


def normalise_tones(text: str) -> str:
    """Put tone marks where the new style does ("hòa" → "hoà"); non-Vietnamese words stay.

    >>> normalise_tones("THỦY, giá, quý, Boeing")
    'THUỶ, giá, quý, Boeing'
    """
    return normalise_tones_counted(text)[0]


def nfc(text: str) -> str:
    """Unicode NFC: one precomposed code point per Vietnamese letter.

    >>> nfc("Vie\\u0302\\u0323t") == "Việt"
    True
    """
    return unicodedata.normalize("NFC", text)


def _nfc_counted(text: str) -> tuple[str, int]:
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text, 0
    changed = sum(not unicodedata.is_normalized("NFC", w) for w in _WORD.findall(text))
    return unicodedata.normalize("NFC", text), changed


@lru_cache(maxsize=1 << 16)
def _clean_word(word: str) -> str:
    return _retone(unicodedata.normalize("NFC", word))


def clean(text: str) -> tuple[str, int]:
    """NFC plus tone normalisation for one cell; returns (text, syllables changed).

    Cost: ASCII cells one check; NFC cells (the usual) a regex pass, ~2 µs a short cell.

    >>> clean("Ủy ban nhân dân")
    ('Uỷ ban nhân dân', 1)
    """
    if text.isascii():
        return text, 0
    if unicodedata.is_normalized("NFC", text):
        return _rewrite(text, _NFC_WORD, _retone)
    out, count = _rewrite(text, _WORD, _clean_word)
    # Marks outside words (after digits, punctuation) still need composing.
    return unicodedata.normalize("NFC", out), count


# --- bytes to text -----------------------------------------------------------------------
SAMPLE_SIZE = 1 << 16
# Tie order: TCVN3 was the state standard (ABC) and VNI common in the south; Windows-1258
# saw little use, so it needs the sample to prefer it outright.
_LEGACY = ("tcvn3", "vni", "cp1258")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, the encoding used and what was changed on the way."""

    text: str
    encoding: str
    conversions: list[str] = field(default_factory=list)


def _canonical(name: str) -> str:
    canonical = vnlegacy.canonical_name(name)
    if canonical is None:
        msg = f"unknown text encoding {name!r}"
        raise ValidationFailed(msg, errors={"encoding": [msg]})
    return canonical


def _decode_error(exc: UnicodeDecodeError, end: int, encoding: str, how: str) -> ValidationFailed:
    # exc.object is always a suffix of the bytes fed so far (codec buffers, a stripped BOM),
    # so its start gives the absolute offset when `end` counts every byte fed.
    offset = end - len(exc.object) + exc.start
    msg = f"the file is not valid {encoding} at byte {offset:,} ({how} encoding {encoding})"
    return ValidationFailed(msg, errors={"encoding": [msg]})


def _finish(text: str, encoding: str, tones: bool) -> tuple[str, list[str]]:
    notes = []
    if encoding != "utf-8":
        notes.append(f"decoded from {vnlegacy.LABELS.get(encoding, encoding)}")
    if encoding == "tcvn3":
        text, caps = vnlegacy.restore_tcvn3_caps(text)
        if caps:
            notes.append(f"restored capitals in {_n(caps, 'all-capital word')}")
    text, changed = _nfc_counted(text)
    # VNI and Windows-1258 spell letters as base + marks: composing them is the decoding.
    if changed and encoding not in ("vni", "cp1258"):
        notes.append(f"normalised {_n(changed, 'syllable')} to NFC")
    if tones:
        text, moved = normalise_tones_counted(text)
        if moved:
            notes.append(f"moved tone marks in {_n(moved, 'syllable')}")
    return text, notes


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _vietnamese_score(text: str) -> int:
    """About four points per valid syllable, minus four per invalid one (non-ASCII tokens)."""
    score = 0
    for token in re.findall(r"[^\s!-/:-@\[-`{-~]+", unicodedata.normalize("NFC", text)):
        if not token.isascii():
            syl = _parse(token)
            if syl is None and token.isalpha() and token.isupper():
                continue  # an abbreviation such as "NĐ" in "47/2020/NĐ-CP"
            if syl is None or (syl.tone and syl.tone_at not in (syl.new_slot, syl.old_slot)):
                score -= 4
            else:
                rare = (syl.rhyme in vnlegacy.RARE_RHYMES) + bool(syl.tone) + (syl.tone == "\u0303")
                score += 4 - rare
    return score


def _detect(data: bytes, final: bool) -> str:
    for bom, name in vnlegacy.BOMS:
        if data.startswith(bom):
            return name
    pairs = len(data) // 2
    if pairs:
        even, odd = data[0 : 2 * pairs : 2].count(0), data[1 : 2 * pairs : 2].count(0)
        for nuls, other, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
            if nuls >= pairs / 4 and other <= pairs / 50:
                try:
                    codecs.getincrementaldecoder(name)().decode(data, final)
                    return name
                except UnicodeDecodeError:
                    pass
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # Score where the non-ASCII bytes are: a long ASCII header tells nothing.
    first_high = _HIGH_BYTE.search(data)
    sample = data[max(0, first_high.start() - 256) if first_high else 0 :][:SAMPLE_SIZE]
    best, best_score = "", 0
    for name in _LEGACY:
        try:
            text = vnlegacy.StreamDecoder(name).decode(sample, True)
            if name == "tcvn3":  # its capitals come back as lower case: "QUảNG"
                text = vnlegacy.restore_tcvn3_caps(text)[0]
            score = _vietnamese_score(text)
        except UnicodeDecodeError:
            continue
        if score > best_score:
            best, best_score = name, score
    if best:
        return best
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def detect_encoding(sample: bytes, *, complete: bool = False) -> str:
    """Guess the encoding of a file from its first bytes (~64 KiB is plenty).

    Order: byte-order mark, UTF-16 by NUL pattern, valid UTF-8, then the legacy encoding
    whose decoding reads most like Vietnamese syllables. A sample may end mid-character
    unless ``complete`` says it is the whole file.

    >>> detect_encoding("Hải Phòng".encode())
    'utf-8'
    >>> detect_encoding(b"H\\xb6i Ph\\xdfng")
    'tcvn3'
    """
    return _detect(sample[:SAMPLE_SIZE], final=complete and len(sample) <= SAMPLE_SIZE)


def decode(data: bytes, declared: str | None = None, *, tones: bool = True) -> Decoded:
    """Decode a whole file to clean NFC text, detecting the encoding unless declared.

    Raises ValidationFailed naming the byte offset if the bytes are invalid in the declared
    (or detected) encoding.

    >>> d = decode(b"U\\xdby ban nha\\xe2n da\\xe2n")
    >>> d.text, d.encoding, d.conversions
    ('Uỷ ban nhân dân', 'vni', ['decoded from VNI (VNI-Windows)', 'moved tone marks in 1 syllable'])
    """
    if declared is not None:
        name, how = _canonical(declared), "declared"
    else:
        name, how = _detect(data, final=True), "detected"
    try:
        raw = _stream_decoder(name).decode(data, True)
    except UnicodeDecodeError as exc:
        raise _decode_error(exc, len(data), name, how) from None
    encoding = "utf-8-sig" if name == "utf-8" and data.startswith(codecs.BOM_UTF8) else name
    text, notes = _finish(raw, encoding, tones)
    if how == "detected" and encoding in ("cp1252", "latin-1"):
        notes.append("no Vietnamese legacy encoding recognised")
    return Decoded(text, encoding, notes)


def _stream_decoder(name: str) -> vnlegacy.StreamDecoder:
    # A UTF-8 byte-order mark is dropped, not decoded as U+FEFF, whatever was declared.
    return vnlegacy.StreamDecoder("utf-8-sig" if name == "utf-8" else name)


def _hold_back(text: str) -> int:
    """Where to cut so the tail (the last, maybe unfinished word) waits for more input."""
    i = len(text)
    while i > 0 and _IS_WORD_CHAR(text[i - 1]) and len(text) - i < SAMPLE_SIZE:
        i -= 1
    # Never cut just before a mark: it may compose with what precedes it.
    while i > 0 and (i == len(text) or unicodedata.combining(text[i])):
        i -= 1
    return i


def iter_decode(chunks: Iterable[bytes], encoding: str, *, tones: bool = True) -> Iterator[str]:
    """Decode a stream chunk by chunk; the pieces join to ``decode(all, encoding).text``.

    Characters and words split across chunks (UTF-8 sequences, VNI base + mark) are held
    back until complete, so memory stays at one chunk plus one word.

    >>> "".join(iter_decode([b"nha", b"\\xe2n da", b"\\xe2n"], "vni"))
    'nhân dân'
    """
    name = _canonical(encoding)
    decoder = _stream_decoder(name)
    pending, fed = "", 0
    for chunk in chunks:
        fed += len(chunk)
        try:
            text = pending + decoder.decode(chunk, False)
        except UnicodeDecodeError as exc:
            raise _decode_error(exc, fed, name, "declared") from None
        cut = _hold_back(text)
        pending = text[cut:]
        if cut:
            yield _finish(text[:cut], name, tones)[0]
    try:
        text = pending + decoder.decode(b"", True)
    except UnicodeDecodeError as exc:
        raise _decode_error(exc, fed, name, "declared") from None
    if text:
        yield _finish(text, name, tones)[0]
