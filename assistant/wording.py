"""A teacher's spoken wording read in the documents' words (县一级 as 县级, 新课标 as 新课程标准, 卡不卡年龄 as
年龄有没有限制), so that what a question asks is read, and matched, as the documents write it.
"""

from __future__ import annotations

import re

# What a rule limits by a figure (年龄, 学时, 名额): 年龄有没有限制 asks for the figure the rule sets.
MEASURED = r"(?:年龄|岁数|教龄|比例|人数|名额|学时|学分|字数|次数|时长|天数|篇数|课时)"


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
    (re.compile(r"卡不卡(" + MEASURED + r")?"), lambda m: (m.group(1) or "") + "有没有限制"),
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


def plain_wording(text: str) -> str:
    """``text`` (simplified Chinese) with spoken forms replaced by the documents' words."""
    for pattern, repl in _SPOKEN:
        text = pattern.sub(repl, text)
    return text
