"""What a question asks for: the kind of fact, its unit, its key terms, the years and documents it names.

Everything downstream that must understand the teacher rather than match words starts here: sentence
selection prefers sentences holding the requested kind of fact, the answerability check asks whether any
passage holds it at all, the premise check compares the question's figure only with a figure of the same
kind, and questions about a document itself (its 文号, issuers, date, title) are answered from metadata.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from assistant.facts import (
    UNIT_KINDS,
    Quantity,
    actors,
    bound,
    cycle_length,
    has_contact,
    has_date,
    has_url,
    lead_in,
    listed_items,
    periods,
    quantities,
    table_quantities,
    years,
)
from corpus.text import CJK, HAN
from indexer.bilingual import render
from indexer.thesaurus import synonyms
from indexer.tokenizer import STOPWORDS, lexical_terms, tagged_words, to_simplified, word_frequency


class Asks(StrEnum):
    QUANTITY = "quantity"
    DATE = "date"
    ACTOR = "actor"
    LOCATION = "location"
    CONTACT = "contact"
    DEFINITION = "definition"
    PROCEDURE = "procedure"
    REASON = "reason"
    LIST = "list"
    YESNO = "yesno"
    DOCUMENT = "document"
    OTHER = "other"


# 多少 or 几 asking for a figure. 那几天 and 前几年 point back and 好几个 says "several": none asks anything; nor does
# 几 after 了 (缺了几次课, 请了几天假), which tells what happened.
_ASK_WORD = r"(?:多少|(?<![了那这前后近好头末])几)"

_MEASURED = r"(?:年龄|岁数|教龄|比例|人数|名额|学时|学分|字数|次数|时长|天数|篇数|课时)"

# (kind, pattern) in priority order: the first that matches decides. Chinese and English side by side.
_ASKS: list[tuple[Asks, re.Pattern[str]]] = [
    (Asks.CONTACT, re.compile(r"电话|联系方式|联系人(?!是谁|是哪位|是哪个|叫什么|叫啥)|邮箱|热线|咨询方式|phone|e-?mail|contact", re.I)),
    # 报到哪里, 交给哪儿: where a report or form goes is a body that receives it, not a place.
    (Asks.ACTOR, re.compile(r"(?:报|交|送|递|上报|报送|提交|备案)(?:到|给|至|去)?(?:哪里|哪儿)")),
    (Asks.LOCATION, re.compile(r"网址|网站|网页|链接|域名|登录地址|平台地址|入口在|在哪|哪里|什么地方|何处|什么地点|"
                               r"哪个平台|什么平台|哪个网|\bwhere\b|website|\burl\b|\blink\b", re.I)),
    (Asks.DATE, re.compile(r"什么时候|啥时候|何时|几时|哪天|哪一天|几月|几号|哪年|哪一年|截止|截至|期限|日期|几点|"
                           r"哪几年|从哪年|多久(?:之前|以前|内)|什么时间|^when\b|\bwhen (?:is|are|was|were|do|does|did|will|can|"
                           r"should|must)\b|deadline|what date|which year|"
                           r"what year|by when", re.I)),
    (Asks.ACTOR, re.compile(r"谁|哪(?:几|些)?个?(?:部门|单位|机构)|哪些人|什么人|哪一级|哪级|什么部门|"
                            r"什么单位|什么机构|负责人|\bwho\b|which (?:department|office|body|agency|ministry)",
                            re.I)),
    # 目标有几条, 分几部分: how many items a list has is answered by the list.
    (Asks.LIST, re.compile(r"哪几|哪些方面|几个方面|哪几方面|几条|几大类|几大块|几部分|几个部分", re.I)),
    # 年龄有限制吗, 有没有比例限制: a limit on something measured is asked for as the figure the rule sets.
    (Asks.QUANTITY, re.compile(_MEASURED + r"(?:上)?(?:有没有|有|设|卡)?(?:什么)?限制")),
    (Asks.QUANTITY, re.compile(_ASK_WORD + r"(?!乎|种|类|个方面|项内容)|比例|百分之几|占比|多大|多高|多长|多久|上限|下限|额度|"
                               r"标准是(?!什么|啥|怎样|如何)|how many|how much|how long|what (?:share|percentage|proportion)|"
                               r"percent", re.I)),
    (Asks.DEFINITION, re.compile(r"什么是|是什么意思|指什么|指的是什么|什么叫|含义|啥意思|定义|what (?:is|are|does) .* mean|"
                                 r"^what is\b|meaning of", re.I)),
    (Asks.REASON, re.compile(r"为什么|为何|为啥|原因|目的是|干嘛要|\bwhy\b|purpose", re.I)),
    (Asks.PROCEDURE, re.compile(r"怎么|如何|怎样|流程|步骤|程序|手续|办法是|\bhow (?:to|do|can|should|does)\b",
                                re.I)),
    (Asks.LIST, re.compile(r"哪些|哪几|有什么|有啥|包括|包含|都有|which\b|what (?:are|kinds?|types?)", re.I)),
    (Asks.YESNO, re.compile(r"吗[？?]?$|吗[，,。]|[呗吧][？?]?$|是否|能否|能不能|可不可以|是不是|有没有|要不要|算不算|需不需要|"
                            r"会不会|对吗|对不对|行不行|^(?:is|are|does|do|can|should|must|will)\b", re.I)),
]

_SAID = re.compile(r"有没有(?:提到|提过|提|讲到|讲|说到|说|规定|要求|写|涉及)|(?:提到|提过|讲到|说到|规定|写)(?:了|过)?(?:吗|没有)|"
                   r"(?:里|中|上)(?:也)?有(?:吗|没有)|也有吗|有规定吗|有要求吗")

# A question about a document itself: it names a document and asks for one of its head fields.
_DOCUMENT_WORD = re.compile(r"文件|通知|规划|方案|指南|大纲|问答|解答|办法|细则|说明|条例|手册|纲要|这份|该文|本文|红头|"
                            r"document|notice|plan\b|guide\b|syllabus|faq", re.I)
_DOCUMENT_FIELD: list[tuple[str, re.Pattern[str]]] = [
    # 哪份文件发布最早, 按印发先后排一下: the documents in the order they were issued.
    ("order", re.compile(r"(?:哪份|哪个|哪一份|哪一个|哪篇)[^，。？]{0,12}(?:最早|最晚|最新)|"
                         r"(?:最早|最晚|最新)[^，。？]{0,8}(?:发布|印发|出台|制定|制订)|"
                         r"(?:发布|印发|出台|制定|制订)[^，。？]{0,6}(?:先后|顺序)|which .* (?:earliest|latest|most recent)",
                         re.I)),
    ("number", re.compile(r"文号|字号|发文号|编号|document number", re.I)),
    # 落实/依据哪些文件 asks what a document rests on (it names them), not what the knowledge base holds; 把几份文件
    # 列成表 speaks of several documents without asking how many there are.
    ("list", re.compile(r"(?<!落实)(?<!贯彻)(?<!依据)(?<!根据)(?<!按照)(?<!参照)(?<!执行)(?<!引用)(?<!结合)"
                        r"(?:哪些|什么|多少份|哪几份)(?:文件|资料|文档|材料)|(?:有|共|一共|总共|收录了?)几份(?:文件|资料|文档)|"
                        r"知识库(?:里|中)?(?:有|包括|收录)|各有几份|(?:收|存)(?:了|的|录的)(?:哪些|什么)?(?:文件|资料|文档)|"
                        r"which documents", re.I)),
    ("addressees", re.compile(r"发给(?:谁|哪些|哪几|哪个|哪里)|(?:下发|印发|发送|下达)(?:给|到)(?:谁|哪些|哪几|哪个|哪里)|"
                              r"主送|addressed to|sent to", re.I)),
    ("issuers", re.compile(r"(?:谁|部门|单位|机关|哪家)[" + HAN + r"]{0,4}?(?:印发|发布|出台|颁布|下发|发的|发出|出的|制定|制订)|"
                           r"发文(?:单位|机关|部门)|印发(?:单位|部门)|联合(?:印发|发布|下发)|落款|who issued|"
                           r"(?:部|厅|局|委)(?:联合|一起)?(?:印发|发布|出台|颁布|下发|发)的", re.I)),
    ("date", re.compile(r"(?:什么时候|哪年|哪一年|何时|哪天|几月)(?:印发|发布|出台|颁布|下发|发)|(?:印发|发布|成文)(?:时间|日期)|"
                        r"when was .* issued|issued .*,? and when", re.I)),
    ("title", re.compile(r"标题|全称|名称|叫什么|名字|题目|title", re.I)),
]
# Head fields that name no document word yet can only be a document's: 国培计划的文号 (a 文号 belongs to a
# document), and, of the programme a document sets up, who issued it and when (国培计划是哪个部门出台的): the
# notice that sets it up answers. Bare 发 is left out (国培什么时候发证书 asks about certificates).
_OWN_FIELD: list[tuple[str, re.Pattern[str]]] = [
    ("number", re.compile(r"文号|发文字号|发文号", re.I)),
    ("issuers", re.compile(r"发文(?:单位|机关|部门)|印发(?:单位|部门)")),
]
_PROGRAMME_NAMED = re.compile(r"国培(?:计划)?")
# What a document says as a whole (这个通知主要讲了什么, 省里的规划分几部分): its outline answers, when the
# question names nothing narrower than the document (通知里对学分讲了什么 asks about 学分).
_OVERVIEW = re.compile(r"(?:讲|说|写|规定|包括|包含|涉及)(?:了|的)?(?:些|都)?(?:什么|啥|哪些)(?:内容|东西|事)?[？?。！!]*$|"
                       r"(?:主要|大概|大致|基本)内容|内容(?:是什么|有哪些|都有啥|概要)|(?:哪|几)(?:个)?部分|框架|目录|提纲|"
                       r"概要|梗概|大意|overview|summar|main points|what does .* (?:say|cover)", re.I)
_SAYING_WORDS = "讲 说 写 谈 提 有 是 含 分 包括 包含 涉及 规定"
_SAYING = frozenset(_SAYING_WORDS.split())
_OVERVIEW_DOC = re.compile(r"号文|国培(?:计划)?")
_WHOLE_WORDS = ("内容 部分 框架 结构 目录 提纲 概要 梗概 大意 要点 主要 大概 规定 国家 国家级 省 省里 省级 市 市里 市级 "
                "教育部 财政部 国培 国培计划 faq 文 号文 summary overview main points")
_OVERVIEW_WORDS = frozenset(_WHOLE_WORDS.split())
_PROGRAMME_FIELD: list[tuple[str, re.Pattern[str]]] = [
    ("issuers", re.compile(r"(?:谁|哪个部门|哪些部门|哪个单位|哪几个部门|什么部门|哪家)[" + HAN + r"]{0,4}?"
                           r"(?:印发|发布|出台|颁布|制定|制订|下发)|"
                           # 国培计划是哪个部门发的: a department sends out documents, not certificates.
                           r"(?:哪个部门|哪些部门|哪个单位|哪几个部门|什么部门)[" + HAN + r"]{0,2}?发的|"
                           # 国培计划是教育部单独发的吗: a claim about who issued the notice that sets it up.
                           r"(?:部|厅|局|委)(?:单独|独自|一家|自己|联合|一起|共同)(?:印发|发布|出台|颁布|下发|发)")),
    ("date", re.compile(r"(?:什么时候|哪年|哪一年|何时)(?:印发|发布|出台|颁布|下发)")),
]

_CHOICE = re.compile(r"([^，。？！,.?!；;]+?)还是([^，。？！,.?!；;呢吗]+)")

# A question about the assistant itself (你是谁、你能回答什么): answered with what it does and what it holds.
_ABOUT_US = re.compile(r"(?:你|您)(?:到底|究竟)?是(?:谁|什么|哪位|干什么的|做什么的)|"
                       r"(?:你|您)(?:都|还)?(?:能|可以|会)(?:帮我?们?)?(?:做|干|回答|答|解答|查)(?:些)?(?:什么|啥|哪些)|"
                       r"(?:怎么|如何)(?:用|使用)(?:你|您|这个助手|国培助手)|who are you|what can you (?:do|answer)|"
                       # A chat command typed where there are none (the web console, the CLI): /help, /start.
                       r"^\s*/(?:help|start)\s*$|^\s*(?:帮助|使用帮助|使用说明)\s*$", re.I)

# A message that only greets (你好、在吗) is answered with what the assistant does; one that only thanks or
# acknowledges (谢谢、好的) with a word back. Neither is a question for the knowledge base.
_GREETING = re.compile(r"^(?:(?:老师|助手|国培助手)?(?:你好|您好|早上好|上午好|下午好|晚上好|哈喽|嗨)|在吗|在不在|"
                       r"老师好|助手好|大家好|hello|hi|hey)(?:呀|啊|哇)?[\s,，.。!！~～?？]*$", re.I)
_THANKS = re.compile(r"^(?:(?:谢谢(?:你|您|啦|了)?|多谢|感谢(?:你|您)?|好的|好|嗯|明白了?|知道了|收到|懂了|ok|okay|"
                     r"thanks?(?: you)?)[\s,，.。!！~～]*)+$", re.I)

def is_social(text: str) -> bool:
    """Only a greeting or a thank-you: it stands alone, whatever was said before it."""
    flat = plain_wording(to_simplified(text.strip()))
    return bool(_GREETING.match(flat) or _THANKS.match(flat))


# The years a programme or plan covers (这一轮国培管哪几年): its title says so (（2021—2025年）).
_PERIOD_ASKED = re.compile(r"哪几年|从哪年到哪年|哪年到哪年|哪一年到哪一年|管(?:几|多少)年|覆盖(?:哪些|哪几)年|"
                           r"(?:一共|总共|共|要)(?:实施|开展|执行|搞)?(?:几|多少)年|(?:实施|执行)(?:几|多少)年|"
                           r"实施(?:期|周期|年限)是|起止(?:时间|年份|年限)|到哪一?年|从哪一?年|"
                           r"哪一?年(?:结束|为止|截止|到期|开始|启动|起)|为期(?:几|多少)年|为期多[久长]|which years|what years|what period",
                           re.I)
# When the programme or plan itself ends or starts (国培计划啥时候结束): the when right after its name, so that
# 国培的集中培训什么时候开始 (one phase of one project) is not read as the programme's years.
_PROGRAMME_WHEN = re.compile(r"(?:国培计划|国培|这一?轮国培|这个计划|这个规划|这个方案)(?:是|会|要|将|大概|一般|到底)?(?:在|从|到)?"
                             r"(?:什么时候|啥时候|何时|哪年)(?:才|就)?(?:结束|截止|到期|为止|开始|启动|实施|起)")
# A year the teacher says the programme ends in (这个方案2030年到期): a premise about its period.
PERIOD_END_CLAIMED = re.compile(r"((?:19|20)\d{2})\s*年?(?:底|末)?\s*(?:就)?(?:到期|结束|截止|为止|期满)")
# ... or starts in (国培计划是2020年开始的吧), or a length it says the programme runs (为期三年).
PERIOD_START_CLAIMED = re.compile(r"((?:19|20)\d{2})\s*年?(?:初)?\s*(?:就|才)?(?:开始|启动|起步|实施|开展|起)(?!以后|之后|后)")
PERIOD_LENGTH_CLAIMED = re.compile(r"(?:为期|实施|执行|开展|搞|管|一共|总共|共)(?:了)?([一二两三四五六七八九十\d]{1,2})\s*年(?!级)")
_MONTH_ASKED = re.compile(r"几月|哪个?月|几几月|which month|what month", re.I)
_MONTH = re.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*月(?!份?(?:内|以内|之内))|月(?:底|初|末)|(?:上|中|下)旬")
_YEAR_ASKED = re.compile(r"哪一?年|哪几年|什么年份|几几年|which year|what year", re.I)
_PROGRAMME = re.compile(r"国培|计划|这一轮|本轮|规划|方案|通知|文件|round|programme|program|plan\b|notice", re.I)

# Why a document was issued, or what the programme it sets up is for (国培到底是干啥的, 为啥要发这个通知):
# its preamble says so (为……，制定本规划).
_ISSUED = r"(?:(?:新一轮|这一轮|本轮|这次|新的)?(?:国培计划|国培)|这个?(?:通知|规划|方案|指南|文件)|[^，。？]{0,4}(?:通知|规划|方案|指南|文件))"
_PURPOSE_ASKED = re.compile(
    rf"(?:国培计划|国培|通知|规划|方案|指南|文件)(?:到底|究竟)?是?(?:干啥|干什么|做什么)的|"
    rf"(?:为什么|为啥|为何)要?(?:发|出台|制定|印发|搞|实施|开展|下发){_ISSUED}|"
    rf"(?:搞|发|出台|制定|印发|实施|开展){_ISSUED}[^。？?]{{0,12}}(?:目的|为了什么|图什么)|"
    rf"(?:国培计划|国培|通知|规划|方案|指南|文件)的(?:目的|宗旨|用意)|what is the purpose of|why was .* issued|"
    # 国培计划出台的背景, 文件里说的背景是什么: what the preamble rests on (为深入贯彻……).
    rf"(?:国培计划|国培|通知|规划|方案|指南|文件)[^。？?]{{0,8}}?(?:背景|缘由|由来)|"
    # 国培计划是什么, 什么是国培: the programme asked about as a whole is what its notice sets it up for.
    r"^(?:请问)?(?:什么是|啥是|啥叫|什么叫)(?:国培计划|国培)[？?。!！]*$|"
    r"^(?:国培计划|国培)(?:到底|究竟)?是(?:什么|啥|什么东西|个什么东西?)[？?。!！]*$",
    re.I)

# A unit named right after 多少/几 (多少钱, 几天, 多少学时) must be matched exactly; a unit only implied by
# the topic (多少经费 can be a sum or a share of a budget) accepts related kinds of figure too.
# 占多少, 占总学时多少: a share of something, unless a unit after 多少 says what is counted (各占多少学时).
_SHARE_OF = r"占(?:总|全部|整个)?[^，。？！,?!多几]{0,6}?(?:多少|几)(?!学时|课时|小时|学分|天|人|元|分|节|次|个)"
# A unit written right after the ask word (几天, 多少学分): the teacher named what is counted; it says so before any
# other word does (学分公示几天 asks for days, though it names 学分).
_UNIT_AFTER = re.compile(_ASK_WORD + r"(?:个)?(万元|钱|元|块|学时|课时|小时|学分|岁|天|周|个?月|年|次|回|人|名|位|所|家|门|"
                         r"项|分钟|分|节|篇|期|批|轮|字)")
_UNIT_AFTER_KINDS = {"万元": "money", "钱": "money", "元": "money", "块": "money", "学时": "hours", "课时": "hours",
                     "小时": "hours", "学分": "credits", "岁": "age", "天": "duration", "周": "duration",
                     "月": "duration", "个月": "duration", "年": "duration", "分钟": "duration", "分": "score",
                     "字": "length"}
_STRICT_UNIT = re.compile(_UNIT_AFTER.pattern + r"|" + _SHARE_OF + r"|占比|比例是多少|(?:多大|什么)(?:比例|比重)|占多大|几成|百分之几")
_RELATED_UNITS = {"money": ("money", "percent"), "percent": ("percent", "money"), "duration": ("duration", "hours"),
                  "hours": ("hours", "duration", "credits"), "credits": ("credits", "hours")}
# Unit of the figure asked for, from the words around 多少/几; the first match decides.
_UNIT_ASKED: list[tuple[str, re.Pattern[str]]] = [
    ("duration", re.compile(r"多久|多长时间|how long", re.I)),
    ("percent", re.compile(r"比例|比重|权重|百分|占比|" + _SHARE_OF + r"|几成|%|share|percent|proportion", re.I)),
    # 一篇要写多少字 asks for a length in characters, not how many pieces (不少于4篇).
    ("length", re.compile(r"(?:多少|几)(?:个)?字|几千字|字数|篇幅|how many (?:words|characters)|word count", re.I)),
    ("hours", re.compile(r"学时|课时|小时|hours", re.I)),
    ("credits", re.compile(r"学分|credits?", re.I)),
    ("money", re.compile(r"多少钱|钱|元|费|金额|经费|补贴|补助|津贴|报销|标准是多少|how much|cost|fee|money|yuan", re.I)),
    ("score", re.compile(r"分数|几分|多少分|合格线|及格线|分数线|score|pass mark", re.I)),
    ("age", re.compile(r"年龄|多少岁|几岁|岁数|多大岁|\bage\b|how old", re.I)),
    ("duration", re.compile(r"多久|多长时间|多长|几天|几周|几个月|几年|周期|期限|多少天|how long", re.I)),
    # 培训多少校长和园长, 一个导师带多少学员: how many people of a kind is a head count (6000名, 12人).
    ("count", re.compile(r"多少(?:个|位|名)?(?:校长|园长|校园长|教师|老师|学员|骨干教师|学科带头人|专家|导师|班主任)|"
                         r"多少人|几个人|几人|多少名|人数|几次|多少次|几个|几门|几项|几所|几篇|几节|多少节|几批|几期|几类|几轮|几级|多少级|多少个|"
                         r"how many", re.I)),
]

# Words that only frame a question; they never name what it is about.
_FRAME_WORDS = (
    "时候 什么时候 啥时候 何时 多少 几 哪 哪些 哪个 哪里 谁 怎么 怎么样 怎样 如何 是否 能否 咱们 我们 俺们 你们 大家 "
    "老师 我 自己 请问 问下 问问 想问 知道 了解 清楚 告诉 情况 这种 那种 这样 那样 这次 这轮 这一轮 本轮 一下 一般 "
    "到底 究竟 呀 嘛 啦 哈 吧 得 地 着 过 么 啥 咋 吗 呢 么 一 有 是 个 些 都 能 会 去 来 做 搞 弄 算 行 对 可以 需要 "
    "应该 必须 一定 规定 要求 文件 里 里面 上面 中 说 讲 写 提 提到 什么 样 为什么 为何 为啥 原因 哪天 哪年 几月 "
    "几号 多久 多长 多大 比例 标准 具体 主要 一共 总共 大概 左右 以上 以下 the what how which who when where why "
    "is are do does can should must will a an of to in on for about there any many much per "
    "办法 不会 不能 不准 是从 专门 意思 说法 听说 记得 印象 试试 看到 好像 感觉 觉得 似乎 不太 真的 假的 同事 别人 满足 才能"
)
_FRAME = frozenset(_FRAME_WORDS.split())
# Parts of speech that name what a question is about: nouns, verbs, adjectives, abbreviations, foreign
# words. Adverbs, numerals, pronouns, particles and set phrases (由谁来) only frame it.
_CONTENT_TAGS = ("n", "v", "a", "j", "eng", "i")
_FRAME_PATTERN = re.compile(r"哪|几|这|那|什么|啥|怎|多少|吗|呢")
_DOWNLOAD = re.compile(r"下载|download", re.I)
_APP = re.compile(r"app|客户端|软件|应用程序|\bapplication\b", re.I)
_DOWNLOAD_SOURCE = re.compile(r"应用商店|应用市场|App Store|扫码|扫描|二维码|官网|下载专区|下载中心", re.I)
_WEB = re.compile(r"网址|链接|域名|登录地址|\burl\b|\blink\b|web address", re.I)
_PLACE = re.compile(r"平台|系统|网站|网络|线上|地点|场所|会场|基地|中心|学校|院校|机构|教室|处|室|办公室|在[" + HAN + r"]{1,8}(?:举行|进行|开展|办理)")
# 帮我写一份发言稿 / 替我起草个总结: asked of the assistant, for a text of a kind that is new writing.
_COMPOSE = re.compile(r"(?:帮|替|给|为)(?:我|我们)|请你|你(?:能|可以)?(?:帮|替)")
_COMPOSE_TEXT = re.compile(r"(?:写|起草|拟|撰写|代写|编)(?:一|个|份|篇|段|下)*[^，。？！?]{0,16}?"
                           r"(发言稿|讲话稿|演讲稿|稿子|总结|计划|方案|教案|论文|报告|心得体会|心得|体会|反思|文章|"
                           r"申请书|邮件|作文|评语|致辞|主持词|简报|新闻稿|通知|公告|倡议书|邀请函|感谢信)")
# Or to think up ideas (帮我想几个教研组团建的活动, 给我出几个研讨题目): no document holds them either.
_COMPOSE_IDEAS = re.compile(r"(?:想|出|设计|策划|构思)(?:几个|一些|些|点|个|一下)+[^，。？！?]{0,16}?"
                            r"(活动|点子|主意|创意|题目|游戏|标题|口号|名字|课题|选题|环节)")
# 我是村小的数学老师, 本人在乡镇中学教英语: the teacher says who they are. A clause that asks (我是不是…,
# 我能…吗) says more than that.
_SELF_TOLD = re.compile(r"(?:我|本人)(?:现在|目前|今年|已经|刚)?(?:是|在|教|当|任|担任)")
_ASKING = re.compile(r"[吗么呢？?]|能不能|是不是|可不可以|有没有|怎么|什么|多少|几|哪|谁")
_ELIGIBILITY_ASKED = re.compile(r"(?:能|可以|能够|可不可以|能不能|有资格|也能|还能)(?:报名)?(?:参加|参训|报名|报)(?:[^，。？?几多哪]{0,8}?(?:国培|培训|项目|班|研修|计划))?(?:吗|么|呢|[？?]|$)"
                                r"|(?:有没有|有无|够不够|具备)(?:参[加训]的?)?资格|符合(?:什么|哪些|啥)?条件|收不收|轮得到|有(?:没有)?(?:我|我们|咱们?)?的?份")
# A passage that says whom a training is for: 面向…教师, 重点支持…教师 (whom a project is for), 培训对象, 参训条件, an age or seniority limit.
_ELIGIBILITY_STATED = re.compile(r"(?:面向|重点支持)[^，。；]{0,30}(?:教师|校长|园长|老师|培训者)|(?:培训|参训|招收|遴选)对象|参训条件|报名条件|"
                                 r"可以参加|不超过\d+周岁|教龄\d+年")


def states_eligibility(text: str) -> bool:
    """Says whom a training is for: what answers 我能参加吗, whoever 我 is."""
    return _ELIGIBILITY_STATED.search(text) is not None


_DOC_TERMS = re.compile(r"^(?:文件|通知|规划|方案|指南|大纲|问答|解答|答疑|文号|文档|资料)$")


@dataclass(frozen=True)
class Question:
    text: str  # simplified Chinese
    asks: Asks
    unit: str | None = None  # for QUANTITY: percent, money, hours, credits, score, duration, count
    strict_unit: bool = False  # the unit was named (多少钱), not implied (多少经费)
    # For DOCUMENT, every head field asked for, the main one first: number, addressees, issuers, date, period,
    # purpose, title, list.
    document_fields: tuple[str, ...] = ()
    focus: tuple[str, ...] = ()  # key terms: what the question is about
    # The text's words with their part of speech (jieba), read once here for every layer that needs them.
    tagged: tuple[tuple[str, str], ...] = ()
    terms: tuple[str, ...] = ()  # all lexical terms (for retrieval-style coverage)
    years: tuple[int, ...] = ()
    periods: tuple[tuple[int, int], ...] = ()
    figures: tuple[Quantity, ...] = field(default_factory=tuple)  # figures the question itself states
    yesno: bool = False  # phrased as a yes/no question (may also ask for a figure: 是5%吗)
    cross_lingual: bool = False
    # For a cross-lingual question rendered in the knowledge base's words (``bridged``): each key term with
    # the other Chinese words its English may stand for, which count wherever the term itself would.
    renderings: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # A request to write a new text (帮我写一份家长会发言稿) or think up ideas (帮我想几个活动): the kind of text,
    # which no quote can be, and what doing it is called in the refusal (代写, 构思).
    compose: str = ""
    compose_verb: str = "代写"

    def alternatives(self) -> dict[str, tuple[str, ...]]:
        return {t: alts for t, alts in self.renderings if alts}

    @property
    def choice(self) -> tuple[str, str] | None:
        """The two alternatives of an either-or question, as written: 开卷 / 闭卷 in 结业考试是开卷还是闭卷,
        培训机构的老师 / 我们本地的 in 是培训机构的老师还是我们本地的？"""
        m = _CHOICE.search(self.text)
        if not m:
            return None
        left, right = m.group(1).rsplit("是", 1)[-1].strip(), m.group(2).strip()
        return (left, right) if left and right else None

    @property
    def document_field(self) -> str | None:
        return self.document_fields[0] if self.document_fields else None

    @property
    def names_programme_only(self) -> bool:
        """Names the programme (国培计划的文号) but no document: the document that sets it up is meant."""
        return bool(_PROGRAMME_NAMED.search(self.text)) and not _DOCUMENT_WORD.search(self.text)

    @property
    def says_document(self) -> bool:
        """Speaks of a document (这份通知, 省里的方案, 文件): one is meant, whichever it is."""
        return bool(_DOCUMENT_WORD.search(self.text))

    @property
    def asks_if_said(self) -> bool:
        """Asks whether a document says something at all (国家通知里有没有提到送教下乡, 国家文件也有吗)."""
        return bool(_SAID.search(self.text))

    @property
    def checks_figure(self) -> bool:
        """A yes/no question about a figure the teacher states (是按10%吗, 那就是60分及格呗): the answer is
        the sentence with a figure of that kind."""
        return self.asks == Asks.YESNO and bool(self.figures)

    @property
    def asks_eligibility(self) -> bool:
        """Asks who may take part (民办学校的老师能参加国培吗, 我不是骨干也能报吗, 有没有资格): whoever the teacher
        says they are, the answer is the passage that says whom the training is for."""
        return bool(_ELIGIBILITY_ASKED.search(self.text))

    @property
    def self_told(self) -> frozenset[str]:
        """Key terms of a clause in which the teacher says who they are (我是村小的数学老师，国培我能报名吗): asked
        whether they may take part, their circumstance, which no document need name for the answer (whom the
        training is for). Asked whether it counts as something (我在乡镇中心校，算不算乡村教师), it is the topic."""
        told = [c for c in clauses(self.text) if _SELF_TOLD.match(c) and not _ASKING.search(c)]
        return frozenset(t for c in told for t in lexical_terms(c)) & frozenset(self.focus)

    @property
    def circumstance(self) -> frozenset[str]:
        """What the teacher says of themselves when asking whether they may take part: no document need name it
        to say whom a training is for (empty for any other question)."""
        return self.self_told if self.asks_eligibility else frozenset()

    @property
    def wants_fact(self) -> bool:
        """Asks for a specific fact that a sentence either holds or does not."""
        return self.asks in (Asks.QUANTITY, Asks.DATE, Asks.LOCATION, Asks.CONTACT)


_CJK = CJK


# Where money or a rule comes from (经费从哪里来, 钱从哪儿出) asks for a source, and where two things differ
# (哪里不一样) for a difference: neither is a place or an address.
_SOURCE = re.compile(r"从哪(?:里|儿)?(?:来|出|拨|支)|哪(?:里|儿)?来的")
_DIFFERENCE = re.compile(r"(?:有)?哪(?:里|儿)(?:不一样|不同|有区别|有差别|有差异)")


# 怎么查自己攒了多少学分 asks how to look a figure up, not for the figure.
_LOOKUP = re.compile(r"(?:怎么|怎样|如何)(?:才能|能|可以|去)?(?:查|看到|知道|了解|确认|核对)")


def _asks(text: str) -> Asks:
    text = _DIFFERENCE.sub("区别", _SOURCE.sub("来源", text))
    if _LOOKUP.search(text):
        return Asks.PROCEDURE
    for kind, pattern in _ASKS:
        if pattern.search(text):
            return kind
    return Asks.OTHER


# 按什么比例折学分 asks for a conversion rate (每十学时折算一学分), which teachers call a 比例 too.
_CONVERSION = re.compile(r"折算|折成|折合|折学分|换算|抵扣|抵多少|换(?:成|取)?(?:一|1|几|多少)个?学分")


def unit_named(q: Question) -> str:
    """The unit the question writes right after 多少 / 几 (几次 → 次, 多少学分 → 学分), or empty."""
    named = _UNIT_AFTER.search(q.text)
    return named.group(1) if named else ""


# 学分每年要拿多少分: in a question about credits, 分 counts credits unless a mark is meant (考多少分及格).
_MARKED = re.compile(r"考|及格|合格|优秀|总评|成绩|满意|评分|打分|权重|得分")


# 每人补多少, 人均多少: a sum per head.
_PER_HEAD = re.compile(r"(?:每人|人均|每位|每个人|一个人|每名|每个(?:老师|教师|学员|校长|园长))[^，。？！,?!]{0,8}(?:多少|几)")


# 拿出/花/投入/安排多少钱: what one spends out of one's own budget, not a price or a sum paid to someone
# (能拿多少钱 receives it).
_BODY_SPENDS = re.compile(r"(?:拿出|花|投入?|安排|掏出?)多少(?:钱|经费|资金)|拿多少钱(?:出来|搞|办|用于|用在|做)")
# 每人每天50元, 人均300元: a sum per head or per day, which is no answer to what a body spends in all.
_PER_HEAD_SUM = re.compile(r"(?:每人|人均|每名|每位|每天|每日)[^，。；]{0,6}$")


# 那一项占多少分: the weight of one part of an assessment, which a table gives as a share (校本实践成果 | 40%).
_WEIGHT_ASKED = re.compile(r"占[^，。？！,?!]{0,4}多少分")


def _unit(text: str) -> str | None:
    after = _UNIT_AFTER.search(text)
    if after:
        if after.group(1) == "分" and "学分" in text and not _MARKED.search(text):
            return "credits"
        if after.group(1) == "分" and _WEIGHT_ASKED.search(text):
            return "percent"
        return _UNIT_AFTER_KINDS.get(after.group(1), "count")
    for unit, pattern in _UNIT_ASKED:
        if pattern.search(text):
            if unit == "percent" and _CONVERSION.search(text) and not re.search(r"%|百分|占比|占多少", text):
                return None
            return unit
    return None


# A teacher's words for their pay.
_PAY = r"(?:绩效工资|工资奖金|绩效|工资|奖金|津贴)"
# How teachers say what documents write in one word: 县一级 for 县级, 新课标 for 新课程标准. Neither the
# tokenizer nor the thesaurus joins them (县 + 一级 is not 县级), so the question is read in the documents' words.
_SPOKEN: list[tuple[re.Pattern[str], str]] = [
    # 换个话题，学分银行是什么意思: how the teacher moves on says nothing of what they ask (its 话题 made the
    # answer read as off the question).
    (re.compile(r"^(?:(?:换|再换)(?:一)?个(?:话题|问题)|(?:还有|另外还有|再问)(?:一)?个问题|顺便问(?:一下|下)?|"
                r"(?:我)?(?:想|再)问(?:一下|下)|请问(?:一下)?|另外)[，,：:。；;！!\s]+"), ""),
    (re.compile(r"([国省市州县区乡镇村校])一级"), r"\1级"),
    # 报名卡不卡年龄: whether a rule limits something measured (年龄有没有限制).
    (re.compile(r"卡不卡(" + _MEASURED + r")?"), lambda m: (m.group(1) or "") + "有没有限制"),
    # 县里有什么要求: the documents say 县级 (落实县级责任). 省里 and 市里 stay: they name the provincial plan and the
    # city guide, and read as 省级, 市级 they matched every 省级统筹 (dev: recall@1 0.774 -> 0.770).
    (re.compile(r"县里(?![面头边])"), "县级"),
    (re.compile(r"(?<!程)课标"), "课程标准"),
    (re.compile(r"必须学(?:习)?(?=的|哪些|什么|内容|课程)"), "必修"),
    (re.compile(r"混(?:着|在一起)(?=来|上|搞|办|学|进行|开展)"), "混合"),
    (re.compile(r"(?<![居宿])住(?=在?(?:哪|什么地方|啥地方))"), "住宿"),
    # 回学校实践那个阶段, 回到自己学校那一段: the documents call the stage back at one's own school 校本实践.
    (re.compile(r"回(?:到)?(?:自己的?|本)?(?:学校|校)(?=实践|那一?段|那个阶段|这一?段|的那一?段)(?:实践)?"), "校本实践"),
    # 第一个模块, 第三阶段: the documents number their parts after the name (模块一, 阶段三).
    (re.compile(r"第([一二三四五六七八九十])个?(模块|专题|板块)"), r"\2\1"),
    # 县教育局管哪些事: the documents give a level's 职责 (（三）县级职责) and call the bureau 县级教育行政部门.
    (re.compile(r"(?:管|负责)(哪些|什么|啥)(?:事情?|工作|活儿?)?(?=[？?。，,！!]|$)"), r"有\1职责"),
    # 学校要负什么责, 导师要干哪些活, 市级教育局要干什么: what a body or a role must do is its 职责.
    # 回学校要干啥 is what one does back at school, not the school's duties: a place after 回/到/在/去 is no body.
    (re.compile(r"负(哪些|什么|啥)责|干(哪些|什么|啥)活儿?|(?<![回到在去][学本母]校)(?<![回到在去]校)(?<=[局校构师级])要干(什么|啥)"),
     lambda m: f"有{m.group(1) or m.group(2) or m.group(3)}职责"),
    (re.compile(r"(?<![省市县区级])([省市县])(?=教育局|教育厅|教体局)"), r"\1级"),
    # 这门课是给哪些老师上的: whom a course is given to is its 培训对象 (培训对象：某省项目县乡村小学语文教师…).
    (re.compile(r"(?:是)?(?:给|对|针对)(?:哪些|哪类|什么样?的?|啥样?的?)(?:老师|教师|人)(?:上|开|办|讲)的?"), "培训对象是哪些教师"),
    # 国培的钱从哪里来, 那省里办的培训钱又是从哪来: the money of a programme is its 经费.
    (re.compile(r"(?<![交花赚])钱(?=(?:又|都|是|还|到底)*(?:从|由|来自|哪))"), "经费"),
    # 临时去不了, 被选上之后想退出: the documents say 因故不能参加 (须在开班前5个工作日…书面说明).
    (re.compile(r"(?:临时)?(?:去不了|来不了|参加不了)|(?:想|要|申请)?退出(?=培训|项目|国培|吗|可以|行|[？?，,]|$)"), "不能参加"),
    # 推荐读哪几本书: the documents list 书目 (七、推荐阅读书目); 几本书 is one word to the tokenizer.
    (re.compile(r"哪几本书|哪些书(?!目)|什么书(?!目)"), "哪些书目"),
    # 学校换个人补上: a place given up goes to the next one selected (由县里按遴选顺序递补).
    (re.compile(r"(?:换个?人|另找人|找人|换别人)(?:补上|顶上|补进来|替补上?|替上)"), "递补"),
    # 会不会扣我绩效, 班主任津贴会不会停发: a teacher's pay, which the documents call 工资福利待遇.
    (re.compile(r"(?:扣|停发|少发|停)(?:我的?)?" + _PAY), "影响工资福利待遇"),
    (re.compile(_PAY + r"(?=(?:会不会|会|还|能不能|能)?(?:被)?(?:扣|停发|少发|照发|停))"), "工资福利待遇"),
]


# 一天补多少钱, 一年能参加几次: "one day" is what the amount asked for is counted per, not a figure stated; so is
# the one of a rate the question states (一天按8学时算对吗).
_PER_ASKED = re.compile(r"^[^，。？！,.?!]{0,6}?(?:多少|几)|^(?:按|算|计|折合|合)")


def per_asked(q: Quantity, text: str) -> bool:
    """一天 in 一天补多少钱 or 一天最多算几个学时: what the figure asked for is counted per, not a figure stated."""
    at = text.find(q.text)
    return q.text.startswith("一") and at >= 0 and bool(_PER_ASKED.match(text[at + len(q.text):]))


_NUMBERED = re.compile(r"(?:模块|专题|板块)[一二三四五六七八九十]{1,2}|第[一二三四五六七八九十百]{1,3}条")


def plain_wording(text: str) -> str:
    """``text`` (simplified Chinese) with spoken forms replaced by the documents' words."""
    for pattern, repl in _SPOKEN:
        text = pattern.sub(repl, text)
    return text


