"""Named people: 主讲专家都有谁 asks who fills a role, and only a document that names someone can say.

Policy texts assign duties to roles (班主任, 实践导师, 专家组) and never name the people in them. A teacher
who asks who a role is (培训班的班主任是谁, 我们县的实践导师都有谁) wants a person, not the rule about the
role; a question that asks who does something (平台账号是谁给开的, 考核是谁打分) is answered by the role
itself and is left alone here.
"""

from __future__ import annotations

import re

from corpus.text import HAN
from indexer.tokenizer import tagged_words

# A role a person fills, then 是谁 / 都有谁 / 是哪位: the question asks for the person's identity.
# Teachers as such are a group (重点支持的老师是谁 asks which teachers), so only teachers in a role count.
_ROLES = ("专家|指导老师|指导教师|授课老师|授课教师|辅导老师|任课老师|导师|班主任|讲师|管理员|负责人|主讲人|主讲|辅导员|"
          "联系人|组长|授课人")
_ASKS_WHO = re.compile(
    rf"(?P<role>{_ROLES})(?:一般|具体|都|分别|到底|主要|大概)?(?:是|有)(?:谁|哪位|哪几位)(?=[？?，,。！!呢啊呀吗]|$)"
)
_HAN_WORD = re.compile(f"[{HAN}]{{2,}}")
_PRONOUNS = frozenset({"我们", "你们", "他们", "咱们", "这个", "那个", "这些", "那些"})
# The hundred most common surnames: a word jieba tags as a person's name counts only when it starts with one
# (it also tags 师德, 盖章 and 青蓝 as names).
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪"
    "范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)


def asked_person(question: str) -> str:
    """The role whose holder the question asks about (主讲专家, 班主任), or "" when it asks no such thing."""
    m = _ASKS_WHO.search(question)
    if not m:
        return ""
    # The word before the role says which one (主讲专家, 实践导师); 的 or a pronoun says nothing.
    before = [w for w, _ in tagged_words(question[:m.start()])]
    last = before[-1] if before else ""
    kind = last if _HAN_WORD.fullmatch(last) and last not in _PRONOUNS else ""
    return kind + m.group("role")


def names_a_person(text: str) -> bool:
    """Whether the text names someone: a two- or three-character personal name (张明, 李晓红)."""
    return any(flag.startswith("nr") and 2 <= len(word) <= 3 and word[0] in _SURNAMES
               for word, flag in tagged_words(text))
