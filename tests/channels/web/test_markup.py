"""Answer text to HTML: markers become links to their citation, everything else stays text."""

from __future__ import annotations

from channels.web.markup import action, answer_html, num, pct, size, state


def test_markers_link_to_their_citation_and_text_is_escaped():
    html = str(answer_html("依据<b>文件</b>：\n按 5% 安排经费。[1][2]\n见[9]", "a1", {1, 2}))
    assert html.count("<p>") == 3
    assert "&lt;b&gt;文件&lt;/b&gt;" in html and "<b>" not in html
    assert 'href="#a1-c1"' in html and 'data-cite="a1-c2"' in html
    assert "[9]" in html and "a1-c9" not in html  # a number with no citation stays plain text


def test_numbers_for_people():
    assert pct(0.853) == "85%" and pct(None) == "—" and pct(0.5, 1) == "50.0%"
    assert num(0.01) == "0.01" and num(2.5) == "2.5" and num(3.0) == "3" and num(None) == "—"
    assert size(20 * 1024 * 1024) == "20 MB" and size(1536) == "1.5 KB" and size(12) == "12 B"
    assert state("done") == "已完成" and state("odd") == "odd" and action("replace") == "替换"


def test_comment_pages_keep_the_target_and_land_on_the_comments() -> None:
    from channels.web.markup import comment_pages

    first = comment_pages("/admin", {"offset": 0, "limit": 10, "total": 25}, None)
    assert first == {"newer": None, "older": "/admin?offset=10#comments", "first": "/admin#comments",
                     "everything": "/admin#comments", "target": None}
    middle = comment_pages("/admin", {"offset": 10, "limit": 10, "total": 25}, "res-1#一、对象 & 其他")
    assert middle["newer"] == "/admin?target=res-1%23%E4%B8%80%E3%80%81%E5%AF%B9%E8%B1%A1+%26+%E5%85%B6%E4%BB%96#comments"
    assert middle["older"].endswith("&offset=20#comments") and middle["everything"] == "/admin#comments"
    assert comment_pages("/library", {"offset": 20, "limit": 10, "total": 25}, "")["older"] is None