# A directional complement (交上去, 出来) says which way, not what about.
_DIRECTIONAL = re.compile(r"^[" + HAN + r"]?[上下进出回过起开]?[来去]$|^[进出]去$|^出来$")


def _fused(word: str) -> bool:
    """A segmentation artefact rather than a word the question is about: a modal fused with the verb after it
    (能录, 要学, 能报: 能 + 录, words no dictionary holds) or a verb with its directional complement (交上去)."""
    if len(word) == 2 and word[0] in "能要会可" and word_frequency(word) < 10:
        return True
    return len(word) <= 3 and bool(_DIRECTIONAL.match(word))


def analyse(question: str) -> Question:
    """Read a (contextualised) question once; pure and cheap, so every layer can call it."""
    text = plain_wording(to_simplified(question.strip()))
    asks = _asks(text)
    # 匿名评价是结业前填还是结业后填？给几天时间？ asks first which of two: a figure asked after it is secondary.
    first = re.split(r"[？?]", text, maxsplit=1)[0]
    if first != text and _CHOICE.search(first) and _asks(first) != asks:
        asks = _asks(first)
    yesno = bool(_ASKS[-1][1].search(text))
    # 谁发的、什么时候发的 asks two head fields at once; each is answered.
    fields = tuple(name for name, pattern in _DOCUMENT_FIELD if pattern.search(text)) \
        if _DOCUMENT_WORD.search(text) else ()
    if not fields:
        own = [*_OWN_FIELD, *(_PROGRAMME_FIELD if _PROGRAMME_NAMED.search(text) else [])]
        fields = tuple(name for name, pattern in own if pattern.search(text))
    if not fields and _OVERVIEW.search(text):
        # The words before the document's name are its name (校本研修指南); any content word after it
        # (通知里对学分讲了什么) narrows the question to a topic.
        # A clause before the document (新教师培养这块，市里指南说了啥) is a topic too.
        matches = [*_DOCUMENT_WORD.finditer(text), *_OVERVIEW_DOC.finditer(text)]
        first = min((m.start() for m in matches), default=0)
        after = [w.lower() for w, flag in tagged_words(text[max(m.end() for m in matches):])
                 if flag.startswith(_CONTENT_TAGS)] if matches else None
        if after is not None and not re.search(r"[，,。；;？?！!]", text[:first]) and all(
                w in _OVERVIEW_WORDS or w in _SAYING or _DOC_TERMS.match(w) or w in _FRAME for w in after):
            fields = ("outline",)
    if _PURPOSE_ASKED.search(text):
        fields = ("purpose", *(f for f in fields if f != "purpose"))
    about_period = ((_PERIOD_ASKED.search(text) or _PROGRAMME_WHEN.search(text)) and not years(text)) \
        or PERIOD_END_CLAIMED.search(text) \
        or (yesno and (PERIOD_START_CLAIMED.search(text) or PERIOD_LENGTH_CLAIMED.search(text)))
    if about_period and (_PROGRAMME.search(text) or _DOCUMENT_WORD.search(text)):
        fields = ("period", *fields)
    if _GREETING.match(text):
        fields = ("greeting",)
    elif _ABOUT_US.search(text):
        fields = ("self",)
    elif _THANKS.match(text):
        fields = ("thanks",)
    if fields:
        asks = Asks.DOCUMENT
    # A figure the question states (是按10%吗) makes it a yes/no check, not a request for a figure.
    figures = tuple(q for q in quantities(text) if q.kind not in ("year", "month", "day") and not per_asked(q, text))
    if asks == Asks.QUANTITY and figures and yesno:
        asks = Asks.YESNO
    if asks == Asks.QUANTITY and yesno and _few_told(text):
        asks = Asks.YESNO
    unit = _unit(text) if asks == Asks.QUANTITY else None
    # 每人补多少 asks for a sum per head, which no share of a budget (补助资金的70%) can be.
    # 学校每年得拿多少钱出来 asks what a body must spend, which a share of its budget (公用经费的5%) does say.
    named = _STRICT_UNIT.search(text)
    if named and unit == "money" and _BODY_SPENDS.search(text) and not _PER_HEAD.search(text):
        named = None
    strict_unit = bool(unit and (named or (unit == "money" and _PER_HEAD.search(text)))
                       and not _WEIGHT_ASKED.search(text))
    either = _CHOICE.search(text)
    if unit and either and len({_unit(side) for side in either.groups()} - {None}) == 2:
        unit, strict_unit = None, False  # 要挑够几门还是几个学时: a figure in either unit answers
    # 模块一, 第三条: a numbered part is named by its number, which the tokenizer splits off (模块 / 一要).
    numbered = tuple(dict.fromkeys(_NUMBERED.findall(text)))
    terms = (*lexical_terms(text), *numbered)
    tagged = tuple(tagged_words(text))
    focus = tuple(dict.fromkeys(
        w.lower() for w, flag in tagged
        if flag.startswith(_CONTENT_TAGS) and w.lower() not in _FRAME and not _FRAME_PATTERN.search(w)
        and not _DOC_TERMS.match(w) and (len(w) >= 2 or not _CJK.search(w))
        and w.lower() in terms and not re.search(r"\d", w) and not _fused(w)
    )) + numbered
    wanted = _COMPOSE_TEXT.search(text)
    asked_of_us = wanted and (wanted.group(0).startswith("代写") or _COMPOSE.search(text[:wanted.start()]))
    compose = wanted.group(1) if wanted and asked_of_us else ""
    ideas = None if compose else _COMPOSE_IDEAS.search(text)
    if ideas and _COMPOSE.search(text[:ideas.start()]):
        compose, compose_verb = ideas.group(1), "构思"
    else:
        compose_verb = "代写"
    return Question(text=text, asks=asks, unit=unit, strict_unit=strict_unit, document_fields=fields,
                    focus=focus, tagged=tagged, terms=terms, years=tuple(years(text)), periods=tuple(periods(text)), figures=figures, yesno=yesno,
                    cross_lingual=not _CJK.search(text), compose=compose,
                    compose_verb=compose_verb)


