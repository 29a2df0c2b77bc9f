from assistant.asked_facts import counted_noun, figure_keys, holds_fact, limit_asked
from assistant.question import Asks, analyse


def test_a_count_of_items_is_answered_by_a_list_of_them_and_levels_are_counted() -> None:
    """几项 is answered by the items named one after another, which the teacher counts; not by 十项 of another list."""
    items = analyse("纳入教师校园长培训的内容有几项？")
    assert holds_fact(items, "将国家安全、法治教育、生态教育、幼小衔接等内容纳入教师校园长培训。")
    assert not holds_fact(items, "将思想政治和师德师风作为必修内容。")
    assert not holds_fact(analyse("参训的有多少人？"), "校长、教师、教研员参加。"), "people are counted in figures"
    levels = analyse("教师培训专家库分几级？")
    assert levels.unit == "count" and holds_fact(levels, "持续打造省市县三级教师培训专家库。")


def test_a_stated_figure_is_checked_against_a_figure_of_its_kind() -> None:
    q = analyse("那就是60分及格呗？")
    assert q.asks == Asks.YESNO and q.checks_figure
    assert holds_fact(q, "总评70分及以上为合格，85分及以上为优秀。")
    assert not holds_fact(q, "本课程合格者认定12学分，考核不合格的不登记学分。")
    assert not analyse("合格了能拿证书吗？").checks_figure


def test_a_figure_read_per_units_is_a_rate_and_a_required_total_an_amount() -> None:
    q = analyse("校本研修要多少学时？")
    assert figure_keys(q, "校本研修每12学时折算1学分。") == {("rate", "hours")}
    assert figure_keys(q, "校本研修每完成12学时折算1学分。") == {("rate", "hours")}
    assert figure_keys(q, "每学年参加校本研修不少于48学时。") == {("amount", "hours")}
    money = analyse("网络研修多少钱？")
    assert figure_keys(money, "网络研修每人每学时8元。") == {("rate", "money")}


def test_which_year_is_answered_by_a_year_and_until_which_year_by_the_programmes_period() -> None:
    q = analyse("学分哪一年清零？")
    assert q.asks == Asks.DATE
    assert not holds_fact(q, "今后每年应在收到下一年度补助资金后研制方案。")
    assert holds_fact(q, "到2025年，全省完成培训15万人次。")
    assert holds_fact(analyse("学分什么时候清零？"), "每年2月底前报送。")
    assert analyse("国培计划要持续到哪一年？").document_fields == ("period",)
    assert analyse("这一轮国培从哪年开始？").document_fields == ("period",)


def test_which_month_is_answered_by_a_month() -> None:
    q = analyse("国培每年的报名一般几月开始？")
    assert not holds_fact(q, "今后每年应在收到补助资金后研制年度方案。")
    assert not holds_fact(q, "培训机构在3个月内完成登记。")
    assert holds_fact(q, "每年4月至12月为项目实施期。")
    assert holds_fact(q, "于每年2月底前报送。")


def test_where_to_download_an_app_is_answered_by_an_address_a_store_or_a_code() -> None:
    q = analyse("学习平台的APP在哪下载？")
    assert q.asks == Asks.LOCATION
    assert not holds_fact(q, "平台支持电脑浏览器和手机客户端，两端学习记录同步。")
    assert holds_fact(q, "扫描下方二维码即可下载客户端。")
    assert holds_fact(analyse("集中研修在哪里上课？"), "集中研修在省教师发展中心进行。")
    # A document is downloaded from where it is kept: the platform answers.
    assert holds_fact(analyse("电子证书在哪里下载？"), "考核合格的学员可在平台下载电子证书。")
    assert not holds_fact(analyse("申报指南在哪下载？"), "未完成评价的学员，平台暂不开放电子证书下载。"), "another file"


def test_a_rule_that_nothing_is_paid_answers_how_much_is_paid() -> None:
    from assistant.asked_facts import holds_fact

    q = analyse("结业证书补办要交多少钱？")
    assert holds_fact(q, "纸质证书遗失的不再补发，可打印电子证书使用。")
    assert holds_fact(analyse("外出培训每人补助多少钱？"), "项目经费不得用于购置设备和发放参训教师补贴。")
    assert not holds_fact(q, "考核合格的学员在结业时领取纸质结业证书。")


