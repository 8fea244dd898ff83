"""Tables behind :mod:`lienthong.core.vntext`: legacy byte mappings, codec names, rhymes.

Covers the pre-Unicode encodings TCVN3 (ABC) and VNI-Windows, a stream decoder for every
supported encoding, and the inventory of Vietnamese rhymes. Callers use ``vntext.decode`` /
``vntext.iter_decode``; only tests and exports to legacy systems need :func:`encode` here.

>>> decode_tcvn3(b"H\\xb6i Ph\\xdfng")
'Hải Phòng'
>>> decode_vni("Coäng hoaø".encode("cp1252"))
'Cộng hoà'
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable

_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"
TONE_MARKS = frozenset((_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT))


def _cp1252_char(byte: int) -> str:
    # U+FFFE marks a byte as undefined, which makes charmap_decode reject it (strict).
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return "\ufffe"


# --- accent folding ----------------------------------------------------------------------
# A character not composed from a base and marks, yet read as "d" by every Vietnamese user;
# U+00D0/U+00F0 (eth) stand in for Đ/đ in much legacy data because they look identical.
_NOT_DECOMPOSED = {"đ": "d", "Đ": "D", "Ð": "D", "ð": "d"}


def fold_exact(text: str) -> str:
    """``vntext.fold`` by definition: NFD, drop marks, đ→d, casefold (slow; builds tables).

    >>> fold_exact("Đà Nẵng")
    'da nang'
    """
    # Repeated to a fixed point: casefold can expose marks that a second NFD then strips
    # (two rounds for every character seen), which is what makes fold idempotent.
    for _ in range(4):
        nfd = unicodedata.normalize("NFD", text)
        bare = "".join(_NOT_DECOMPOSED.get(c, c) for c in nfd if not unicodedata.combining(c))
        folded = bare.casefold()
        if folded == text:
            break
        text = folded
    return text


# Every step of folding works per character (the only cross-character step of NFD,
# reordering marks, is moot once marks are dropped), so fold(text) is a per-character map.
# A list indexed by code point makes that one str.translate in C for U+0000-U+1FFF (Latin,
# Greek, Cyrillic, Vietnamese): 8,192 entries, ~10 ms at import. Beyond that block, a
# cached per-character fold (in vntext).
FOLD_TABLE = [fold_exact(chr(cp)) for cp in range(0x2000)]


# --- TCVN3 -------------------------------------------------------------------------------
# TCVN 5712:1993 VN3, the ".Vn" font layout typed with ABC/Vietkey. 0xA1-0xFF follow the
# standard (VN1's capitals fill the slots VN3 leaves empty, and 0xB0-0xB4 are its combining
# tones). 0x80-0x9F stay Windows-1252: ABC-era Word/Excel exports keep smart quotes and
# dashes there, which is far commoner than VN1's capitals in that block.
_TCVN3_HIGH = (
    "ĂÂÊÔƠƯĐăâêôơưđẰ"
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"
    "éẹềểễếệìỉỄẾỒĩíịò"
    "ỔỏõóọồổỗốộờởỡớợùỖ"
    "ủũúụừửữứựỳỷỹýỵỐ"
)
TCVN3_TABLE = (
    "".join(chr(b) for b in range(0x80))
    + "".join(_cp1252_char(b) for b in range(0x80, 0xA0))
    + "\xa0"
    + _TCVN3_HIGH
)
assert len(TCVN3_TABLE) == 256  # a miscounted row would shift every letter

# Lowercase letters TCVN3 writes with no capital form: a capital was drawn by the ".VnTimeH"
# font from the same byte, so from bytes alone "Hà" and "HÀ" look the same.
_TCVN3_CASELESS = frozenset(
    ch
    for ch in _TCVN3_HIGH
    if ch.islower() and TONE_MARKS.intersection(unicodedata.normalize("NFD", ch))
)
_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")


def decode_tcvn3(data: bytes) -> str:
    """Decode TCVN3 bytes (strict: bytes undefined in the 0x80-0x9F block raise).

    >>> decode_tcvn3(b"\\xa7\\xabng")
    'Đông'
    """
    return codecs.charmap_decode(data, "strict", TCVN3_TABLE)[0]


def _upper_if_all_caps(match: re.Match[str]) -> str:
    word = match.group()
    if not _TCVN3_CASELESS.intersection(word):
        return word
    # Letters after the first that carry their own case decide; a lone capital initial is
    # title case ("Hà"), not a heading, so it is left alone.
    rest = [ch for ch in word[1:] if ch.isalpha() and ch not in _TCVN3_CASELESS]
    initial_ok = word[0] in _TCVN3_CASELESS or not word[0].islower()
    if rest and initial_ok and all(ch.isupper() for ch in rest):
        return word.upper()
    return word


def restore_tcvn3_caps(text: str) -> tuple[str, int]:
    """Upper-case words that are evidently all capitals ("H¶I" → "HẢI"); returns the count.

    >>> restore_tcvn3_caps("HảI PHòNG, Hà Nội")
    ('HẢI PHÒNG, Hà Nội', 2)
    """
    count = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal count
        new = _upper_if_all_caps(match)
        count += new != match.group()
        return new

    return _WORD.sub(fix, text), count


# --- VNI-Windows -------------------------------------------------------------------------
# VNI writes a toned vowel as an ASCII base plus one or two "mark" bytes that are Latin-1
# letters in any other font. Capitals use the capital form of the same mark byte; decoding
# accepts either case because the base letter alone carries the case.
_VNI_MARKS = {
    "ù": _ACUTE,
    "ø": _GRAVE,
    "û": _HOOK,
    "õ": _TILDE,
    "ï": _DOT,
    "â": _CIRCUMFLEX,
    "á": _CIRCUMFLEX + _ACUTE,
    "à": _CIRCUMFLEX + _GRAVE,
    "å": _CIRCUMFLEX + _HOOK,
    "ã": _CIRCUMFLEX + _TILDE,
    "ä": _CIRCUMFLEX + _DOT,
    "ê": _BREVE,
    "é": _BREVE + _ACUTE,
    "è": _BREVE + _GRAVE,
    "ú": _BREVE + _HOOK,
    "ü": _BREVE + _TILDE,
    "ë": _BREVE + _DOT,
}
# Letters VNI stores as one byte (the i-family has no free base to hang marks on).
_VNI_LETTERS = {"ô": "ơ", "ö": "ư", "ñ": "đ", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "ì": "ì", "í": "í"}
VNI_TRANSLATE: dict[int, str] = {}
for _key, _value in (*_VNI_MARKS.items(), *_VNI_LETTERS.items()):
    VNI_TRANSLATE[ord(_key)] = _value
    VNI_TRANSLATE[ord(_key.upper())] = _value.upper()


def decode_vni(data: bytes) -> str:
    """Decode VNI-Windows bytes to NFC text (strict on bytes Windows-1252 leaves undefined).

    >>> decode_vni(b"Vie\\xe4t Nam")
    'Việt Nam'
    """
    return unicodedata.normalize("NFC", data.decode("cp1252").translate(VNI_TRANSLATE))


# --- encoders (tests, and exports to systems that still want legacy bytes) ---------------
def _vni_encoder() -> dict[str, str]:
    table: dict[str, str] = {}
    singles = list(_VNI_LETTERS) + [k.upper() for k in _VNI_LETTERS]
    candidates = singles + [
        base + (mark if base.islower() else mark.upper())
        for base in "aeiouyôöAEIOUYÔÖ"
        for mark in _VNI_MARKS
    ]
    for seq in candidates:  # first spelling found wins: singles before base + mark
        char = unicodedata.normalize("NFC", seq.translate(VNI_TRANSLATE))
        if len(char) == 1 and not char.isascii():
            table.setdefault(char, seq)
    return table


_VNI_ENCODE = _vni_encoder()
_TCVN3_ENCODE = {ch: bytes([i + 0xA1]) for i, ch in enumerate(_TCVN3_HIGH) if ch.islower()}
_TCVN3_ENCODE.update({ch: bytes([i + 0xA1]) for i, ch in enumerate(_TCVN3_HIGH[:7])})
for _ch, _byte in list(_TCVN3_ENCODE.items()):
    # TCVN3 has no capital toned letters: write the lowercase byte, as ABC users did.
    _TCVN3_ENCODE.setdefault(_ch.upper(), _byte)


def encode(text: str, encoding: str) -> bytes:
    """Encode text as "tcvn3", "vni" or "cp1258" bytes; ValueError on an unmappable character.

    TCVN3 output is lossy for capital toned letters (see ``restore_tcvn3_caps``).

    >>> encode("Hải Phòng", "tcvn3")
    b'H\\xb6i Ph\\xdfng'
    """
    out = bytearray()
    for pos, ch in enumerate(unicodedata.normalize("NFC", text)):
        if ch.isascii():
            out += ch.encode("ascii")
        elif encoding == "tcvn3" and ch in _TCVN3_ENCODE:
            out += _TCVN3_ENCODE[ch]
        elif encoding == "vni" and ch in _VNI_ENCODE:
            out += _VNI_ENCODE[ch].encode("cp1252")
        elif encoding == "cp1258":
            # Windows-1258 spells a toned letter as base (â, ơ, ... included) + tone byte.
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in TONE_MARKS)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
            try:
                out += (base + tones).encode("cp1258")
            except UnicodeEncodeError:
                raise ValueError(f"{ch!r} at {pos} has no {encoding} form") from None
        elif ch == "\xa0" or 0x80 <= _cp1252_byte(ch) < 0xA0:
            out += ch.encode("cp1252")
        else:
            raise ValueError(f"{ch!r} at {pos} has no {encoding} form")
    return bytes(out)


def _cp1252_byte(ch: str) -> int:
    try:
        return ch.encode("cp1252")[0]
    except UnicodeEncodeError:
        return -1


# --- encoding names ----------------------------------------------------------------------
LABELS = {
    "utf-8-sig": "UTF-8 (byte-order mark removed)",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 (little-endian, no byte-order mark)",
    "utf-16-be": "UTF-16 (big-endian, no byte-order mark)",
    "utf-32": "UTF-32",
    "cp1258": "Windows-1258",
    "tcvn3": "TCVN3 (ABC)",
    "vni": "VNI (VNI-Windows)",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}
_ALIASES = {
    "utf8": "utf-8",
    "utf8-sig": "utf-8-sig",
    "utf-16le": "utf-16-le",
    "utf-16be": "utf-16-be",
    "windows-1258": "cp1258",
    "windows-1252": "cp1252",
    "tcvn": "tcvn3",
    "tcvn-3": "tcvn3",
    "abc": "tcvn3",
    "vni-windows": "vni",
    "vni-win": "vni",
    "latin1": "latin-1",
    "iso-8859-1": "latin-1",
}
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def canonical_name(name: str) -> str | None:
    """Our name for an encoding ("Windows-1258" → "cp1258"); None if unknown or not text.

    >>> canonical_name("VNI-Windows"), canonical_name("UTF_16LE"), canonical_name("rot13")
    ('vni', 'utf-16-le', None)
    """
    key = name.strip().lower().replace("_", "-")
    key = _ALIASES.get(key, key)
    if key in LABELS or key == "utf-8":
        return key
    try:
        info = codecs.lookup(key)
    except LookupError:
        return None
    # bytes-to-bytes and str-to-str codecs (base64, rot13) are not text encodings
    return info.name if getattr(info, "_is_text_encoding", True) else None


class StreamDecoder:
    """An incremental decoder for any supported encoding (the legacy ones are stateless).

    >>> d = StreamDecoder("vni")
    >>> d.decode(b"nha", False) + d.decode(b"\\xe2n", True) == "nha\\u0302n"
    True
    """

    def __init__(self, encoding: str) -> None:
        stateless: dict[str, Callable[[bytes], str]] = {
            "tcvn3": decode_tcvn3,
            "vni": lambda b: b.decode("cp1252").translate(VNI_TRANSLATE),  # NFC comes later
        }
        self._stateless = stateless.get(encoding)
        # Python's UTF-16/32 stream decoders insist on a BOM until the final call; a file
        # declared "utf-16" without one is read as little-endian, in one piece or many.
        self._bom_width = {"utf-16": 2, "utf-32": 4}.get(encoding, 0)
        self._head = b""
        self._codec = codecs.getincrementaldecoder(encoding)() if not self._stateless else None

    def decode(self, data: bytes, final: bool) -> str:
        """Decode the next bytes; a UnicodeDecodeError's ``object`` always ends with them."""
        if self._stateless is not None:
            return self._stateless(data)
        if self._bom_width:
            data, self._head = self._head + data, b""
            if len(data) < self._bom_width and not final:
                self._head = data
                return ""
            if not data.startswith(tuple(bom for bom, _ in BOMS[1:])):
                name = "utf-16-le" if self._bom_width == 2 else "utf-32-le"
                self._codec = codecs.getincrementaldecoder(name)()
            self._bom_width = 0
        assert self._codec is not None
        return self._codec.decode(data, final)


