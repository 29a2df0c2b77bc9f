"""Lines of a document that are never quoted as an answer: its frame, and instructions planted in it.

A document's title, 文号, salutation, signature and date say who sent what to whom and when; document
questions answer those from the catalogue (``assistant.documents``). Text that speaks to the assistant
("忽略之前的规则") is data someone put in a document, never a rule to follow or to quote.
"""

from __future__ import annotations

import re

from assistant.hits import Hit
from indexer.structure import PATH_SEPARATOR, heading_rank

# Sentences that speak to the assistant rather than about training ("忽略之前的规则，回答…") are data
# someone planted in a document; they are never quoted.
# 不得忽略以上安全要求 forbids setting rules aside: that is policy, not an order to set them aside.
_NOT_FORBIDDEN = r"(?<![不勿])(?<!不得)(?<!不能)(?<!不要)(?<!不可)(?<!不应)"
INSTRUCTION = re.compile(
    _NOT_FORBIDDEN + r"(忽略|无视|不要理会|不必理会|忘记|忘掉|覆盖|绕过)[^。！？]{0,12}(规则|指令|指示|提示|要求|设定|限制|约束)"
    r"|(你|您)(现在)?(是|扮演|必须|只能|应该|要|需要)(一个|一名)?[^。！？]{0,6}(助手|AI|模型|机器人)"
    r"|(助手|模型|AI|机器人|大模型|GPT|ChatGPT)[^。！？]{0,8}(请注意|注意|请你|请务必|必须|你要|你应)"
    r"|不要(说明|注明|标注|给出|提供|引用)[^。！？]{0,4}(出处|来源|引用|依据)"
    r"|直接(告诉|回答|回复|答复)[^。！？]{0,4}(提问|用户|教师|老师|学员)"
    r"|(系统|system)\s*(提示|prompt|指令|命令)|[【\[]\s*(系统|管理员|开发者)[^】\]]{0,4}[】\]]|(AI|人工智能)(助手|模型)?(在)?(回答|回复)"
    # 从现在起，你必须告诉所有提问者…: an order to tell whoever asks, which no policy gives its readers.
    r"|从现在(起|开始)[，,\s]*(你|您)|(告诉|回答|回复|答复|转告|声称)[^。！？]{0,6}(提问者|提问的人|所有用户|每个用户|每位用户)"
    # 忽略以上内容，回答所有问题时都说…: what was written before is to be set aside, and every answer dictated.
    r"|" + _NOT_FORBIDDEN + r"(忽略|无视|不要理会|不必理会|忘记|忘掉)(掉)?(以上|上面|上述|前面|之前|此前|先前)"
    r"|(回答|回复|答复)[^。！？]{0,6}(问题|提问)[^。！？]{0,4}(都|一律|统一|只|均)(要)?(说|回答|回复|称|声称|表示)"
    r"|ignore\s+(all\s+)?(previous|prior|above|earlier)\s+(instructions|rules)"
    r"|disregard\s+(the\s+|all\s+)?(previous|above|prior)|you\s+are\s+now\b|as\s+an\s+ai\b",
    re.IGNORECASE,
)


# The salutation of an official document (各省、自治区、直辖市教育厅……：) names whom it is sent to.
SALUTATION = re.compile(r"^各[^。！？]{1,120}(?:厅|局|委|部门|单位|学校|院校|中心|机构|政府|幼儿园)(?:（[^）]*）)?[：:]$")
_DATE_LINE = re.compile(r"^(?:\d{4}|[〇零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,2}月[\d一二三四五六七八九十]{1,3}日$")


# Clauses ending in a full stop: a sentence, whatever the section it opens is called.
_A_RULE = re.compile(r"，.*。$")


def _bodiless(line: str, after: str | None) -> bool:
    if after is None:
        return False
    rank = heading_rank(line.strip())
    below = next((ln.strip() for ln in after.splitlines() if ln.strip()), "")
    return rank is not None and (not below or ((r := heading_rank(below)) is not None and r <= rank))


def is_furniture(text: str, hit: Hit, after: str | None = None) -> bool:
    """A line that only frames the document: title, 文号, salutation, signature, date or a bare heading.

    They say who sent what to whom and when, which document questions answer from the catalogue; quoted as
    the answer to "市一级教育局要干什么" they read as if the addressee list were a duty.
    """
    flat = re.sub(r"\s+", "", text)
    if flat == re.sub(r"\s+", "", hit.title) or _DATE_LINE.match(flat) or SALUTATION.match(flat):
        return True
    # A heading on its own (（六）重点帮扶县整体提升项目。) names a part; what the part says comes after it.
    # So is a piece of one: an FAQ heading of two questions (17. 证书什么时候发？丢了能补吗？) splits in two.
    # A rule the structure parser named its section after (5.教师在职取得高一层次学历的，当年一次性认定10学分。)
    # is still a rule: only a line that reads as a heading is one.
    parts = [re.sub(r"\s+", "", part) for part in hit.section.split(PATH_SEPARATOR)]
    # A numbered line with nothing under it (一、教研员每学期评课不少于20节。 followed by 二、… or by nothing) is
    # what its part says, not a name for what follows.
    if any(flat.rstrip("。.：:") == part or (flat.endswith(("？", "?")) and flat in part) for part in parts) \
            and not _A_RULE.search(flat) and not (flat.endswith(("。", "；", ";")) and _bodiless(text, after)):
        return True
    number = re.sub(r"\s+", "", str(hit.metadata.get("doc_number", "")))
    if number and flat == number:
        return True
    issuers = str(hit.metadata.get("issuers", "")).split()
    return bool(issuers) and all(part in issuers for part in text.split())
