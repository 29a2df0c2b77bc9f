"""Builds 校本研修实施指南.docx, the training resource of the uploaded-resource eval set.

The text is written for this project (a fictional city's guide), so the eval has a document whose
answers cannot come from the policy notice. Run ``python evals/datasets/resources/build_guide.py`` after
editing; the .docx is committed so evals need no build step.
"""

from pathlib import Path

from docx import Document

SECTIONS = [
    ("一、总则", [
        "为落实教师自主发展机制，推进教师常态化学习，制定本指南。本指南适用于全市公办中小学和幼儿园。",
        "校本研修以学校为基本单位，以解决课堂教学中的真实问题为导向，每所学校须设立校本研修领导小组，由校长担任组长。",
    ]),
    ("二、研修内容", [
        "（一）师德师风专题。每学期至少开展一次师德师风专题研修，新任教师须全程参加。",
        "（二）课堂教学改进。各教研组每月至少组织两次听评课活动，每位教师每学期至少上一节公开课。",
        "（三）信息技术应用。学校每学年组织不少于十二学时的信息技术应用能力培训，重点提升利用数字资源设计教学的能力。",
    ]),
    ("三、组织实施", [
        "研修采用线下集中研修、网络研修和个人自主研修相结合的混合式方式。",
        "教研组长负责制定本组学期研修计划，并于每学期开学后两周内报学校教务处备案。",
        "青年教师实行“青蓝结对”，由一名骨干教师指导，结对周期为两年。",
    ]),
    ("四、学时认定与学分", [
        "每位教师每学年参加校本研修不少于七十二学时，其中集中研修不少于二十四学时。",
        "校本研修学时按下表认定，每十学时折算一学分，学分记入教师培训学分银行。",
    ]),
    ("五、考核评价", [
        "学校每学年末对教师校本研修情况进行考核，考核结果分为优秀、合格、不合格三个等次。",
        "考核不合格的教师，下一学年须补足所缺学时，并不得参加当年度评优评先。",
        "区教师发展中心每学年对学校校本研修工作进行一次抽查，抽查结果纳入学校年度办学绩效评价。",
    ]),
]
TABLE = [("研修活动", "认定学时", "证明材料"),
         ("听评课（每次）", "2", "听课记录"),
         ("公开课（每节）", "6", "教学设计与课后反思"),
         ("专题讲座（每场）", "3", "签到表"),
         ("课题研究（每项/学年）", "10", "结题报告")]


def build(path: Path) -> None:
    doc = Document()
    doc.core_properties.title = "某市中小学校本研修实施指南（试行）"
    doc.add_heading("某市中小学校本研修实施指南（试行）", level=0)
    for heading, paragraphs in SECTIONS:
        doc.add_heading(heading, level=1)
        for text in paragraphs:
            doc.add_paragraph(text)
        if heading.startswith("四"):
            table = doc.add_table(rows=len(TABLE), cols=3)
            for r, cells in enumerate(TABLE):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
    doc.save(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("校本研修实施指南.docx"))
