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


def test_a_numbered_paragraph_cut_at_the_printed_margin_is_rejoined():
    body = ["一、年度安排"] + ["培训机构应当按照年度计划组织实施，确保各环节衔接"] * 6 + [
        "（三）每年4月至12月为项目实施期，各项目原则上于12",
        "月10日前完成全部培训环节。",
        "（四）学时折算",
        "参训教师的学时按下表折算。",
        "某省教育厅　某省财政厅",
        "2021年5月18日",
    ]
    out = normalize_text("\n".join(body)).split("\n")
    assert "（三）每年4月至12月为项目实施期，各项目原则上于12月10日前完成全部培训环节。" in out
    assert "（四）学时折算" in out, "a short heading is still a heading"
    assert out[-1] == "2021年5月18日", "a date line stands alone"


def test_unwrapped_text_keeps_short_headings_apart():
    text = "一、基本思路\n（一）支持重点。实施示范项目。\n（二）目标任务\n推进改革。"
    assert normalize_text(text).split("\n") == ["一、基本思路", "（一）支持重点。实施示范项目。", "（二）目标任务", "推进改革。"]