def asking_as(joined: Question, own: Question) -> Question:
    """``joined`` (a follow-up read with the conversation's topic) asking what ``own`` (the teacher's own words)
    asks, when those words ask something of their own: after 学分 questions, 乡村教师每年能参加几次 wants a count,
    not credits; 那线下呢 asks nothing of its own and keeps what the topic asked."""
    if own.asks == Asks.OTHER and own.unit is None:
        return joined
    # 那线上是多少 names no unit: the topic's (学时) still says what is counted.
    unit, strict = (own.unit, own.strict_unit) if own.unit or own.asks != joined.asks else (joined.unit, joined.strict_unit)
    return replace(joined, asks=own.asks, unit=unit, strict_unit=strict, yesno=own.yesno, figures=own.figures,
                   document_fields=own.document_fields)


def bridged(q: Question, frequency: Callable[[str], int]) -> Question:
    """A question in English, with its content words rendered as the Chinese words the knowledge base uses.

    ``frequency`` counts the passages that use a Chinese word. Each English word or phrase becomes one key
    term: its most used rendering, with the others as alternatives; a word the knowledge base has no
    rendering for stays English, so it counts as a key term the knowledge base never uses (guitar, Python).
    Questions with Chinese in them are returned as they are.
    """
    if not q.cross_lingual:
        return q
    def used(word: str) -> int:  # question scaffolding (需要, 多少) never stands for what it is about
        return 0 if word in _FRAME or word in STOPWORDS or _FRAME_PATTERN.search(word) else frequency(word)

    renderings: dict[str, list[str]] = {}
    for r in render(q.text, used):
        if _DOCUMENT_WORD.fullmatch(r.english):
            continue  # "the notice", like 通知, says where to look, not what about (the catalogue reads it)
        term = r.chinese[0] if r.chinese else r.english
        alts = renderings.setdefault(term, [])
        alts.extend(c for c in r.chinese[1:] if c not in alts and c != term)
    focus = tuple(renderings)
    return replace(q, focus=focus, terms=focus,
                   renderings=tuple((t, tuple(a for a in alts if a not in renderings)) for t, alts in renderings.items()))


