"""Vietnamese text hygiene: folding, tone placement, encoding detection and decoding."""

from __future__ import annotations

import codecs
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lienthong.core import vnlegacy
from lienthong.core.errors import ValidationFailed
from lienthong.core.vntext import (
    clean,
    decode,
    detect_encoding,
    fold,
    iter_decode,
    nfc,
    normalise_tones,
    normalise_tones_counted,
)

SENTENCES = [
    "Ủy ban nhân dân thành phố Hải Phòng",
    "Sở Thông tin và Truyền thông",
    "Hòa Bình, Thủy Nguyên, Quý Khoẻ",
    "Cộng hoà xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc",
    "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH",
    "Nguyễn Thị Minh Khai, phường Bến Nghé; rượu, chuyện, khuỷu tay, sẵn có, Đà Nẵng, ẳng ẳng",
]
LEGACY = ["tcvn3", "vni", "cp1258"]
UNICODE = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"]
BOM8 = codecs.BOM_UTF8

_TONED = [
    unicodedata.normalize("NFC", base + tone)
    for base in "aăâeêioôơuưy"
    for tone in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
]
_VN_CHARS = sorted({*_TONED, *(c.upper() for c in _TONED), *"bcdđghklmnpqrstvxBCDĐGHKLMNPQRSTVX"})
vietnamese_text = st.text(
    alphabet=st.sampled_from([*_VN_CHARS, " ", " ", ",", ".", "-", "1", "\u0301", "\u0300"]),
    max_size=60,
)


def _encode(text: str, encoding: str) -> bytes:
    if encoding in LEGACY:
        return vnlegacy.encode(text, encoding)
    return text.encode(encoding)


# --- fold ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hải Phòng", "hai phong"),
        ("ĐƯỜNG Lê Lợi", "duong le loi"),
        ("Ðà Nẵng", "da nang"),  # U+00D0 ETH typed for Đ, as legacy data often has it
        ("Tho\u0302\u0301ng", "thong"),  # decomposed input
        ("Thành phố Hồ Chí Minh", "thanh pho ho chi minh"),
        ("Straße", "strasse"),
        ("Ελληνικά", "ελληνικα"),
        ("東京 “Hà Nội”", "東京 “ha noi”"),
        ("", ""),
        ("ASCII only 123", "ascii only 123"),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_fold_makes_search_accent_insensitive() -> None:
    haystack = ["Ủy ban nhân dân tỉnh Hải Dương", "Sở Tài chính Hải Phòng", "Hà Nội"]
    hits = [h for h in haystack if fold("hai phong") in fold(h)]
    assert hits == ["Sở Tài chính Hải Phòng"]
    assert fold("HÀ NỘI") == fold("ha noi") == fold("Hà Nội")


def _reference_fold(text: str) -> str:
    nfd = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in nfd if not unicodedata.combining(c))
    return bare.replace("đ", "d").replace("Đ", "D").casefold()


@given(vietnamese_text)
def test_fold_matches_the_specification_on_vietnamese(text: str) -> None:
    assert fold(text) == _reference_fold(text)


@given(st.text())
def test_fold_never_raises_and_is_idempotent(text: str) -> None:
    once = fold(text)
    assert once == vnlegacy.fold_exact(text)  # the fast table path changes nothing
    assert fold(once) == once
    assert not any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", once))


# --- tone placement ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # old style → new style (Quyết định 1989/QĐ-BGDĐT)
        ("hòa", "hoà"),
        ("Hòa", "Hoà"),
        ("HÒA", "HOÀ"),
        ("thủy", "thuỷ"),
        ("THỦY", "THUỶ"),
        ("khỏe", "khoẻ"),
        ("Khỏe", "Khoẻ"),
        ("lũy", "luỹ"),
        ("tùy", "tuỳ"),
        ("xòe", "xoè"),
        ("họa", "hoạ"),
        # qu- and gi- onsets: the glide is part of the onset
        ("quý", "quý"),
        ("Quý", "Quý"),
        ("QUÝ", "QUÝ"),
        ("qúy", "quý"),
        ("quả", "quả"),
        ("quyển", "quyển"),
        ("giá", "giá"),
        ("gía", "giá"),
        ("GIÁ", "GIÁ"),
        ("giường", "giường"),
        ("giếng", "giếng"),
        ("gìn", "gìn"),
        ("giữa", "giữa"),
        # already right, and the same in both styles
        ("hoàng", "hoàng"),
        ("toán", "toán"),
        ("huýt", "huýt"),
        ("Huỳnh", "Huỳnh"),
        ("mía", "mía"),
        ("của", "của"),
        ("mưa", "mưa"),
        ("tươi", "tươi"),
        ("rượu", "rượu"),
        ("chuyện", "chuyện"),
        ("khuỷu", "khuỷu"),
        ("ngoài", "ngoài"),
        ("xoáy", "xoáy"),
        ("thuở", "thuở"),
        ("hữu", "hữu"),
        ("Nguyễn", "Nguyễn"),
        # misplaced marks on diphthongs are put right
        ("hìeu", "hìeu"),  # not a syllable (no rhyme "ieu" without ê): left alone
        ("múôn", "muốn"),
        ("hóà", "hóà"),  # two tones: left alone
        ("mùa", "mùa"),
        ("muà", "mùa"),
        # not Vietnamese: untouched
        ("café", "café"),
        ("José", "José"),
        ("Boeing", "Boeing"),
        ("Zürich", "Zürich"),
        ("", ""),
    ],
)
def test_normalise_tones(text: str, expected: str) -> None:
    assert normalise_tones(text) == expected