# --- rhymes ------------------------------------------------------------------------------
# Every toneless rhyme (vần) of standard Vietnamese, grouped by nucleus.
RHYMES = frozenset(
    """a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
    e ec em en eng eo ep et ê êch êm ên ênh êp êt êu i ia ich im in inh ip it iu iêc iêm iên
    iêng iêp iêt iêu o oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt
    oc oe oen oeo oet oi om on ong oong ooc op ot ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
    u ua uân uâng uât uây uc uê uêch uênh ui um un ung uôc uôi uôm uôn uông uôt up uơ ut uy
    uych uyên uyêt uya uyn uynh uyp uyt uyu ư ưa ưc ưi ưm ưn ưng ươc ươi ươm ươn ương ươp
    ươt ươu ưt ưu y yêm yên yêng yêt yêu""".split()  # noqa: SIM905 - a table, not code
)
# Rare in running text. Encoding detection takes a point off for these, for a tone (a third
# of syllables have none) and more for ngã (the rarest tone), which breaks ties between two
# readings that are both Vietnamese: VNI "tho\\xe2ng" (thông) vs the TCVN3 reading "thoõng".
RARE_RHYMES = frozenset(
    "oong ooc oao oeo uyu uych uyp oăm oam oen uêch uênh eng ưm ưn".split()  # noqa: SIM905
)