def test_a_count_of_a_named_thing_needs_that_thing() -> None:
    q = analyse("我们学校今年有几个名额？")
    assert counted_noun(q) == "名额"
    assert not holds_fact(q, "考核结果分为优秀、合格、不合格三个等次。"), "三个等次 counts no 名额"
    assert holds_fact(q, "每校名额不超过3个。")
    # Places are counted in people: 共60名 says how many there are, 15万人次 (times trained) does not.
    assert holds_fact(analyse("石湖县语文骨干培训有多少名额？"), "全县小学语文骨干教师共60名，每校推荐1至2名。")
    assert not holds_fact(q, "到2025年完成培训15万人次。")
    assert counted_noun(analyse("送教下乡每年几次？")) == "", "几次 names a unit, not a thing"
    assert counted_noun(analyse("一年要修多少学分？")) == ""


def test_a_count_named_by_its_counter_takes_figures_of_that_counter() -> None:
    q = analyse("全省有多少家机构有资格承接国培？")
    assert counted_noun(q) == "机构" and counted_noun(analyse("我们县有几所学校参加")) == "学校"
    assert not holds_fact(q, "到2025年，全省完成各类项目培训15万人次。"), "people trained count no bodies"
    assert not holds_fact(q, "对培训机构进行年度绩效评价，结果分为优秀、良好、合格、不合格四个等次。")
    assert holds_fact(q, "全省遴选确定30家培训机构承担项目。")
    assert holds_fact(q, "全省确定5个机构承担项目。")
    # 个 counts anything: one project a year says how many times.
    assert holds_fact(analyse("一年最多能参加几次国培？"), "同一年度原则上只参加1个集中研修项目。")
    assert not holds_fact(analyse("一年最多能参加几次国培？"), "每年培训约4000人。")


def test_within_how_many_years_is_answered_by_a_deadline() -> None:
    rule = "帮扶县教师在2025年前完成一轮全员轮训。"
    assert holds_fact(analyse("全员轮训是几年之内把全县老师都轮一遍？"), rule)
    assert not holds_fact(analyse("轮训要搞几年？"), rule), "how long, not by when: a deadline is no length"


def test_a_limit_asked_is_answered_by_a_limit_of_that_kind() -> None:
    """最多能认定多少学分 asks for a cap: a rate (每10学时折算1学分) or a floor (每学年不少于6学分) gives a figure in
    the unit asked, and neither is the cap. 哪个模块学时最多 asks which item is largest, which any figure answers."""
    cap = analyse("网络研修一年最多能认定多少学分")
    assert limit_asked(cap) == "上限"
    assert not holds_fact(cap, "网络研修每10学时折算1学分")
    assert not holds_fact(cap, "每位教师每学年不少于6学分")
    assert holds_fact(cap, "网络研修每学年认定学分不超过4学分")
    assert holds_fact(cap, "网络研修学分以2学分以内为限")
    floor = analyse("每人每年校本研修最少要有多少学时")
    assert limit_asked(floor) == "下限"
    assert holds_fact(floor, "每位教师每学年参加校本研修不少于七十二学时")
    assert holds_fact(floor, "须完成24学时以上的校本研修")
    assert not holds_fact(floor, "校本研修每次认定2学时")
    # The limit word belongs to the figure's own clause: 不超过45周岁，每天学习3学时 caps the age, not the hours.
    assert not holds_fact(analyse("每天最多能学几个学时"), "年龄不超过45周岁，每天学习3学时")
    largest = analyse("哪个模块学时最多")
    assert limit_asked(largest) == "" and holds_fact(largest, "模块八：校本实践 | 24学时")


def test_a_compared_figure_is_the_one_the_comparison_stands_before() -> None:
    """低于多少会被通报 is answered by 满意度低于80%的, not by 四个方面 in the sentence before it."""
    q = analyse("匿名评价低于多少会被通报")
    assert not holds_fact(q, "学员从四个方面进行匿名评价")
    assert holds_fact(q, "学员匿名评价满意度低于80%的项目，由省教育厅约谈")
    assert holds_fact(analyse("请假超过几天就不能结业"), "集中研修期间累计请假超过2天的，不予结业")


def test_the_span_asked_about_does_not_measure_itself() -> None:
    """一个周期是几年: 学分在一个周期内有效 names the cycle; 五年一周期 says how long it is."""
    q = analyse("一个周期是几年")
    assert not holds_fact(q, "学分在一个周期内累计有效")
    assert holds_fact(q, "教师培训实行五年一周期的学分管理")
    assert holds_fact(analyse("学分多长时间有效"), "学分在一个周期内累计有效")


