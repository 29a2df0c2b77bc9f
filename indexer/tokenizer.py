"""Chinese word segmentation shared by chunk sizing and lexical retrieval.

One jieba ``Tokenizer`` instance, loaded with our dictionary of policy terms, so that 学分银行 or
乡村振兴重点帮扶县 stay one word instead of being cut into pieces that match everything. Lexical
matching also folds traditional characters to simplified (a teacher in Hong Kong or Taiwan types 學分銀行)
and full-width to half-width, so both sides of a match are spelled the same way.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from importlib import resources

import jieba
import opencc

from corpus.text import CJK, fold_width

jieba.setLogLevel(logging.WARNING)

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_converter = opencc.OpenCC("t2s")
_WORD = re.compile(r"[\w%+]+")

# Words that carry no topic: question scaffolding and function words. Removing them keeps BM25 and the
# evidence-strength score about what the question is *about*.
STOPWORDS = frozenset(
    ["的", "了", "是", "在", "和", "与", "及", "或", "等", "吗", "呢", "吧", "啊", "么", "呀", "嘛", "之", "其", "该", "这", "那", "这个", "那个", "这些", "那些", "它", "它们", "他", "她", "我", "我们", "你", "你们", "什么", "怎么", "怎样", "怎么样", "如何", "哪些", "哪个", "哪里", "哪", "谁", "为什么", "为何", "多少", "几", "是否", "能否", "可否", "有没有", "是不是", "对不对", "对吗", "请问", "请", "一下", "一些", "一个", "可以", "能", "会", "要", "需要", "应该", "应当", "有", "没有", "就", "都", "也", "还", "又", "把", "被", "让", "给", "对", "向", "从", "到", "为", "以", "于", "按", "而", "并", "且", "但", "所以", "因为", "如果", "那么", "关于", "对于", "里", "中", "上", "下", "时", "后", "前", "吗", "呢", "啥", "咋", "哦", "嗯", "之类", "相关", "方面", "这方面", "那方面", "这方", "这件", "那件", "这件事", "那件事", "这事", "那事", "事上", "问题", "规定", "要求", "文件", "通知", "里面", "提到", "说", "讲", "具体", "主要", "一般", "现在", "目前", "the", "a", "an", "of", "to", "in", "on", "for", "is", "are", "be", "what", "how", "which", "who", "does", "do", "and", "or", "with", "by", "about"]
)


@lru_cache(maxsize=1)
def dictionary_digest() -> str:
    """A digest of our dictionary: the terms stored with each chunk depend on it, so it is part of the
    version chunks are stored under (a new word re-segments the knowledge base on the next index run)."""
    import hashlib

    data = resources.files("indexer").joinpath("userdict.txt").read_bytes()
    return hashlib.sha256(data).hexdigest()[:8]


def _get() -> jieba.Tokenizer:
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            tok = jieba.Tokenizer()
            tok.initialize()
            with resources.files("indexer").joinpath("userdict.txt").open("r", encoding="utf-8") as fh:
                tok.load_userdict(fh)
            _tokenizer = tok
    return _tokenizer


def to_simplified(text: str) -> str:
    return _converter.convert(text) if CJK.search(text) else text


_pos_tokenizer = None


def word_frequency(word: str) -> int:
    """How often jieba's dictionary (with ours) saw ``word``: 0 for a word segmentation made up on the spot."""
    tok = _get()
    tok.check_initialized()
    return int(tok.FREQ.get(word) or 0)


def tagged_words(text: str) -> list[tuple[str, str]]:
    """Words with their part of speech (jieba's tag set), segmented with the same dictionary."""
    global _pos_tokenizer
    if _pos_tokenizer is None:
        import jieba.posseg

        _pos_tokenizer = jieba.posseg.POSTokenizer(_get())
    return [(p.word, p.flag) for p in _pos_tokenizer.cut(text) if _WORD.fullmatch(p.word)]


def words(text: str) -> list[str]:
    """Segmented words, punctuation and spaces dropped: the unit that chunk sizes are counted in."""
    return [w for w in _get().lcut(text) if _WORD.fullmatch(w)]


def count_tokens(text: str) -> int:
    return len(words(text))


def _lex_form(text: str) -> str:
    return to_simplified(fold_width(text)).lower()


@lru_cache(maxsize=4096)
def lexical_terms(text: str) -> tuple[str, ...]:
    """Search-mode terms for BM25: whole words plus their dictionary sub-words, stopwords removed."""
    out = []
    for w in _get().lcut_for_search(_lex_form(text)):
        if _WORD.fullmatch(w) and w not in STOPWORDS:
            out.append(w)
    return tuple(out)


def index_terms(text: str) -> list[str]:
    """Like ``lexical_terms`` but uncached: for indexing many chunks once."""
    return [w for w in _get().lcut_for_search(_lex_form(text)) if _WORD.fullmatch(w) and w not in STOPWORDS]