def _figures(text: str, header: str = "") -> list[Quantity]:
    """Every figure in ``text``; a table row's take their units from its heading row ``header``."""
    return quantities(text) + (table_quantities(header, text) if header else [])


def asked_figures(q: Question, text: str, header: str = "") -> list[Quantity]:
    """The figures in ``text`` of the kind a quantity question asks for (any figure if it names no unit)."""
    found = [f for f in _figures(text, header) if f.kind not in ("year", "month", "day")]
    # 一个周期是几年: 学分在一个周期内有效 names the span asked about; it does not measure it.
    found = [f for f in found if not (f.names_span and "周期" in q.text)]
    if q.unit is None:
        return found
    kinds = (q.unit,) if q.strict_unit else _RELATED_UNITS.get(q.unit, (q.unit,))
    timed = q.unit in ("duration", "hours")
    found = [f for f in found if f.kind in kinds or (timed and f.of_time)]
    # 讲几分钟 is not answered by 不少于10天, nor 几天 by 每45分钟: minutes and days measure different things.
    named = unit_named(q) if q.unit == "duration" else ""
    if named == "分钟":
        found = [f for f in found if f.unit in ("分钟", "小时")]
    elif named:
        found = [f for f in found if f.unit != "分钟"]
    # 多少家机构 counts bodies, which neither 15万人次 nor 四个等次 does: a count named by its counter takes figures of
    # that counter's kind or of none, never another's; bodies are counted by a bare 个 only when what follows is the
    # thing counted (3个机构), while 只参加1个项目 does say how many times (几次).
    counter = _COUNTERS.get(unit_named(q), "") if q.unit == "count" else ""
    if counter:
        found = [f for f in found if _counts_as(f, counter, counted_noun(q), text)]
    # 学校每年要拿出多少经费 is not answered by a sum per head (交通费按每人每天50元标准补助).
    if q.unit == "money" and _BODY_SPENDS.search(q.text) and not _PER_HEAD.search(q.text):
        found = [f for f in found if f.kind != "money" or not _PER_HEAD_SUM.search(text[:max(0, text.find(f.text))])]
    # 培训要多久 is not answered by 教龄8年以上: a length of someone's service measures the teacher, not the training.
    if q.unit == "duration" and not _SERVICE.search(q.text):
        found = [f for f in found if not _SERVICE_BEFORE.search(text[:max(0, text.find(f.text))])]
    return found


