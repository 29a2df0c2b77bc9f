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

from assistant.asked_unit import (
    ASK_WORD,
    BODY_SPENDS,
    PER_HEAD,
    STRICT_UNIT,
    UNIT_AFTER,
    WEIGHT_ASKED,
    asked_unit,
)
from assistant.facts import Quantity, periods, quantities, years
from assistant.wording import MEASURED, plain_wording
from corpus.text import CJK, HAN
from indexer.bilingual import render
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


# (kind, pattern) in priority order: the first that matches decides. Chinese and English side by side.
_ASKS: list[tuple[Asks, re.Pattern[str]]] = [
    (Asks.CONTACT, re.compile(r"电话|联系方式|联系人(?!是谁|是哪位|是哪个|叫什么|叫啥)|邮箱|热线|咨询方式|phone|e-?mail|contact", re.I)),
    # 报到哪里, 交给哪儿: where a report or form goes is a body that receives it, not a place.
    (Asks.ACTOR, re.compile(r"(?:报|交|送|递|上报|报送|提交|备案)(?:到|给|至|去)?(?:哪里|哪儿)")),
    (Asks.LOCATION, re.compile(r"网址|网站|网页|链接|域名|登录地址|平台地址|入口在|在哪(?![天年日月]|一天|一年|个月)|哪里|什么地方|何处|什么地点|"
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
    (Asks.QUANTITY, re.compile(MEASURED + r"(?:上)?(?:有没有|有|设|卡)?(?:什么)?限制")),
    (Asks.QUANTITY, re.compile(ASK_WORD + r"(?!乎|种|类|个方面|项内容)|比例|百分之几|占比|多大|多高|多长|多久|上限|下限|额度|"
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
    # 现在是试行的吗: whether a document is provisional, which its title says (（试行）, （暂行）).
    ("status", re.compile(r"试行|暂行|征求意见稿")),
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

# Words that only frame a question; they never name what it is about.
_FRAME_WORDS = (
    "时候 什么时候 啥时候 何时 多少 几 哪 哪些 哪个 哪里 谁 怎么 怎么样 怎样 如何 是否 能否 咱们 我们 俺们 你们 大家 "
    "老师 我 自己 请问 问下 问问 想问 知道 了解 清楚 告诉 情况 这种 那种 这样 那样 这次 这轮 这一轮 本轮 一下 一般 "
    "到底 究竟 呀 嘛 啦 哈 吧 得 地 着 过 么 啥 咋 吗 呢 么 一 有 是 个 些 都 能 会 去 来 做 搞 弄 算 行 对 可以 需要 "
    "应该 必须 一定 规定 要求 文件 里 里面 上面 中 说 讲 写 提 提到 什么 样 为什么 为何 为啥 原因 哪天 哪年 几月 "
    "几号 多久 多长 多大 比例 标准 具体 主要 一共 总共 大概 左右 以上 以下 the what how which who when where why "
    "is are do does can should must will a an of to in on for about there any many much per "
    "办法 不会 不能 不准 是从 专门 意思 说法 听说 记得 印象 试试 看到 好像 感觉 觉得 似乎 不太 真的 假的 同事 别人 满足 才能 "
    # 报名什么时候截止: the last day of a period is asked for; 3月1日至3月20日 states it without the word.
    "截止 截至 期限"
)
_FRAME = frozenset(_FRAME_WORDS.split())


# 保育员培训哪天开始, 办法什么时候开始实施: a date says when a thing starts or ends (10月8日至10月10日, 自9月1日起施行);
# asked for a date, these words frame it and name nothing the documents must say.
DATE_FRAME = frozenset({"开始", "结束", "截止", "举行", "举办", "进行"})


def frames(word: str) -> bool:
    """A word that only frames a question (时候, 多少, 截止): no sentence has to repeat it to be on its topic."""
    return word.lower() in _FRAME


# Parts of speech that name what a question is about: nouns, verbs, adjectives, abbreviations, foreign
# words. Adverbs, numerals, pronouns, particles and set phrases (由谁来) only frame it.
_CONTENT_TAGS = ("n", "v", "a", "j", "eng", "i")
_FRAME_PATTERN = re.compile(r"哪|几|这|那|什么|啥|怎|多少|吗|呢")
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

    @property
    def date_frame(self) -> frozenset[str]:
        """The words that only frame this question's date (``DATE_FRAME``), or none when no date is asked."""
        return DATE_FRAME if self.asks == Asks.DATE else frozenset()


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


def unit_named(q: Question) -> str:
    """The unit the question writes right after 多少 / 几 (几次 → 次, 多少学分 → 学分), or empty."""
    named = UNIT_AFTER.search(q.text)
    return named.group(1) if named else ""




# 一天补多少钱, 一年能参加几次: "one day" is what the amount asked for is counted per, not a figure stated; so is
# the one of a rate the question states (一天按8学时算对吗).
_PER_ASKED = re.compile(r"^[^，。？！,.?!]{0,6}?(?:多少|几)|^(?:按|算|计|折合|合)")


def per_asked(q: Quantity, text: str) -> bool:
    """一天 in 一天补多少钱 or 一天最多算几个学时: what the figure asked for is counted per, not a figure stated."""
    at = text.find(q.text)
    return q.text.startswith("一") and at >= 0 and bool(_PER_ASKED.match(text[at + len(q.text):]))


_NUMBERED = re.compile(r"(?:模块|专题|板块)[一二三四五六七八九十]{1,2}|第[一二三四五六七八九十百]{1,3}条")




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
    unit = asked_unit(text) if asks == Asks.QUANTITY else None
    # 每人补多少 asks for a sum per head, which no share of a budget (补助资金的70%) can be.
    # 学校每年得拿多少钱出来 asks what a body must spend, which a share of its budget (公用经费的5%) does say.
    named = STRICT_UNIT.search(text)
    if named and unit == "money" and BODY_SPENDS.search(text) and not PER_HEAD.search(text):
        named = None
    strict_unit = bool(unit and (named or (unit == "money" and PER_HEAD.search(text)))
                       and not WEIGHT_ASKED.search(text))
    either = _CHOICE.search(text)
    if unit and either and len({asked_unit(side) for side in either.groups()} - {None}) == 2:
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


# A clause and the mark that closes it (empty at the end of the text).
_CLAUSE_WITH_END = re.compile(r"([^，。？！,?!；;]+)([，。？！,?!；;]?)")


def _few_told(text: str) -> bool:
    """平台上同时开几个视频一起播，学时会不会都算: 几 in a clause that tells, before the clause that asks yes or no,
    means a few and asks no figure. A clause ending in a question mark (要交几张照片？) asks the figure itself."""
    parts = _clauses_with_ends(text)
    asking = [i for i, (c, _) in enumerate(parts) if _ASKS[-1][1].search(c)]
    counted = [i for i, (c, _) in enumerate(parts) if re.search(ASK_WORD, c)]
    return bool(asking and counted) and max(counted) < min(asking) and all(
        "多少" not in parts[i][0] and parts[i][1] not in ("？", "?") for i in counted)


def _clauses_with_ends(text: str) -> list[tuple[str, str]]:
    return [(c.strip(), end) for c, end in _CLAUSE_WITH_END.findall(text) if c.strip()]


def clauses(text: str) -> list[str]:
    """The clauses of a question, as the teacher punctuated them (学分是几年一个周期 / 每年最少要拿多少分)."""
    return [c for c, _ in _clauses_with_ends(text)]
