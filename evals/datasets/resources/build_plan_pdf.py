"""Builds 某省国培计划实施规划.pdf, the provincial implementation plan of the evaluation knowledge base.

The text is written for this project (a fictional province's plan); it sits beside the national notice so
that evals can ask about a second issuing level whose figures differ from the notice, the city guide and
the course syllabus. A PDF is what a province publishes, so the eval exercises the PDF loader on a real
layout: an A4 page with the margins of GB/T 9704, a centred title and 文号, first-line indents, Chinese
line-breaking rules (no line opens with closing punctuation), page numbers as ``— N —`` and the issuers
and date at the end. Glyphs come from an embedded TrueType CJK font, because a PDF without one (or with
only a non-embedded CID font) is exactly the file whose text layer teachers' uploads lose.

Run ``python evals/datasets/resources/build_plan_pdf.py [--font PATH]`` after editing; the PDF is built
with ``invariant=1`` (no timestamps or random ids), so an unchanged text gives a byte-identical file, and
it is committed so evals need no build step. The default font is WenQuanYi Micro Hei (Debian package
``fonts-wqy-microhei``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

TITLE = "某省“国培计划”（2021—2025年）实施规划"
ISSUERS = "某省教育厅　某省财政厅"

# (kind, text): title, docno, p (paragraph), h (heading line), sign, date. Body lines open with a 2-em indent.
BLOCKS: list[tuple[str, str]] = [
    ("title", TITLE),
    ("docno", "某教师〔2021〕7号"),
    ("p", "为贯彻落实《教育部 财政部关于实施中小学幼儿园教师国家级培训计划（2021—2025年）的通知》（教师函〔2021〕4号）精神，做好“十四五”期间我省中小学幼儿园教师国家级培训工作，结合我省教师队伍建设实际，制定本规划。"),
    ("h", "一、指导思想和总体目标"),
    ("p", "（一）指导思想。坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的教育方针，把师德师风作为评价教师队伍素质的第一标准，以提升教师教书育人能力为核心，以乡村教师、骨干教师和培训者为重点，统筹省、市、县、校四级培训，构建分层分类、线上线下融合、训用一体的教师培训体系。"),
    ("p", "（二）总体目标。到2025年，全省完成“国培计划”各类项目培训15万人次，其中乡村教师占比不低于70%；培养省级骨干教师6000名、省级学科带头人1500名、县级培训团队骨干成员2000名；建成覆盖全体教师的培训学分银行，五年周期学分达标率达到95%以上；遴选省级精品培训课程300门；每个县（市、区）建成1所达到省级标准的县级教师发展中心。"),
    ("h", "二、项目设置"),
    ("p", "（一）示范引领项目。由省教育厅直接组织，依托省内外高水平院校实施，主要面向省级骨干教师、学科带头人、名校（园）长和专职培训者，开展高端研修和名师名校长培养，每年培训约4000人。"),
    ("p", "（二）骨干教师能力提升项目。面向项目县乡村学校教龄满5年、年龄不超过50周岁的县级以上骨干教师，按学科、学段分班实施，采取“集中研修—校本实践—总结提升”三段式混合培训，项目总学时不少于120学时。每年安排不少于30%的名额用于体育、音乐、美术、劳动、科学等紧缺学科教师。"),
    ("p", "（三）送教下乡培训项目。面向乡村学校和教学点全体教师，以县为单位组建培训团队，每学年送教不少于4次、每次不少于2天，围绕课堂教学中的具体问题开展诊断示范、研课磨课和成果展示。"),
    ("p", "（四）培训团队研修项目。面向县级教师发展机构专职培训者和兼职教研员，集中研修不少于15天，重点提升需求诊断、课程设计和校本研修指导能力。"),
    ("p", "（五）乡村校园长培训项目。面向乡村中小学和幼儿园正副校（园）长，集中研修不少于10天，另到优质学校跟岗实践不少于5天。"),
    ("p", "（六）重点帮扶县整体提升项目。对全省12个国家乡村振兴重点帮扶县实施教师校长能力整体提升，由省内7个教育发达县（市、区）开展“一对一”结对帮扶，帮扶县教师在2025年前完成一轮全员轮训。"),
    ("h", "三、培训模式和实施要求"),
    ("p", "（一）总体要求。骨干教师能力提升项目原则上分集中研修、校本实践、总结提升三个阶段实施，总周期不少于4个月，网络研修贯穿全过程，网络研修学时不超过项目总学时的30%。"),
    ("h", "（二）集中研修阶段"),
    ("p", "1.时间安排。集中研修不少于10天，每天按8学时计算，实践性课程不低于课程总量的50%。可根据工学情况分两段实施，每段不少于4天。"),
    ("p", "2.参训教师任务。参加训前诊断测评；在导师指导下制订个人研修计划；完成1份研究课教学设计；明确本人校本实践任务清单。"),
    ("h", "（三）校本实践阶段"),
    ("p", "1.时间安排。集中研修结束后，参训教师返回本校开展校本实践，时间不少于2个月，计入项目学时30学时。"),
    ("p", "2.参训教师职责。校本实践期间，参训教师应当履行以下职责："),
    ("p", "（1）按个人研修计划在本校开展不少于4次课堂教学实践，至少上1节汇报课，形成教学设计、课堂实录和教学反思各1份。"),
    ("p", "（2）每周参加网络研修不少于2学时，在研修平台提交研修日志不少于4篇。"),
    ("p", "（3）在本校教研组主持1次主题教研或上1节示范课，分享集中研修所学。"),
    ("p", "（4）与本校1名青年教师结对，指导其完成不少于2次听评课。"),
    ("p", "（5）围绕课堂真实问题完成1个教学案例或微课题报告，不少于3000字。"),
    ("p", "3.学校和导师职责。派出学校为参训教师安排1名校内指导教师，提供上课、录课等条件，实践期间不得安排其承担与研修无关的额外任务。培训机构按每名导师指导不超过15名学员配备实践导师，实践期间每名导师到学员所在学校现场指导不少于1次，线上指导每两周不少于1次。"),
    ("h", "（四）总结提升阶段"),
    ("p", "1.时间安排。校本实践结束后，参训教师返回培训机构集中研修不少于3天。"),
    ("p", "2.参训教师任务。展示校本实践成果，参加结业考核，提交研修总结，制订返岗后一年的个人专业发展计划。培训机构对学员开展不少于6个月的训后跟踪指导。"),
    ("h", "四、学分管理"),
    ("p", "（一）学分要求。教师培训实行五年一周期的学分管理。每位教师每个周期累计不少于36学分，每学年不少于6学分；其中校本研修学分不少于周期总学分的三分之一，每学年参加校本研修不少于48学时。"),
    ("h", "（二）学时折算"),
    ("p", "1.集中培训（含跟岗实践、送教下乡）每8学时折算1学分。"),
    ("p", "2.网络研修每10学时折算1学分，有效学习时长每45分钟计1学时。"),
    ("p", "3.校本研修每12学时折算1学分。"),
    ("p", "4.参加“国培计划”项目考核合格的，按各阶段实际完成学时分别折算，其中校本实践阶段的学时计入当年校本研修学时；考核等次为优秀的，另加1学分。"),
    ("p", "5.教师在职取得高一层次学历的，当年一次性认定10学分。"),
    ("p", "（三）学分银行。省级建立教师培训学分银行，依托省教师培训管理平台登记、存储和查询学分。培训机构应在项目结束后15个工作日内完成学员学分登记；校本研修学分由学校每学年末汇总，经县级教师发展中心审核后，于次年1月31日前录入。学分在一个周期内累计有效，周期结束后不结转。"),
    ("p", "（四）认定范围。网络研修仅认定省级平台和经省教育厅备案的平台学习记录。教师自主参加的省外培训，由本人提出申请，经县级教师发展中心审核后认定学分。周期学分未达标的教师，当年年度考核不得评为优秀等次，不得申报高一级专业技术职务。"),
    ("h", "五、职责分工"),
    ("p", "（一）省级职责。省教育厅负责全省“国培计划”规划、项目遴选、过程监管和绩效评价，建设省教师培训管理平台和培训专家库。省财政厅负责统筹安排省级专项资金，会同省教育厅加强资金监管。"),
    ("p", "（二）市级职责。市（州）教育行政部门负责统筹本地区项目实施，组织市级培训，每学年抽查县域内不少于20%学校的校本研修开展情况。"),
    ("p", "（三）县级职责。县级教育行政部门是项目县实施主体，负责遴选参训教师，统筹解决工学矛盾并安排代课教师，指导县级教师发展中心做好学分审核和训后跟踪。"),
    ("p", "（四）学校职责。中小学幼儿园校长是本校教师培训第一责任人，负责制订校本研修年度计划，按要求派出参训教师，保障其参训期间的工资福利待遇不受影响。"),
    ("p", "（五）培训机构职责。培训机构负责需求调研、方案研制、组织实施、学员考核、学分登记和训后跟踪，配备专职班主任，每个教学班学员不超过50人。"),
    ("h", "六、经费保障"),
    ("p", "（一）经费来源。“国培计划”经费由中央财政补助资金、省级专项资金和市县配套资金共同保障。省级财政每年安排不少于3000万元专项经费，市县按不低于本地区所获中央补助资金20%的比例安排配套经费。各中小学幼儿园要将不低于年度公用经费预算总额5%的资金用于教师培训，其中用于校本研修的比例不低于40%。"),
    ("p", "（二）开支标准。集中培训综合定额标准为每人每天不超过450元，包括住宿费、伙食费、培训场地费、资料费和市内交通费；师资讲课费另行列支，副高级职称专家每学时不超过500元，正高级职称专家每学时不超过1000元。网络研修按每人每学时不超过8元核定。项目管理费不超过项目经费的5%。参训教师往返交通费由派出学校按差旅费管理规定报销。"),
    ("p", "（三）使用管理。项目经费专款专用，不得用于购置设备、基本建设和发放参训教师补贴。中央补助资金用于乡村教师培训的比例不低于70%。年度结余资金按规定收回统筹使用。"),
    ("h", "七、考核评价"),
    ("p", "（一）培训机构评价。采取平台数据监测、学员匿名网络评价、专家现场抽查和委托第三方评估相结合的方式，对培训机构进行年度绩效评价，结果分为优秀、良好、合格、不合格四个等次。学员匿名评价满意度低于80%的项目，由省教育厅约谈承训机构并限期整改；绩效评价不合格或连续两年满意度低于80%的机构，三年内不得承担“国培计划”项目。绩效评价为优秀的机构，可免评备案连续承担同类项目，最长不超过3年。"),
    ("p", "（二）参训教师考核。学员考核由过程性考核和成果考核两部分组成，分别占60%和40%，总评60分及以上为合格，90分及以上为优秀，优秀人数不超过参训人数的20%。集中研修期间请假累计超过集中研修总学时10%的，不予结业。考核结果记入教师培训档案，作为骨干教师认定和职称评审的重要参考。同一教师五年内原则上不重复参加同一类型的“国培计划”项目。"),
    ("h", "八、年度工作安排"),
    ("p", "（一）每年3月底前，省教育厅下达年度项目计划和名额分配方案。"),
    ("p", "（二）每年4月底前，各项目县完成参训教师遴选，并通过省教师培训管理平台报送参训名单。"),
    ("p", "（三）每年4月至12月为项目实施期，各项目原则上于12月10日前完成全部培训环节。"),
    ("p", "（四）每年12月20日前，培训机构向省教育厅报送年度项目总结和学员考核结果。"),
    ("p", "（五）每年1月15日前，各市（州）教育局、财政局将上一年度项目实施总结、县级绩效自评报告和资金使用情况报省教育厅、省财政厅。2021年，各市（州）于6月30日前报送本地区五年实施方案。"),
    ("sign", ISSUERS),
    ("date", "2021年5月18日"),
]

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
)
FONT = "CJK"
BODY_SIZE = 16  # 三号
TITLE_SIZE = 20
LEADING = 28.5  # 22 lines on the 225 mm type area
LEFT, RIGHT, TOP, BOTTOM = 28 * mm, 26 * mm, 37 * mm, 35 * mm
WIDTH = A4[0] - LEFT - RIGHT

# Chinese line-breaking rules: these never open a line, those never close one.
NO_LINE_START = set("，。、；：？！）》”’〕】」』…%")
NO_LINE_END = set("（《“‘〔【「『")


def _units(text: str) -> list[str]:
    """Characters, except that runs of digits and Latin letters stay whole (2021, 4000) on one line."""
    units: list[str] = []
    for ch in text:
        if units and ch.isascii() and ch.isalnum() and units[-1][-1].isascii() and units[-1][-1].isalnum():
            units[-1] += ch
        else:
            units.append(ch)
    return units


def wrap(text: str, width: float, size: float, indent: float = 0) -> list[str]:
    """Greedy CJK line filling; a unit that may not open a line pulls the one before it down with it."""

    def measure(units: list[str]) -> float:
        return sum(pdfmetrics.stringWidth(u, FONT, size) for u in units)

    lines: list[str] = []
    current: list[str] = []
    used = indent
    for unit in _units(text):
        if current and used + measure([unit]) > width:
            carried: list[str] = []
            while len(current) > 1 and (carried or [unit])[0] in NO_LINE_START:
                carried.insert(0, current.pop())
            while len(current) > 1 and current[-1] in NO_LINE_END:
                carried.insert(0, current.pop())
            lines.append("".join(current))
            current, used = carried, measure(carried)
        current.append(unit)
        used += measure([unit])
    if current:
        lines.append("".join(current))
    return lines


class _Pages:
    """Keeps the cursor and numbers pages as official documents do: odd on the right, even on the left."""

    def __init__(self, path: Path) -> None:
        self.c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
        self.c.setTitle(TITLE)
        self.c.setAuthor("某省教育厅 某省财政厅")
        self.c.setSubject("某教师〔2021〕7号")
        self.page = 1
        self.y = A4[1] - TOP

    def line(self, text: str, x: float, size: float, *, centre: bool = False, right: bool = False) -> None:
        if self.y < BOTTOM:
            self.new_page()
        self.c.setFont(FONT, size)
        if centre:
            self.c.drawCentredString(LEFT + WIDTH / 2, self.y, text)
        elif right:
            self.c.drawRightString(A4[0] - RIGHT - 4 * BODY_SIZE, self.y, text)
        else:
            self.c.drawString(x, self.y, text)
        self.y -= LEADING

    def new_page(self) -> None:
        self._page_number()
        self.c.showPage()
        self.page += 1
        self.y = A4[1] - TOP

    def _page_number(self) -> None:
        self.c.setFont(FONT, 14)
        label = f"— {self.page} —"
        if self.page % 2:
            self.c.drawRightString(A4[0] - RIGHT - 7 * mm, 20 * mm, label)
        else:
            self.c.drawString(LEFT + 7 * mm, 20 * mm, label)

    def finish(self) -> None:
        self._page_number()
        self.c.save()


def build(path: Path, font_path: Path) -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(font_path), subfontIndex=0))
    pages = _Pages(path)
    indent = 2 * BODY_SIZE
    for kind, text in BLOCKS:
        if kind == "title":
            pages.y -= LEADING / 2
            pages.line(text, LEFT, TITLE_SIZE, centre=True)
            pages.y -= LEADING / 2
        elif kind == "docno":
            pages.line(text, LEFT, BODY_SIZE, centre=True)
            pages.y -= LEADING / 2
        elif kind == "sign":
            pages.y -= LEADING
            pages.line(text, LEFT, BODY_SIZE, right=True)
        elif kind == "date":
            pages.line(text, LEFT, BODY_SIZE, right=True)
        else:
            for i, row in enumerate(wrap(text, WIDTH, BODY_SIZE, indent)):
                pages.line(row, LEFT + (indent if i == 0 else 0), BODY_SIZE)
    pages.finish()


def _find_font(explicit: str | None) -> Path:
    for candidate in ([explicit] if explicit else FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise SystemExit("找不到中文字体：请安装 fonts-wqy-microhei，或用 --font 指定一个 TrueType 中文字体（.ttf/.ttc）")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--font", help="TrueType CJK font (.ttf/.ttc); default: WenQuanYi Micro Hei")
    args = parser.parse_args()
    build(Path(__file__).with_name("某省国培计划实施规划.pdf"), _find_font(args.font))