# What a counter counts: people, bodies, occasions. 个 counts anything, so it is in no group.
_COUNTERS = {**dict.fromkeys(("人", "名", "位", "人次", "万人", "万名", "万人次"), "people"),
             **dict.fromkeys(("所", "家"), "bodies"), **dict.fromkeys(("次", "回", "期", "批", "轮"), "occasions")}
def _counts_as(figure: Quantity, counter: str, noun: str, text: str) -> bool:
    if figure.unit in _COUNTERS:
        return _COUNTERS[figure.unit] == counter
    if figure.unit != "个" or counter != "bodies":
        return True
    return bool(noun) and text[text.find(figure.text) + len(figure.text):].startswith(noun)


_SERVICE = re.compile(r"教龄|工龄|任教|从教|服务期|年龄")
_SERVICE_BEFORE = re.compile(r"(?:教龄|工龄|任教|从教|服务期)[^，。；、]{0,3}$")


def figure_frame(text: str, figure: Quantity) -> str:
    """``rate`` for a figure read per that many units (每8学时折算1学分, 每完成12学时, 每学时8元), else
    ``amount`` (每学年不少于72学时 is a yearly amount)."""
    at = text.find(figure.text)
    return "rate" if at > 0 and "每" in text[max(0, at - 3):at] else "amount"


