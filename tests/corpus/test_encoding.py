"""decode_text must get Chinese files right: a wrong guess is silent mojibake in the index."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from corpus.documents import LoaderError
from corpus.encoding import decode_text

NOTICE = "教育部 财政部关于实施中小学幼儿园教师国家级培训计划（2021—2025年）的通知\n教师函〔2021〕4号\n"


def test_utf8_plain() -> None:
    assert decode_text(NOTICE.encode("utf-8"), "a.txt") == NOTICE


def test_utf8_bom_is_stripped() -> None:
    assert decode_text(NOTICE.encode("utf-8-sig"), "a.txt") == NOTICE


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(encoding: str) -> None:
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    assert decode_text(bom + NOTICE.encode(encoding), "a.txt") == NOTICE


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_family(encoding: str) -> None:
    assert decode_text(NOTICE.encode(encoding), "a.txt") == NOTICE


def test_gb2312() -> None:
    text = "中小学幼儿园教师国家级培训计划，示范项目。"
    assert decode_text(text.encode("gb2312"), "a.txt") == text


def test_gb18030_only_characters() -> None:
    # The extension-A ideograph 㐀 and € need GB18030's four-byte form.
    text = "〇㐀国培计划，经费€"
    assert decode_text(text.encode("gb18030"), "a.txt") == text


@pytest.mark.parametrize("text", ["国培计划", "一一一一", "培训", "教师研修"])
def test_short_gbk_strings(text: str) -> None:
    # 一一一一 in GBK (D2 BB x4) is also valid UTF-8 (һһһһ): Chinese must win.
    assert decode_text(text.encode("gbk"), "a.txt") == text


@pytest.mark.parametrize("text", ["café résumé", "Привет, мир", "Ελληνικά", "plain ascii"])
def test_non_chinese_utf8_is_not_misread_as_gbk(text: str) -> None:
    assert decode_text(text.encode("utf-8"), "a.txt") == text


@pytest.mark.parametrize("text", ["中華民國教育部", "中華民國教育部公告：教師研習"])
def test_big5_is_not_read_as_gbk(text: str) -> None:
    # The first is also valid GB18030 (い地チ瓣毙▅场); only the kana tell gives it away.
    assert decode_text(text.encode("big5"), "a.txt") == text


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_truncated_last_character_is_dropped(encoding: str) -> None:
    data = "国培计划实施".encode(encoding)[:-1]
    assert decode_text(data, "cut.txt") == "国培计划实"


def test_complete_gbk_beats_truncated_utf8() -> None:
    # E4 B8 is an unfinished UTF-8 character but a whole GBK one (涓).
    assert decode_text(b"hi \xe4\xb8", "a.txt") == "hi 涓"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        bytes(range(1, 32)) * 4,
        b"abc\x00def",
        b"MZ\x90\x00\x03\x00\x00\x00",
    ],
)
def test_binary_is_refused_with_chinese_message(data: bytes) -> None:
    with pytest.raises(LoaderError) as info:
        decode_text(data, "data.txt")
    assert "「data.txt」" in str(info.value)
    assert "二进制" in str(info.value)


def test_random_bytes_are_refused() -> None:
    # Without NUL bytes, so the NUL shortcut is not what refuses it.
    data = random.Random(0).randbytes(4096).replace(b"\x00", b"")
    with pytest.raises(LoaderError):
        decode_text(data, "random.bin")


def test_empty_is_empty_string() -> None:
    assert decode_text(b"", "empty.txt") == ""


_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
_ASCII = st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.sampled_from("\n\t")
_PUNCT = st.sampled_from("，。、；：？！“”《》（）—…")


@given(st.text(_CJK | _ASCII | _PUNCT))
def test_property_utf8_round_trip(text: str) -> None:
    assert decode_text(text.encode("utf-8"), "p.txt") == text


def _plausible_utf8_reading(data: bytes) -> bool:
    """Bytes that are valid UTF-8 *and* GB18030 are ambiguous (C3 A9 is both 茅 and é).

    By design UTF-8 wins when its reading is believable: it contains Chinese, or its non-ASCII letters
    are ordinary Latin/Greek/Cyrillic from a single script. Only those inputs are excluded below.
    """
    try:
        reading = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if re.search("[\u4e00-\u9fff]", reading):
        return True
    odd = re.findall("[\u0080-\u07ff]", reading)
    common = re.compile("[\u00a0-\u017f\u0386-\u03ce\u0400-\u045f]")
    scripts = {"LATIN" if c < "\u0180" else "GREEK" if c < "\u0400" else "CYRILLIC" for c in odd}
    return all(common.fullmatch(c) for c in odd) and len(scripts) <= 1


_MIXED_WITH_4_CJK = st.tuples(st.lists(_CJK, min_size=4), st.lists(_ASCII | _PUNCT)).flatmap(
    lambda parts: st.permutations(parts[0] + parts[1])
)


@given(_MIXED_WITH_4_CJK)
def test_property_gb18030_round_trip(chars: list[str]) -> None:
    text = "".join(chars)
    data = text.encode("gb18030")
    assume(not _plausible_utf8_reading(data))
    assert decode_text(data, "p.txt") == text