def test_the_clause_that_asks_the_figure_decides_whether_a_limit_is_asked() -> None:
    q = analyse("学分是几年一个周期，每年最少要拿多少分？")
    assert limit_asked(q) == "" and holds_fact(q, "教师培训实行五年一周期的学分管理")
    assert limit_asked(analyse("每年最少要拿多少学分？")) == "下限"


def test_how_often_is_answered_by_a_frequency_not_a_length_of_time() -> None:
    q = analyse("培训机构多久要评估一次")
    assert holds_fact(q, "对培训机构进行年度绩效评价")
    assert holds_fact(q, "区教师发展中心每学年对学校进行一次抽查")
    assert not holds_fact(q, "培训机构在项目结束后30日内完成登记")
    assert not holds_fact(q, "培训机构对学员开展不少于6个月的训后跟踪指导")
    assert holds_fact(analyse("学分多久能查到"), "培训机构在项目结束后30日内完成登记"), "how long, not how often"


def test_minutes_and_days_measure_different_things() -> None:
    """讲几分钟 is not answered by 不少于10天 or by a share of the hours; 保存几年 not by 每45分钟."""
    minutes = analyse("结业汇报每个人讲几分钟？")
    assert not holds_fact(minutes, "集中研修不少于10天。")
    assert not holds_fact(minutes, "累计请假超过集中研修学时15%的，不予结业。")
    assert holds_fact(minutes, "每人汇报不超过8分钟。")
    assert not holds_fact(analyse("学习记录保存几年？"), "有效学习时长每45分钟计1学时。")
    assert holds_fact(analyse("网络研修一学时是多少分钟"), "有效学习时长每45分钟计1学时。")


def test_a_claimed_cycle_length_is_checked_against_a_cycle_length() -> None:
    q = analyse("学分是三年一个周期吗")
    assert holds_fact(q, "教师培训实行五年一周期的学分管理。")
    assert not holds_fact(q, "培训机构应在项目结束后15个工作日内完成学员学分登记；学分在一个周期内累计有效。")
    assert "记得" not in analyse("我记得学分是三年一个周期").focus


def test_a_sum_per_head_is_never_answered_by_a_share() -> None:
    q = analyse("培训经费按每人每天多少标准支出？")
    assert q.unit == "money" and q.strict_unit
    assert not holds_fact(q, "项目管理费不超过项目经费的5%。")
    assert holds_fact(q, "集中培训综合定额标准为每人每天不超过450元。")
    assert not analyse("学校每年要安排多少培训经费").strict_unit


def test_a_conversion_is_answered_by_a_rate_not_an_amount() -> None:
    q = analyse("培训多少个小时能换一个学分？")
    assert holds_fact(q, "集中培训（含跟岗实践、送教下乡）每8学时折算1学分。")
    assert not holds_fact(q, "每学年参加校本研修不少于48学时。")
    credits = analyse("同样是24个学时，按省方案能换几个学分？")
    assert holds_fact(credits, "校本研修每12学时折算1学分。")


def test_how_soon_is_answered_by_when_it_happens() -> None:
    q = analyse("结业证书多久能拿到？")
    assert holds_fact(q, "考核合格的学员在结业时领取纸质结业证书。")
    assert holds_fact(q, "培训机构在项目结束后30日内完成登记。")
    assert not holds_fact(analyse("集中研修要多长时间？"), "考核合格的学员在结业时领取纸质结业证书。")


def test_every_two_weeks_is_a_frequency() -> None:
    often = analyse("集体备课多久搞一次？")
    assert holds_fact(often, "各教研组每两周至少开展一次。") and holds_fact(often, "每学年开展一次抽查。")
    assert not holds_fact(often, "集体备课由教研组长负责。")


def test_how_long_a_training_takes_is_answered_by_the_days_it_runs_from_and_to() -> None:
    q = analyse("语文骨干班培训要多久")
    assert holds_fact(q, "- 培训时间：2021年10月11日至12月3日。")
    assert not holds_fact(q, "各幼儿园于9月30日前将报名表报县教育局。")
    # 集中培训几天 counts the days of one stage, which the whole course's dates do not give.
    assert not holds_fact(analyse("集中培训几天"), "- 培训时间：2021年10月11日至12月3日。")
    # 教龄8年以上 measures the teacher's service, not how long the training takes.
    line = "- 培训对象：乡村小学语文教师，教龄8年以上，年龄一般不超过45周岁。"
    assert not holds_fact(q, line) and holds_fact(analyse("要求教龄多少年"), line)