_HOW_SOON = re.compile(r"(?:多久|多长时间)(?:以后|之后|后)?(?:能|才能|可以|才|就|会)?[^，。？！,?!]{0,3}"
                       r"(?:发|拿|领|下来|到手|查|出来|公布|公示|登记|录入|收到)")
_DATE_SPAN = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:至|到|—|–|-|~|～)\s*(?:(?:19|20)\d{2}\s*年)?\s*(?:\d{1,2}\s*月)?"
                        r"\s*\d{1,2}\s*日")
_AT_EVENT = re.compile(r"(?:结业|开班|报到|结束|考核|培训)(?:时|当天|当场)|当场|当天")
_HOW_LONG = re.compile(r"多久|多长")
_NONE_PAID = re.compile(r"(?:不得|不再|不予|不另|无需|不需|不收取?|免收|免费|不得以任何名义)[^，。；]{0,12}"
                        r"(?:补贴|补助|收费|费用|发放|补发|报销|交费|缴费|收取|列支)|免费")


def says_none_paid(q: Question, text: str) -> bool:
    """``text`` says that what the question asks the amount of is not paid at all (不得…发放参训教师补贴 for
    国培补贴每天多少钱): a word of the question's own is in the clause ruling the payment out, not merely in the
    sentence (培训机构不得以任何名义向参训教师收费 rules out fees, whatever else it says of 国培)."""
    for m in _NONE_PAID.finditer(text):
        clause = text[m.start():m.end() + 8]  # 不得…发放 | 参训教师补贴: the thing not paid follows the verb
        if any(w in clause for t in q.focus if len(t) >= 2 for w in (t, *synonyms(t))):
            return True
    return False


