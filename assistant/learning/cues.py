"""What shows that an open answer touched one of the generic rubric points, and which clauses state one.

The generic points (联系本校实际, 具体做法, 预期效果, 具体步骤和分工 …) are what a plan or a reflection is made of,
and teachers rarely name them: they write 我们村小只有6个老师 rather than 本校实际, 10月组织两次校本研修 rather
than 步骤, 财务负责报销 rather than 分工, 教研质量也能提高 rather than 预期效果. A word list alone missed these, so a
point is also recognised by the shape of the statement that makes it:

- school context: the teacher's own school, kindergarten or class (我们村小, 我们园, 本校), a head count of it
  (全园共8个老师, 只有6个老师), or its present state (现状是……);
- steps: a dated action (9月调研, 11月底完成总结, 第一周推荐, 开学初召开), an ordinal step (第一步, 首先, 然后);
- division of work: someone charged with something (教导主任负责组织, 校长审批, 由教研组长牵头, 负责报销);
- expected effect: 预期, 希望, 达到, or something that will improve (能提高, 会提升).

The shapes need a doer or a time together with an action, so a bare label (具体步骤, 预期效果) or a list of
keywords still shows nothing, and 我们要对学生负责 is no division of work. The same shapes let ``open_answer``
read such a clause as a sentence although it has no function word (财务负责报销).
"""

from __future__ import annotations

import re

from assistant.learning.vocabulary import pos_tokens

CONTEXT = "联系本校或本班的实际情况"
PRACTICE_WAY = "提出至少一项具体做法"
EFFECT = "说明预期效果或检验方式"
SCHEDULE = "写明目标、参与对象和时间安排"
STEPS = "列出具体步骤和分工"
OUTCOME = "说明成果形式与评价方式"

# Generic rubric points and the words that show a response addressed them.
RUBRIC_CUES: dict[str, tuple[str, ...]] = {
    CONTEXT: ("本校", "我校", "学校", "本班", "我班", "班级", "学生", "课堂", "年级", "教研组", "本园", "我园", "全园",
              "全校", "村小", "教学点", "现状"),
    PRACTICE_WAY: ("做法", "措施", "开展", "组织", "设计", "安排", "首先", "计划", "实施", "落实"),
    EFFECT: ("效果", "成效", "评价", "检验", "反思", "反馈", "提升", "改进", "考核", "预期", "希望", "期望", "达到",
             "提高"),
    SCHEDULE: ("目标", "对象", "时间", "学期", "每周", "每月", "周期", "参与", "全体"),
    STEPS: ("步骤", "第一", "首先", "其次", "环节", "分工", "流程", "阶段"),
    OUTCOME: ("成果", "评价", "效果", "反馈", "考核", "展示", "总结", "评估"),
}

_NUM = "[0-9一二三四五六七八九十两几]"
# When something is done: a month (9月, 十月底), a week or phase (第二周), a point of the school year (开学初, 期末).
_WHEN = re.compile(rf"(?:{_NUM}{{1,3}}月(?:份|初|中旬|上旬|下旬|底|末)?|第{_NUM}{{1,3}}(?:周|个?月|学期|阶段|次)"
                   r"|开学(?:初|前|后)|学期(?:初|中|末)|期(?:初|中|末)|寒假|暑假|上半年|下半年|年初|年底)")
_ORDINAL = re.compile(rf"第{_NUM}{{1,2}}步|首先|其次|然后|接着|随后|最后")
# Who does it: offices and posts of a school (教导处, 教研组长, 财务), and the teacher speaking.
_DOER = (r"(?:校长|园长|主任|书记|组长|处|室|科|办|财务|会计|出纳|后勤|总务|班主任|老师|教师|师傅|骨干|教研员"
         r"|我|我们|大家|各班|各组|每人)")
_DUTY_VERB = r"(?:负责|审批|牵头|统筹|组织|落实|主持|把关|协调|执行|承担|督促|指导|跟进|报销|报账|审核)"
_DUTY = re.compile(rf"{_DOER}(?:来|去|具体)?{_DUTY_VERB}|负责[\u4e00-\u9fff]")
_OWN_SCHOOL = re.compile(r"(?:我们|咱们|我所在的?|本|我)(?:学校|校|幼儿园|园|班|村小|小学|中学|初中|高中|教学点|学区"
                         r"|中心校)")
_HEAD_COUNT = re.compile(rf"(?:全(?:校|园|组|镇|乡)|只有|共有|一共|共|有){_NUM}{{1,4}}(?:个|名|位)"
                         r"(?:老师|教师|教职工|学生|幼儿|孩子|班)")
_PRESENT = re.compile(r"现状|(?:目前|现在)(?:我们|我校|本校|学校|全校|全园|园里|班里|村里)")
_IMPROVE = re.compile(r"(?:能|能够|会|将|可以|可望|逐步|得到)(?:明显|进一步|有所|大大)?"
                      r"(?:提高|提升|增强|改善|改进|达到|掌握|养成)")

_NO_ACTION = frozenset({"是", "为", "到", "至", "有", "在", "开始", "结束", "算", "叫", "像", "要", "会", "能"})

_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    CONTEXT: (_OWN_SCHOOL, _HEAD_COUNT, _PRESENT),
    EFFECT: (_IMPROVE,),
    SCHEDULE: (_WHEN, re.compile(r"每(?:两|三|半)?(?:周|月|学期|天)")),
    STEPS: (_DUTY,),
}


def _acts_after(text: str) -> bool:
    """Whether ``text`` holds an action: a verb (short verbal nouns too, as jieba tags 调研 so), but not one
    that only links or bounds a time (9月到12月, 时间是9月, 从9月开始)."""
    return any((flag == "v" or (flag.startswith("v") and len(word) <= 2)) and word not in _NO_ACTION
               for word, flag, _ in pos_tokens(text))


def dated_action(clause: str) -> bool:
    """A time followed by something done then (9月由教导处调研需求, 10月组织两次校本研修, 第一周推荐)."""
    return any(_acts_after(clause[when.end():]) for when in _WHEN.finditer(clause))


def ordinal_step(clause: str) -> bool:
    """An ordinal step with an action after it (第一步召开教研会, 然后组织老师听课)."""
    return any(_acts_after(clause[mark.end():]) for mark in _ORDINAL.finditer(clause))


def states_plan_fact(clause: str) -> bool:
    """Whether a clause states a step, a duty or the size of the school: a sentence in a plan, even when it has
    no function word (财务负责报销) and so does not read as one by the general rule."""
    return (dated_action(clause) or ordinal_step(clause) or bool(_DUTY.search(clause))
            or bool(_HEAD_COUNT.search(clause)))


def shows(clause: str, point: str) -> bool:
    """Whether one clause of an answer, as written, shows a generic rubric point by the shape of what it states
    rather than by one of the point's words (``RUBRIC_CUES``)."""
    if point == STEPS and (dated_action(clause) or ordinal_step(clause)):
        return True
    return any(p.search(clause) for p in _PATTERNS.get(point, ()))