def test_normalise_tones_counts_changed_syllables_in_running_text() -> None:
    text = "Ủy ban tỉnh Hòa Bình: khỏe mạnh, quý giá, hòa hợp; Thủy-Nguyên."
    assert normalise_tones_counted(text) == (
        "Uỷ ban tỉnh Hoà Bình: khoẻ mạnh, quý giá, hoà hợp; Thuỷ-Nguyên.",
        5,
    )
    assert normalise_tones_counted("plain ascii") == ("plain ascii", 0)


def test_normalise_tones_handles_decomposed_input() -> None:
    decomposed = unicodedata.normalize("NFD", "Thủy Nguyên")
    assert normalise_tones(decomposed) == "Thuỷ" + unicodedata.normalize("NFD", " Nguyên")
    assert nfc(normalise_tones(decomposed)) == "Thuỷ Nguyên"


def test_clean_composes_and_moves_tones() -> None:
    assert clean("Hòa Bình") == ("Hoà Bình", 1)
    assert clean(unicodedata.normalize("NFD", "Hòa Bình")) == ("Hoà Bình", 2)
    assert clean("Hoà Bình") == ("Hoà Bình", 0)
    assert clean("ascii") == ("ascii", 0)
    assert clean("x\u0301 1\u0301") == ("x\u0301 1\u0301", 0)


@given(st.one_of(st.text(), vietnamese_text))
def test_nfc_then_normalise_tones_is_idempotent(text: str) -> None:
    once = normalise_tones(nfc(text))
    assert normalise_tones(nfc(once)) == once
    assert clean(text)[0] == once
    assert clean(once) == (once, 0)


# --- encodings: round trips ----------------------------------------------------------------
def _expected_after_decode(text: str, encoding: str) -> str:
    if encoding == "tcvn3" and text == SENTENCES[0]:
        # TCVN3 has no capital toned letters; only all-capital words get theirs back.
        text = "ủy ban nhân dân thành phố Hải Phòng"
    return clean(text)[0]


def test_tcvn3_capitals_come_back_only_for_all_capital_words() -> None:
    data = vnlegacy.encode("Ủy ban HẢI PHÒNG, Hà Nội, THÀNH PHỐ", "tcvn3")
    assert decode(data, "tcvn3").text == "uỷ ban HẢI PHÒNG, Hà Nội, THÀNH PHỐ"
    # A capital then caseless letters reads as title case: "HÀ" cannot be told from "Hà".
    assert decode(vnlegacy.encode("HÀ NỘI", "tcvn3")).text == "Hà NỘI"


@pytest.mark.parametrize("encoding", LEGACY + UNICODE)
@pytest.mark.parametrize("text", SENTENCES)
def test_round_trip_detects_and_decodes(text: str, encoding: str) -> None:
    data = _encode(text, encoding)
    assert detect_encoding(data, complete=True) == encoding
    decoded = decode(data)
    assert decoded.encoding == encoding
    assert decoded.text == _expected_after_decode(text, encoding)
    assert decode(data, encoding).text == decoded.text
    if encoding != "tcvn3":
        assert decode(data, tones=False).text == text


def test_round_trip_of_one_long_document() -> None:
    document = fold("\n".join(SENTENCES * 100)).encode("ascii")  # a long ASCII header
    for encoding in LEGACY:
        data = document + b"\n" + _encode("\n".join(SENTENCES[1:4]), encoding)
        assert detect_encoding(data[:65536]) == encoding
        assert decode(data).encoding == encoding