def figure_keys(q: Question, text: str, header: str = "") -> set[tuple[str, str]]:
    """What kinds of figure ``text`` gives for a quantity question: (rate or amount, unit). Two sentences
    answer alike only when they share one: 每十学时折一学分 and 每12学时折1学分 do, 每12学时 and 不少于48学时 do not."""
    return {(figure_frame(text, f), f.kind) for f in asked_figures(q, text, header)}


# A programme, policy or document the question names: in quotes (“强师计划”, 《教师法》) or by a name ending in
# what it is (双减政策, 县管校聘改革). Whether the knowledge base speaks of it is the retriever's to say.
_QUOTED_NAME = re.compile(r"[“\"「《]([^”\"」》]{2,12})[”\"」》]")
_POLICY_KIND = frozenset({"政策", "计划", "工程", "条例", "改革", "行动"})


def named_things(text: str, tagged: Sequence[tuple[str, str]] | None = None) -> list[str]:
    """Names of programmes, policies and documents in ``text``: what is quoted, and the word right before a
    word for a policy (双减 in 双减政策). ``tagged`` is ``text`` already tagged (a Question carries it)."""
    tagged = list(tagged_words(text) if tagged is None else tagged)
    names = list(_QUOTED_NAME.findall(text))
    for i, (word, _) in enumerate(tagged):
        if word not in _POLICY_KIND:
            continue
        # The tokens right before it, back to the first of two or more characters (双 + 减, 县管校 + 聘).
        name = ""
        for prev, flag in reversed(tagged[:i]):
            if not re.fullmatch(f"[{HAN}]+", prev) or flag.startswith(("u", "p", "c", "r", "y")) \
                    or len(name) + len(prev) > 6:
                break
            name = prev + name
            if len(prev) >= 2:
                break
        if len(name) >= 2:
            names.append(name)
    return list(dict.fromkeys(names))


_UNIT_WORDS = frozenset(u for u, _ in UNIT_KINDS)
_WITHIN = re.compile(r"(?:几|多少)(?:个)?(?:年|月|个月|天|周)(?:之内|以内|内)|多久(?:之内|以内|内)|多长时间(?:之内|以内|内)")
# 多久评估一次 asks how often: 每学年…一次, 年度绩效评价 answer it; 30日内 or 不少于6个月 do not.
_HOW_OFTEN = re.compile(r"(?:多久|多长时间|几年|几个月|几周)[^，。？！,?!]{0,6}一(?:次|回)|频率|多频繁")
_FREQUENCY = re.compile(r"每(?:个)?(?:[两二三四五六七八九十\d]{1,2}个?)?(?:学年|年度|年|学期|季度|月|周|天)|年度|一年一次|定期")
# 最多能认定多少学分 asks for a limit: a figure given without one (每10学时折算1学分) is a rate, not the cap, and
# 每学年不少于6学分 is a floor. 哪个模块学时最多 asks which item is largest, and any figure answers that.
_ASKS_FIGURE = re.compile(_ASK_WORD + r"|多久|多长")
_AT_MOST_ASKED = re.compile(r"最多|至多|上限|封顶|最高")
_AT_LEAST_ASKED = re.compile(r"最少|至少|下限|最低")
_COMPARED = re.compile(r"(低于|高于|超过|不足|少于|多于|不到|达到)(?:多少|几)")
_COMPARED_AS = {"低于": ("低于", "不足", "不到"), "不足": ("低于", "不足", "不到"), "不到": ("低于", "不足", "不到"),
                "少于": ("少于", "低于", "不足"), "高于": ("高于", "超过"), "超过": ("超过", "高于"),
                "多于": ("多于", "超过"), "达到": ("达到",)}


# A clause and the mark that closes it (empty at the end of the text).
_CLAUSE_WITH_END = re.compile(r"([^，。？！,?!；;]+)([，。？！,?!；;]?)")


def _few_told(text: str) -> bool:
    """平台上同时开几个视频一起播，学时会不会都算: 几 in a clause that tells, before the clause that asks yes or no,
    means a few and asks no figure. A clause ending in a question mark (要交几张照片？) asks the figure itself."""
    parts = _clauses_with_ends(text)
    asking = [i for i, (c, _) in enumerate(parts) if _ASKS[-1][1].search(c)]
    counted = [i for i, (c, _) in enumerate(parts) if re.search(_ASK_WORD, c)]
    return bool(asking and counted) and max(counted) < min(asking) and all(
        "多少" not in parts[i][0] and parts[i][1] not in ("？", "?") for i in counted)


def _clauses_with_ends(text: str) -> list[tuple[str, str]]:
    return [(c.strip(), end) for c, end in _CLAUSE_WITH_END.findall(text) if c.strip()]


def clauses(text: str) -> list[str]:
    """The clauses of a question, as the teacher punctuated them (学分是几年一个周期 / 每年最少要拿多少分)."""
    return [c for c, _ in _clauses_with_ends(text)]


def limit_asked(q: Question) -> str:
    """上限 for a question asking a maximum (最多能认定多少学分), 下限 for a minimum (至少要几学时), else empty.
    Of a question in several clauses, the clause that asks the figure decides (学分是几年一个周期，每年最少要拿多少分
    asks first for a plain number of years)."""
    if "哪" in q.text:
        return ""
    clause = next((c for c in clauses(q.text) if _ASKS_FIGURE.search(c)), q.text)
    return "上限" if _AT_MOST_ASKED.search(clause) else "下限" if _AT_LEAST_ASKED.search(clause) else ""


def _limited_figures(q: Question, text: str, figures: list[Quantity]) -> list[Quantity]:
    """The figures ``text`` gives as the kind of limit ``q`` asks for (最多 → 不超过50人, 2天以内; 至少 → 不少于6学分,
    8年以上; 低于多少 → 低于85%); all of them when ``q`` asks for no limit."""
    limit = limit_asked(q)
    compared = _COMPARED.search(q.text)
    if compared:  # 低于多少会被通报 is answered by the figure 低于 stands before (满意度低于85%的)
        words = _COMPARED_AS[compared.group(1)]
        return [f for f in figures if any(w in lead_in(text, f, 12) for w in words)]
    if limit:
        wanted = -1 if limit == "上限" else 1
        return [f for f in figures if bound(text, f, reach=12) == wanted]
    return figures


_DEADLINE = re.compile(r"(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?(?:底|末)?(?:前|以前|之前)")


# 有多少名额 counts places, which a number of people gives (共60名, 每班50人).
_HEADCOUNT = frozenset({"名额", "人数", "人"})
_BODY_COUNTERS = ("家", "所")
_PEOPLE_COUNTED = re.compile(r"[\d一二三四五六七八九十百千万两]+\s*(?:名(?!额)|人(?!次|民|员|才|事))")


