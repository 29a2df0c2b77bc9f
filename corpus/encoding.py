"""Turn the bytes of a text file into str without guessing wrong on Chinese files.

Teachers hand us files saved by Windows Notepad, WPS and old government sites: GBK is as common as UTF-8,
and a wrong guess is silent (mojibake gets indexed and never matches a question). Generic detectors are
unreliable on short Chinese strings — ``国培计划`` in GBK is only 8 bytes — so the order is fixed and
Chinese-first: BOM, strict UTF-8, strict GB18030 (a superset of GBK and GB2312), and only then
charset-normalizer. Every non-BOM candidate must also *look like text*, which is what keeps binary files
and wrong codecs out.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from corpus.documents import LoaderError
from corpus.text import HAN_EXTENDED

__all__ = ["decode_text"]

# UTF-32 first: its little-endian BOM starts with the UTF-16 one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Controls that never occur in a real text file; \t \n \r and the form feed (page breaks in exported
# text) are allowed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.005

# What Chinese text is made of: ASCII, Latin-1/Greek/Cyrillic letters (GBK carries them), punctuation,
# symbols used in documents (①, ■, ℃, ㎡), kana/bopomofo, CJK ideographs and full-width forms. A wrong
# codec produces private-use code points and characters of unrelated scripts, which fall outside.
_TEXTUAL_CHARS = (
    "\t\n\r\f\x20-\x7e\u00a0-\u017f\u02c7\u02c9-\u02cb\u02d9\u0391-\u03c9\u0401-\u0451"
    f"\u2000-\u20cf\u2100-\u22ff\u2460-\u27bf\u3000-\u33ff{HAN_EXTENDED}"
    "\ufe30-\ufe4f\uff00-\uffef"
)
_NON_TEXTUAL = re.compile(f"[^{_TEXTUAL_CHARS}]")
_MIN_TEXTUAL_SHARE = 0.95
_KANA = re.compile("[\u3040-\u30ff]")
_CJK = re.compile(f"[{HAN_EXTENDED}]")

# Non-ASCII letters a genuine UTF-8 file without any Chinese plausibly contains (Western European
# accents, Greek, Russian). GBK bytes that happen to be valid UTF-8 decode to 2-byte sequences that
# wander across Latin extensions, IPA, Cyrillic supplements, Armenian, Hebrew... (一 → һ).
_COMMON_2BYTE = re.compile("[\u00a0-\u017f\u0386-\u03ce\u0400-\u045f]")
_MISREAD_SAMPLE = 100_000  # the ambiguity only arises in short texts; long GBK is never valid UTF-8
_TWO_BYTE = re.compile("[\u0080-\u07ff]")

_BINARY_MSG = "无法读取文件「{name}」：内容不是可识别的文本编码（可能是二进制文件）"


def decode_text(data: bytes, name: str) -> str:
    """Decode a text file's bytes, raising LoaderError (naming ``name``) for binary or unknown encodings."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise LoaderError(
                    f"无法读取文件「{name}」：文件标记为 {encoding.upper()} 编码，但内容已损坏"
                ) from exc
            if not _looks_like_text(text, require_textual=False):
                raise LoaderError(_BINARY_MSG.format(name=name))
            return text
    if b"\x00" in data:
        raise LoaderError(_BINARY_MSG.format(name=name))

    # A file cut off mid-character (an interrupted copy) is retried without its last incomplete
    # character, but only after the full-length readings have failed: b"hi \xe4\xb8" is GBK 涓, not
    # a truncated UTF-8 character.
    for truncated in (False, True):
        utf8 = _strict(data, "utf-8", truncated=truncated)
        if utf8 is not None and _looks_like_text(utf8, require_textual=False):
            if not _utf8_looks_misread(utf8):
                return utf8
            gbk = _strict(data, "gb18030", truncated=truncated)
            if gbk is not None and _looks_like_text(gbk) and _CJK.search(gbk):
                return gbk
            return utf8
        gbk = _strict(data, "gb18030", truncated=truncated)
        if gbk is not None and _looks_like_text(gbk):
            return _prefer_big5(data, gbk)

    best = from_bytes(data).best()
    if best is not None:
        guess = str(best)
        if _looks_like_text(guess):
            return guess
    raise LoaderError(_BINARY_MSG.format(name=name))


def _prefer_big5(data: bytes, gbk: str) -> str:
    """Big5 (Traditional Chinese) read as GBK still yields ideographs, but sprinkled with kana (中 → い).

    Kana in a GBK reading is the tell; switch only if Big5 decodes strictly into plausible kana-free text.
    """
    if not _KANA.search(gbk):
        return gbk
    big5 = _strict(data, "big5")
    if big5 is not None and _looks_like_text(big5) and not _KANA.search(big5):
        return big5
    return gbk


def _strict(data: bytes, encoding: str, *, truncated: bool = False) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if truncated and exc.end == len(data) and exc.start > 0 and exc.start >= len(data) - 3:
            return _strict(data[: exc.start], encoding)
        return None


def _looks_like_text(text: str, *, require_textual: bool = True) -> bool:
    """Reject binary (control characters) and, for guessed codecs, text made of implausible characters.

    Strict UTF-8 skips the character-set check: a file that is valid UTF-8 is almost never anything
    else, and it may legitimately be Thai or Arabic.
    """
    if not text:
        return True
    # Counting the rare bad characters, not the good ones, keeps a 50 MB file fast.
    if len(_CONTROL.findall(text)) > len(text) * _MAX_CONTROL_SHARE:
        return False
    if not require_textual:
        return True
    return len(_NON_TEXTUAL.findall(text)) <= len(text) * (1 - _MIN_TEXTUAL_SHARE)


def _utf8_looks_misread(text: str) -> bool:
    """True when valid UTF-8 is more likely GBK in disguise: no Chinese, odd 2-byte characters.

    Only characters U+0080–U+07FF matter: that is what GBK double-byte pairs turn into when read as
    UTF-8. Letters from more than one script, or outside the common alphabets, betray the misreading.
    """
    if _CJK.search(text):
        return False
    odd = _TWO_BYTE.findall(text[:_MISREAD_SAMPLE])
    if not odd:
        return False
    if any(not _COMMON_2BYTE.match(ch) for ch in odd):
        return True
    scripts = {unicodedata.name(ch, "?").split(" ")[0] for ch in odd if ch.isalpha()}
    return len(scripts & {"LATIN", "GREEK", "CYRILLIC"}) > 1