def test_conversions_are_reported() -> None:
    assert decode(_encode("Hòa Bình, Thủy Nguyên", "vni")).conversions == [
        "decoded from VNI (VNI-Windows)",
        "moved tone marks in 2 syllables",
    ]
    assert decode(_encode("ỦY BAN NHÂN DÂN", "tcvn3")).conversions == [
        "decoded from TCVN3 (ABC)",
        "restored capitals in 1 all-capital word",
        "moved tone marks in 1 syllable",
    ]
    nfd = unicodedata.normalize("NFD", "Sở Thông tin và Truyền thông").encode()
    assert decode(nfd).conversions == ["normalised 5 syllables to NFC"]
    assert decode("Hải Phòng".encode()).conversions == []
    assert decode(BOM8 + "Hải".encode()).conversions == [
        "decoded from UTF-8 (byte-order mark removed)"
    ]


# --- encodings: independent references -----------------------------------------------------
@pytest.mark.parametrize(
    ("vni", "text"),
    [
        # Spelled by hand from the VNI-Windows keyboard layout, not by our encoder.
        ("Coäng hoaø xaõ hoäi chuû nghóa Vieät Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
        ("ÑAØ NAÜNG, saün coù, nöôùc", "ĐÀ NẴNG, sẵn có, nước"),
        ("Thaønh phoá Haûi Phoøng", "Thành phố Hải Phòng"),
        ("UÛY BAN NHAÂN DAÂN", "UỶ BAN NHÂN DÂN"),
        ("AÚNG aúng, chòu khoù, æa, nghóa", "ẲNG ẳng, chịu khó, ỉa, nghĩa"),
    ],
)
def test_vni_against_hand_spelled_bytes(vni: str, text: str) -> None:
    data = vni.encode("cp1252")
    assert decode(data).encoding == "vni"
    assert decode(data).text == text


def test_cp1258_against_hand_spelled_bytes() -> None:
    # base letter then a tone byte: e-circumflex 0xEA, dot below 0xF2, hook 0xD2
    data = b"Vi\xea\xf2t Nam, H\xf4\xf2i An, Ha\xd2i Pho\xccng"
    assert decode(data).encoding == "cp1258"
    assert decode(data).text == "Việt Nam, Hội An, Hải Phòng"


@pytest.mark.skipif(shutil.which("iconv") is None, reason="glibc iconv not installed")
def test_tcvn3_matches_glibc_tcvn5712() -> None:
    def iconv(data: bytes, src: str, dst: str) -> bytes:
        return subprocess.run(
            ["iconv", "-f", src, "-t", dst], input=data, capture_output=True, check=True
        ).stdout

    high = bytes(range(0xA1, 0x100))
    reference = nfc(iconv(high, "TCVN5712-1", "UTF-8").decode())
    assert decode(high, "tcvn3", tones=False).text == reference
    text = "ủy ban nhân dân thành phố hải phòng, sở thông tin và truyền thông; Đông Ă Ơ Ư"
    assert vnlegacy.encode(text, "tcvn3") == iconv(text.encode(), "UTF-8", "TCVN5712-1")


# --- detection -----------------------------------------------------------------------------
def test_detect_encoding_edge_cases() -> None:
    assert detect_encoding(b"") == "utf-8"
    assert detect_encoding(b"plain ASCII, 2024") == "utf-8"
    cut = "Hải Phòng".encode()[:2]  # ends inside "ả"
    assert detect_encoding(cut) == "utf-8"
    assert detect_encoding(cut, complete=True) != "utf-8"
    assert detect_encoding("Hà Nội".encode("utf-16-le")) == "utf-16-le"
    assert detect_encoding("Hà Nội".encode("utf-16-be")) == "utf-16-be"
    assert detect_encoding("Hà Nội".encode("utf-32")) == "utf-32"
    western = "Crème brûlée à la carte".encode("cp1252")
    assert detect_encoding(western) == "cp1252"
    assert decode(western).conversions == [
        "decoded from Windows-1252",
        "no Vietnamese legacy encoding recognised",
    ]
    assert decode(western, "cp1252").conversions == ["decoded from Windows-1252"]


def test_decode_empty_and_unknown_encoding() -> None:
    assert decode(b"") == decode(b"", "utf-8")
    assert decode(b"").text == ""
    with pytest.raises(ValidationFailed, match="unknown text encoding 'klingon'"):
        decode(b"abc", "klingon")
    with pytest.raises(ValidationFailed, match="unknown text encoding 'rot13'"):
        list(iter_decode([b"abc"], "rot13"))  # a str-to-str codec, not a text encoding


# --- invalid bytes under a declared encoding -----------------------------------------------
def test_invalid_utf8_names_the_offset() -> None:
    data = b"a" * 1204 + b"\xc3\x28 tail"
    with pytest.raises(ValidationFailed) as info:
        decode(data, "utf-8")
    message = "the file is not valid utf-8 at byte 1,204 (declared encoding utf-8)"
    assert info.value.message == message
    assert info.value.errors == {"encoding": [message]}


@pytest.mark.parametrize(
    ("data", "declared", "offset"),
    [
        (b"ok \xe1\xba", "UTF8", 3),  # truncated at the end
        (BOM8 + b"ab\xff", "utf-8", 5),  # offsets count the BOM
        (b"abc\x81", "tcvn3", 3),  # undefined in the Windows block
        (b"Vie\xe4t \x8d", "vni", 6),
        (b"a\x00b", "utf-16-le", 2),  # odd length
        (b"\x00\xd8a\x00", "utf-16-le", 0),  # lone surrogate
    ],
)
def test_invalid_bytes_name_offset_and_encoding(data: bytes, declared: str, offset: int) -> None:
    with pytest.raises(ValidationFailed, match=f"at byte {offset} \\(declared encoding "):
        decode(data, declared)


def test_a_bom_followed_by_invalid_bytes_is_reported_not_guessed_around() -> None:
    with pytest.raises(ValidationFailed, match="at byte 5 \\(detected encoding utf-8-sig\\)"):
        decode(BOM8 + b"ok\xff")


def test_declared_utf8_with_bom_is_accepted() -> None:
    decoded = decode(BOM8 + "Hải".encode(), "utf-8")
    assert (decoded.text, decoded.encoding) == ("Hải", "utf-8-sig")
    assert "".join(iter_decode([BOM8[:2], BOM8[2:] + b"ok"], "utf-8")) == "ok"
    with pytest.raises(
        ValidationFailed, match="valid utf-8 at byte 4 \\(declared encoding utf-8\\)"
    ):
        decode(BOM8 + b"a\xff", "utf-8")


# --- streaming -----------------------------------------------------------------------------
STREAM_TEXT = "Ủy ban: hòa hợp, THỦY NGUYÊN, Hải Phòng.\nĐà Nẵng — rượu, khuỷu; ẳ."


@pytest.mark.parametrize("encoding", LEGACY + UNICODE)
def test_iter_decode_matches_decode_at_every_split(encoding: str) -> None:
    data = _encode(STREAM_TEXT.replace("—", "-"), encoding)
    whole = decode(data, encoding).text
    for cut in range(len(data) + 1):
        assert "".join(iter_decode([data[:cut], data[cut:]], encoding)) == whole, cut
    assert "".join(iter_decode([bytes([b]) for b in data], encoding)) == whole


@settings(max_examples=50)
@given(
    vietnamese_text, st.lists(st.integers(0, 200), max_size=8), st.sampled_from(LEGACY + UNICODE)
)
def test_iter_decode_any_chunking(text: str, cuts: list[int], encoding: str) -> None:
    text = nfc(text)
    try:
        data = _encode(text, encoding)
    except ValueError:  # a loose mark after a consonant has no legacy spelling
        return
    points = sorted({min(c, len(data)) for c in cuts})
    chunks = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    assert "".join(iter_decode(chunks, encoding)) == decode(data, encoding).text


def test_iter_decode_splits_vni_base_and_mark() -> None:
    pieces = list(iter_decode([b"Vie", b"\xe4t Na", b"m nha", b"\xe2n da", b"\xe2n"], "vni"))
    assert "".join(pieces) == "Việt Nam nhân dân"
    assert all(unicodedata.is_normalized("NFC", p) for p in pieces)


def test_iter_decode_streams_without_reading_everything() -> None:
    consumed = 0

    def chunks() -> Iterator[bytes]:
        nonlocal consumed
        for _ in range(1000):
            consumed += 1
            yield "Hòa Bình, Hải Phòng. ".encode()

    stream = iter_decode(chunks(), "utf-8")
    assert next(stream).startswith("Hoà Bình")
    assert consumed < 5
    assert sum(len(p) for p in stream) > 0


def test_iter_decode_errors_use_absolute_offsets() -> None:
    with pytest.raises(ValidationFailed, match="at byte 5 \\(declared encoding utf-8\\)"):
        list(iter_decode([b"abc", b"de\xff", b"more"], "utf-8"))
    with pytest.raises(ValidationFailed, match="at byte 4 "):
        list(iter_decode([b"ab", b"cd\xe1", b"\xba"], "utf-8"))  # truncated at end of stream
    with pytest.raises(ValidationFailed, match="at byte 1,001 "):
        list(iter_decode([b"x" * 1000, b"y\x81"], "tcvn3"))