def counted_noun(q: Question) -> str:
    """What a count question counts, when it names it after the ask (几个名额 → 名额, 多少个模块 → 模块, 多少家机构 →
    机构); empty when the ask is followed by a unit (多少学分) or by nothing (几次)."""
    words = list(q.tagged)
    for i, (w, flag) in enumerate(words):
        if not (flag == "m" and (w.startswith("几") or w.startswith("多少"))):
            continue
        # 几所学校, 多少家机构: the counter counts bodies of any kind; the noun after it says which.
        if w.removeprefix("多少").removeprefix("几") not in ("", "个", *_BODY_COUNTERS):
            return ""  # 几次, 几天: the classifier is the unit counted
        rest = words[i + 1:]
        if rest and rest[0][1] == "q":
            if rest[0][0] not in ("个", *_BODY_COUNTERS):
                return ""  # 多少 篇
            rest = rest[1:]
        if rest and rest[0][1].startswith("n") and len(rest[0][0]) >= 2 and rest[0][0] not in _UNIT_WORDS:
            return rest[0][0]
        return ""
    return ""


_WHICH_WORDS = frozenset({"哪些", "哪几", "什么", "哪", "啥", "几类", "几种", "几条", "几项", "几点"})
_LISTING_VERBS = frozenset({"有", "都有", "包括", "包含", "分为", "分成"})


def _noun(tagged: tuple[str, str]) -> bool:
    return tagged[1].startswith("n") or tagged[1] == "vn"


_KIND_WORDS = frozenset({"形式", "类型", "种类", "类别", "样式", "方式"})


def listed_noun(q: Question) -> str:
    """What a list question asks the kinds of: the last noun of the run right after 哪些 / 什么 / 哪几个 (国培计划有
    哪些项目 → 项目, 分哪几大类项目 → 项目), or of the run before 有哪些 (给乡村老师的项目有哪些 → 项目); empty when
    there is none (有哪些要求 asks no kinds)."""
    if q.asks != Asks.LIST:
        return ""
    words = list(q.tagged)
    for i, (w, _) in enumerate(words):
        if w not in _WHICH_WORDS and not w.startswith("哪几"):
            continue
        j = i + 1
        while j < len(words) and words[j][1] in ("m", "l", "q") and words[j][0][:1] in "几个大类种项":
            j += 1  # 哪 几大类 项目, 哪 几个 模块
        run = []
        for word in words[j:]:
            if not _noun(word):
                break
            run.append(word[0])
        if not run and i >= 2 and words[i - 1][0] in _LISTING_VERBS and _noun(words[i - 2]):
            run = [words[i - 2][0]]  # the noun right before 有哪些
        # 哪些形式的活动 asks for kinds of 活动: 形式 only says they differ in form.
        k = j + len(run)
        if run and run[-1] in _KIND_WORDS and k + 1 < len(words) and words[k][0] == "的" and _noun(words[k + 1]):
            run = [words[k + 1][0]]
        if run:
            return run[-1] if len(run[-1]) >= 2 else ""
    return ""


def kinds_named(noun: str, text: str, header: str = "") -> set[str]:
    """The kinds of ``noun`` that ``text`` names (示范项目, 中西部骨干项目 for 项目; 骨干教师, 教育家型教师 for 老师),
    and the rows of a table whose first column is headed by the noun (研修活动: 听评课, 公开课, 专题讲座).

    ``header`` is the heading row when ``text`` is one row of a table."""
    ends = (noun, *synonyms(noun))
    return {t for t in lexical_terms(text) if len(t) > len(noun) and t.endswith(ends)} | _table_kinds(ends, text, header)


_ROW_NOTE = re.compile(r"（[^）]*）|\([^)]*\)")


def _table_kinds(ends: tuple[str, ...], text: str, header: str) -> set[str]:
    rows = [*([header] if header else []), *(line for line in text.splitlines() if "|" in line)]
    if len(rows) < 2 or not rows[0].split("|")[0].strip().endswith(ends):
        return set()
    cells = (_ROW_NOTE.sub("", row.split("|")[0]).strip() for row in rows[1:])
    return {c for c in cells if c and c not in ("合计", "小计", "总计") and not set(c) <= set("-:— ")}


def lists_kinds(noun: str, text: str) -> bool:
    """Whether ``text`` names at least two kinds of ``noun``: the passage is a list of what was asked for, not one
    more use of the word."""
    return len(kinds_named(noun, text)) >= 2


# A count of items, not of people or events: 几项, 几类, 几个方面, 分几种.
_ITEMS_COUNTED = re.compile(r"(?:几|多少)(?:个)?(?:项|类|种|方面|部分|块|条)")


def holds_fact(q: Question, text: str, header: str = "") -> bool:
    """Whether ``text`` holds the kind of fact ``q`` asks for (always true for open questions).

    ``header`` is the heading row when ``text`` is a table row, whose figures take their unit from it.
    """
    if q.asks == Asks.QUANTITY and _HOW_OFTEN.search(q.text):
        return bool(_FREQUENCY.search(text))
    if q.asks == Asks.QUANTITY:
        # 有几个名额 is not answered by 三个等次: a count of the thing asked for, or of nothing named.
        noun = counted_noun(q) if q.unit == "count" else ""
        where = f"{text}\n{header}"
        if noun and noun not in where and not any(s in where for s in synonyms(noun)) \
                and not (noun in _HEADCOUNT and _PEOPLE_COUNTED.search(text)):
            return False
        # 多少个小时能换一个学分 asks for a rate (每8学时折算1学分), which no yearly amount (不少于48学时) gives.
        if _CONVERSION.search(q.text) and not any(figure_frame(text, f) == "rate" for f in _figures(text, header)):
            return False
        # 补助每人补多少 / 补办要交多少钱 is answered by a rule that none is paid (不得发放参训教师补贴, 不再补发).
        # 几年之内完成 is answered by the deadline it must be done by (2025年前完成一轮全员轮训).
        # 证书多久发下来 asks how soon, and when it happens answers it (结业时领取纸质结业证书).
        if q.unit == "duration" and _HOW_SOON.search(q.text) and _AT_EVENT.search(text):
            return True
        # 培训要多久 is answered by when it runs (2021年10月11日至12月3日): from one day to another is a length.
        if q.unit == "duration" and _HOW_LONG.search(q.text) and not _HOW_SOON.search(q.text) \
                and _DATE_SPAN.search(text):
            return True
        # 纳入培训的内容有几项 is answered by the list of them (国家安全、法治教育、生态教育等内容), counted by the
        # teacher, not by a figure of another list (十项准则).
        if q.unit == "count" and _ITEMS_COUNTED.search(q.text) and listed_items(text) >= 3:
            return True
        return bool(_limited_figures(q, text, asked_figures(q, text, header))) or (q.unit == "money" and bool(_NONE_PAID.search(text))) \
            or (q.unit == "duration" and _WITHIN.search(q.text) is not None and _DEADLINE.search(text) is not None)
    if q.checks_figure:
        # 三年一个周期吗 is checked against a length (五年一周期), not against 学分在一个周期内有效.
        kinds = {f.kind for f in q.figures if not f.names_span}
        stated = [f for f in _figures(text, header) if f.kind in kinds and not f.names_span]
        if any(cycle_length(q.text, f) for f in q.figures):
            return any(cycle_length(text, f) for f in stated)
        return bool(stated)
    if q.asks == Asks.DATE:
        # 哪一年 is answered by a year (2025年), not by 每年 or 2月底前; 几月 by a month, not by 每年.
        if _YEAR_ASKED.search(q.text):
            return bool(years(text) or periods(text))
        if _MONTH_ASKED.search(q.text):
            return bool(_MONTH.search(text))
        return has_date(text)
    if q.asks == Asks.LOCATION:
        if _WEB.search(q.text):
            return has_url(text)
        # Where an app comes from is a store, an address or a code to scan, not 平台; a file (电子证书) is downloaded
        # from wherever a sentence says that very thing is downloaded (可在平台下载电子证书), not from any place.
        if _DOWNLOAD.search(q.text):
            return bool(has_url(text) or _DOWNLOAD_SOURCE.search(text)
                        or (not _APP.search(q.text) and _DOWNLOAD.search(text) and _PLACE.search(text)
                            and any(t in text for t in q.focus if len(t) >= 2 and not _DOWNLOAD.search(t))))
        return bool(has_url(text) or _PLACE.search(text))
    if q.asks == Asks.CONTACT:
        return has_contact(text)
    if q.asks == Asks.ACTOR:
        return bool(actors(text))
    return True
