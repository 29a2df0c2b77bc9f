from pathlib import Path

from indexer.normalize import fold_width, normalize_text

SEED = Path(__file__).resolve().parents[2] / "corpus" / "data" / "policy" / "jiaoshihan-2021-4.txt"


def test_seed_sentence_cutting_breaks_are_repaired():
    text = normalize_text(SEED.read_text(encoding="utf-8"))
    assert "紧缺学科教师培训力度，提升教师促进学生全面发展能力。" in text
    assert "提前下达的下一年度“国培计划”补助资金预算后" in text
    assert "有效衔接，支持国家乡村振兴重点帮扶县" in text


def test_seed_headings_and_title_stay_on_their_own_lines():
    lines = normalize_text(SEED.read_text(encoding="utf-8")).split("\n")
    assert lines[0].startswith("教育部 财政部关于实施")
    assert lines[1] == "教师函〔2021〕4号"
    assert "二、重点工作" in lines
    assert "（一）聚焦素养提升，更新标准引领下的内容体系" in lines
    assert all(line == line.strip() and line for line in lines)


def test_paragraph_ends_are_not_joined():
    assert normalize_text("第一段结束。\n\n第二段开始。") == "第一段结束。\n第二段开始。"


def test_numbered_item_is_never_glued_to_the_previous_line():
    assert normalize_text("正文没有句号\n2. 下一条") == "正文没有句号\n2. 下一条"


def test_page_numbers_and_crlf_and_invisible_chars_are_dropped():
    raw = "标题\r\n正文第一句，\r\n- 3 -\r\n接着说\u200b完。\r\n第 4 页\r\n"
    assert normalize_text(raw) == "标题\n正文第一句，接着说完。"


def test_full_width_letters_and_digits_fold_but_chinese_punctuation_stays():
    assert fold_width("按５％安排，ＡＢＣ。") == "按5%安排，ABC。"


def test_latin_words_keep_a_space_when_rejoined():
    assert normalize_text("Title\nlong English sentence that was\nbroken in two.") == (
        "Title\nlong English sentence that was broken in two."
    )
