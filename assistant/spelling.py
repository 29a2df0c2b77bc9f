"""Words typed with the wrong character of the same sound: 国陪计划 for 国培计划, 校本研休 for 校本研修.

Teachers type with a pinyin input method, which offers every character of a sound; picking the neighbour of
the right one is the commonest typo in Chinese. Such a word is one no passage uses, so the answer told the
teacher the documents never mention 「国陪」, though they speak of 国培 throughout. A word of the question the
knowledge base does not know is read as the word it does know that sounds the same, character by character
(tones aside), and the answer says which word it was read as.

Only a made-up word is read so: one the segmenter produced on the spot because no dictionary holds it (国陪,
研休). A real word the documents do not use (老师, 宿舍, 听说) is what the teacher meant, and sounds like some
other word often enough (老师, 落实). The word offered keeps at least one of the typed characters (a slip
changes one character, not the word), and the text with it must then hold a longer term of the knowledge base
(国培 in 国培计划, 银行 in 学分银行): a made-up word is as often two words glued across their boundary (一个人教语文
gives 人教, which sounds like 任教), and only a term the documents use around it shows a slip. Digits, Latin
letters and one-character words are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import islice, product

from pypinyin import Style, pinyin

from indexer.tokenizer import word_frequency

_HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,8}")

Sound = tuple[str, ...]


MAX_READINGS = 16  # of a word whose characters have several readings (行: xing, hang), this many are kept


@lru_cache(maxsize=65536)
def _char_sounds(ch: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(pinyin(ch, style=Style.NORMAL, heteronym=True)[0]))


def typed_sound(word: str) -> Sound | None:
    """How a typed word is read: each character by its usual reading (the input method was given that one)."""
    return tuple(_char_sounds(ch)[0] for ch in word) if _HAN_WORD.fullmatch(word) else None


def sounds(word: str) -> list[Sound]:
    """Every way to read the word (tones aside), character by character so that a word and its typo are read
    alike; a character with several readings (银行's 行) gives each. Empty unless the word is two to eight
    Chinese characters."""
    if not _HAN_WORD.fullmatch(word):
        return []
    return list(islice(product(*(_char_sounds(ch) for ch in word)), MAX_READINGS))


class SoundIndex:
    """The knowledge base's words by sound, the most used first."""

    def __init__(self, vocabulary: list[tuple[str, int]]) -> None:
        self._by_sound: dict[Sound, tuple[str, int]] = {}
        self._words = [word for word, _ in vocabulary]
        for word, passages in vocabulary:
            for key in sounds(word):
                held = self._by_sound.get(key)
                if held is None or passages > held[1]:
                    self._by_sound[key] = (word, passages)

    def meant(self, word: str) -> str:
        """The word the knowledge base uses that sounds like ``word`` and keeps one of its characters; empty when
        there is none."""
        key = typed_sound(word)
        found = self._by_sound.get(key) if key else None
        if not found or found[0] == word or not any(a == b for a, b in zip(word, found[0], strict=True)):
            return ""
        return found[0]

    def longer(self, word: str) -> list[str]:
        """The knowledge base's terms that hold ``word`` and more (国培计划 for 国培)."""
        return [t for t in self._words if word in t and len(t) > len(word)]


def respell(text: str, words: Iterable[str], knows: Callable[[str], bool], sounds: Callable[[], SoundIndex]
            ) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``text`` with each of ``words`` the knowledge base does not know replaced by the known word that sounds
    the same, and the (typed, meant) pairs replaced. ``sounds`` gives the index, asked for only when a made-up
    word is there: most questions have none, and building it reads the whole vocabulary."""
    fixed: list[tuple[str, str]] = []
    for word in dict.fromkeys(words):
        if knows(word) or word_frequency(word) > 0:
            continue
        index = sounds()
        meant = index.meant(word)
        if not meant or word not in text:
            continue
        fixed_text = text.replace(word, meant)
        if any(t in fixed_text and t not in text for t in index.longer(meant)):
            text = fixed_text
            fixed.append((word, meant))
    return text, tuple(fixed)
