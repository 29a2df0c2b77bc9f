"""The trainer's desk in a real browser: drag-and-drop and picked uploads (GBK text, a docx with a table),
job progress, the chunk browser, hit testing, replacing and deleting with confirmation."""

from __future__ import annotations

import base64
import io
import uuid
from pathlib import Path

import docx
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from assistant.resource_files import Upload
from assistant.usecases.people import People
from tests.channels.web.conftest import BACKGROUND_BYTES, TRANSIENT, WAIT, Console, login, wait_for, wait_text

GRANT = "青苗教师每学年可申领一千八百元阅读津贴"
GRANT_NEW = "青苗教师每学年可申领两千四百元阅读津贴"
HOURS_ROW = ("课堂观察与诊断", "十二学时")


def gbk_notice(grant: str, filler: int) -> bytes:
    """A county notice in GBK, with ``filler`` paragraphs of routine text after the one that matters."""
    lines = ["青岩县乡村教师青苗计划实施细则", "", "一、总则",
             "为支持乡村青年教师专业成长，青岩县设立青苗计划，面向任教不满五年的乡村教师。", "", "二、阅读津贴",
             f"{grant}，用于购买专业书籍和订阅教育期刊，凭发票在学期末报销。", "", "三、组织实施"]
    lines += [f"第{i}项：各乡镇中心学校按学期汇总青苗教师读书笔记，择优推荐到县教师发展中心交流展示。"
              for i in range(1, filler + 1)]
    return "\n".join(lines).encode("gbk")


def workshop_title(subject: str = "初中数学") -> str:
    return f"青岩县{subject}骨干教师工作坊研修安排"


def table_docx(subject: str = "初中数学") -> bytes:
    """A workshop plan with a table; ``subject`` tells two plans apart, in their text and their titles (the same
    content or title twice is refused, and the accessibility test may already have uploaded the default one)."""
    document = docx.Document()
    document.add_heading(workshop_title(subject), level=1)
    document.add_heading("一、研修目标", level=2)
    document.add_paragraph(f"本工作坊面向全县{subject}骨干教师，分模块开展线下研修。")
    document.add_heading("二、模块与学时", level=2)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "研修模块", "学时安排"
    for module, hours in [HOURS_ROW, ("单元整体教学设计", "八学时"), ("命题与作业设计", "六学时")]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = module, hours
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def drop_file(browser: WebDriver, name: str, data: bytes, mime: str) -> None:
    """Drop a file on the upload zone the way a person dragging it from the desktop would."""
    browser.execute_script(
        "const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));"
        "const transfer = new DataTransfer();"
        "transfer.items.add(new File([bytes], arguments[1], {type: arguments[2]}));"
        "const zone = document.getElementById('drop');"
        "for (const type of ['dragenter', 'dragover', 'drop'])"
        "  zone.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true, cancelable: true}));",
        base64.b64encode(data).decode(), name, mime)


def pick_file(browser: WebDriver, path: Path) -> None:
    wait_for(browser, "#file").send_keys(str(path))
    browser.find_element(By.CSS_SELECTOR, "#upload button[type=submit]").click()


def row(browser: WebDriver, title: str):
    wait_for(browser, "#resources")
    return next(r for r in browser.find_elements(By.CSS_SELECTOR, "#resources tbody tr") if title in r.text)


def probe(browser: WebDriver, console: Console, question: str) -> list:
    browser.get(console.url("/probe"))
    field = wait_for(browser, "#question")
    field.clear()
    field.send_keys(question)
    browser.find_element(By.CSS_SELECTOR, "form.ask button").click()
    wait_for(browser, "#hits")
    return browser.find_elements(By.CSS_SELECTOR, "#hits .hit")


def test_upload_hit_test_replace_and_delete(browser: WebDriver, console: Console, tmp_path: Path):
    login(browser, console, "trainer")
    before = probe(browser, console, "青苗计划的阅读津贴每学年多少钱？")
    assert all("青苗" not in h.text for h in before)

    # A GBK text file dropped on the page: small, so indexed while the trainer waits.
    browser.get(console.url("/library"))
    wait_for(browser, "#drop")
    notice = gbk_notice(GRANT, filler=40)
    assert len(notice) <= BACKGROUND_BYTES
    drop_file(browser, "青苗计划.txt", notice, "text/plain")
    # Shown for only 600 ms before the page goes to /library by itself: look often enough not to miss it.
    wait_text(browser, "#upload-state", "已上传《青岩县乡村教师青苗计划实施细则》：第 1 版", poll=0.05)
    WebDriverWait(browser, 120, ignored_exceptions=TRANSIENT).until(lambda d: any("青苗计划" in r.text for r in
                                                    d.find_elements(By.CSS_SELECTOR, "#resources tbody tr")))
    grant = row(browser, "青苗计划")
    cells = [c.text for c in grant.find_elements(By.TAG_NAME, "td")]
    assert cells[0] == "青苗计划.txt" and cells[1] == "trainer" and cells[2] == "1" and int(cells[3]) >= 2
    assert cells[4] == "可检索"

    # A docx with a table, picked with the file chooser: over the inline size, so a background job
    # indexes it and the page follows the job's state.
    path = tmp_path / "物理工作坊研修安排.docx"
    path.write_bytes(table_docx("初中物理"))
    assert path.stat().st_size > BACKGROUND_BYTES
    pick_file(browser, path)
    wait_text(browser, "#upload-state", "索引任务", poll=0.05)
    # An earlier upload of the same file can already be listed on this page, so wait for the page the script
    # goes to once the job ends (its upload state empty again), not only for the row.
    WebDriverWait(browser, WAIT, ignored_exceptions=TRANSIENT).until(
        lambda d: not d.find_element(By.ID, "upload-state").get_attribute("textContent")
        and any("物理工作坊研修安排" in r.text for r in d.find_elements(By.CSS_SELECTOR, "#resources tbody tr")))
    jobs = browser.find_element(By.CSS_SELECTOR, ".jobs").text
    assert "工作坊研修安排》 · 已完成" in jobs and "100%" not in jobs, jobs
    workshop = row(browser, "物理工作坊研修安排")
    assert "可检索" in workshop.text
    workshop.find_element(By.LINK_TEXT, "文本块").click()
    outline = wait_for(browser, ".outline").text
    assert "二、模块与学时" in outline
    assert "课堂观察与诊断" in browser.find_element(By.CSS_SELECTOR, ".chunks").text

    # Hit testing: only the new files answer, with their scores and why.
    hits = probe(browser, console, "青苗计划的阅读津贴每学年多少钱？")
    top = hits[0]
    assert "青岩县乡村教师青苗计划实施细则" in top.text and "被引用" in top.text
    scores = top.find_element(By.CSS_SELECTOR, ".scores").text
    for part in ("最终得分", "语义（dense）", "关键词（lexical）", "覆盖（coverage）"):
        assert part in scores
    assert "一千八百元" in browser.find_element(By.CSS_SELECTOR, ".answer").text
    hits = probe(browser, console, "课堂观察与诊断模块安排多少学时？")
    assert "工作坊研修安排" in hits[0].text
    assert "十二学时" in browser.find_element(By.CSS_SELECTOR, ".answer").text

    # Replace the notice: after confirming, the old figure is gone from chunks and answers.
    browser.get(console.url("/library"))
    row(browser, "青苗计划").find_element(By.LINK_TEXT, "替换").click()
    assert "替换《青岩县乡村教师青苗计划实施细则》" in wait_for(browser, "h1").text
    new = tmp_path / "青苗计划（修订）.txt"
    new.write_bytes(gbk_notice(GRANT_NEW, filler=3))
    wait_for(browser, "#file").send_keys(str(new))
    browser.find_element(By.XPATH, "//button[text()='确认替换']").click()
    wait_text(browser, ".notice", "已替换《青岩县乡村教师青苗计划实施细则》")
    assert not browser.find_elements(By.CSS_SELECTOR, ".notice.warning")  # a new version, same title: nothing to say
    grant = row(browser, "青苗计划")
    assert [c.text for c in grant.find_elements(By.TAG_NAME, "td")][2] == "2"
    grant.find_element(By.LINK_TEXT, "文本块").click()
    chunks = wait_for(browser, ".chunks").text
    assert "两千四百元" in chunks and "一千八百元" not in chunks
    probe(browser, console, "青苗计划的阅读津贴每学年多少钱？")
    answer = browser.find_element(By.CSS_SELECTOR, ".answer").text
    assert "两千四百元" in answer and "一千八百元" not in browser.find_element(By.ID, "hits").text

    # Delete after a confirmation page; its chunks leave the knowledge base.
    browser.get(console.url("/library"))
    rid = row(browser, "青苗计划").get_attribute("data-id")
    row(browser, "青苗计划").find_element(By.LINK_TEXT, "删除").click()
    assert "删除《青岩县乡村教师青苗计划实施细则》？" in wait_for(browser, "h1").text
    browser.find_element(By.XPATH, "//button[text()='确认删除']").click()
    wait_text(browser, ".notice", "已删除《青岩县乡村教师青苗计划实施细则》")
    assert not [r for r in browser.find_elements(By.CSS_SELECTOR, "#resources tbody tr") if "青苗计划" in r.text]
    assert not console.services.assistant.store.document_chunks(rid)
    assert all("青苗" not in h.text for h in probe(browser, console, "青苗计划的阅读津贴每学年多少钱？"))


def test_a_replacement_unlike_the_old_file_is_warned_of_on_the_page(browser: WebDriver, console: Console,
                                                                     tmp_path: Path):
    """The canteen menu picked instead of the notice: replaced, and the page says so above everything else,
    with the title the resource took, in the words of every other surface."""
    login(browser, console, "trainer")
    core = console.services.usecases
    trainer = core.people.authenticate(console.tokens["trainer"])
    tag = uuid.uuid4().hex[:6]
    notice = gbk_notice(f"青苗教师每学年可申领{tag}元阅读津贴", filler=2).decode("gbk").replace("青岩县", f"青岩县{tag}")
    rid = core.library.upload(trainer, Upload(notice.encode(), "青苗.txt"), wait=True).resource["id"]
    menu = tmp_path / "菜谱.txt"
    menu.write_text(f"青岩县{tag}实验小学食堂一周菜谱\n一、周一\n早餐：豆浆、油条、鸡蛋；午餐：米饭、红烧豆腐、清炒白菜。\n"
                    "二、周二\n早餐：牛奶、包子；午餐：米饭、土豆炖牛肉、番茄炒蛋。\n", encoding="utf-8")
    browser.get(console.url(f"/library/{rid}/replace"))
    wait_for(browser, "#file").send_keys(str(menu))
    browser.find_element(By.XPATH, "//button[text()='确认替换']").click()
    wait_text(browser, ".notice", "已替换")
    warnings = [w.text for w in browser.find_elements(By.CSS_SELECTOR, ".notice.warning")]
    assert warnings[0] == (f"注意：标题随新文件改为《青岩县{tag}实验小学食堂一周菜谱》"
                           f"（原为《青岩县{tag}乡村教师青苗计划实施细则》）。")
    assert warnings[1].startswith(f"注意：新文件与原资源《青岩县{tag}乡村教师青苗计划实施细则》内容差别很大")


def test_an_unsupported_file_is_refused_with_a_message(browser: WebDriver, console: Console, tmp_path: Path):
    """Over the 64 KB cap of ordinary forms, so this also shows the upload path gets the upload cap: the
    refusal is the loaders' (unsupported type), not the body limit's."""
    login(browser, console, "trainer")
    browser.get(console.url("/library"))
    path = tmp_path / "表格.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook" + bytes(range(256)) * 400)
    assert path.stat().st_size > console.services.settings.json_max_bytes
    pick_file(browser, path)
    state = wait_text(browser, "#upload-state", "上传失败")
    assert "不支持" in state.text


def test_a_trainer_is_offered_changes_only_to_their_own_resources(browser: WebDriver, console: Console):
    """Another uploader's resource shows no 替换/删除, and its confirmation page refuses before anything is
    confirmed; the API says the same per resource (``editable``)."""
    text = "青岩县教研员听课制度\n一、教研员每学期听课不少于二十节。\n".encode()
    with console.api("admin") as admin:
        rid = admin.post("/v1/resources", files={"file": ("听课制度.txt", text, "text/plain")}).json()["id"]
    with console.api("trainer") as trainer:
        listed = {r["id"]: r["editable"] for r in trainer.get("/v1/resources").json()}
    assert listed[rid] is False
    login(browser, console, "trainer")
    browser.get(console.url("/library"))
    ops = row(browser, "青岩县教研员听课制度").find_element(By.CSS_SELECTOR, ".ops").text
    assert "文本块" in ops and "替换" not in ops and "删除" not in ops
    browser.get(console.url(f"/library/{rid}/delete"))
    assert "培训者只能修改或删除自己上传的资源" in wait_for(browser, "main").text


def test_a_trainer_reads_the_comments_on_their_own_uploads_only(browser: WebDriver, console: Console):
    """On the resources page a trainer finds what teachers wrote about the resources they uploaded (rated
    directly or through an answer citing them), newest week first, and nothing about anything else."""
    with console.api("trainer") as api:
        up = api.post("/v1/resources", data={"title": "松岭镇集体备课安排"},
                      files={"file": ("备课.txt", "松岭镇各校教研组每周三下午集体备课，由教研组长主持。".encode(), "text/plain")})
    assert up.status_code == 201, up.text
    rid = up.json()["id"]
    feedback = console.services.records.feedback
    feedback.submit("resource", rid, 5, "备课安排很具体", channel_kind="web")
    feedback.submit("answer", f"{rid}#松岭镇集体备课安排", 3, "没写地点", channel_kind="telegram")
    feedback.submit("training", "与本资源无关的培训", 1, "不该给培训者看到", channel_kind="web")
    login(browser, console, "trainer")
    browser.get(console.url("/library"))
    assert wait_for(browser, "#cm-h").text == "对我上传的资源的匿名评语"
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in browser.find_elements(By.CSS_SELECTOR, "#comments-table tbody tr")]
    trainer = console.services.usecases.people.authenticate(console.tokens["trainer"])
    page = console.services.usecases.learning.feedback_comments(trainer)
    assert page["scope"] == "own"
    assert rows == [[c["week_label"], f"{c['rating']} 分", c["channel_label"],
                     f"{c['target_kind_label']} · {c['target_label']}", c["comment"]] for c in page["comments"]]
    mine = {r[4]: r[3] for r in rows}
    assert mine["备课安排很具体"] == "培训资源 · 《松岭镇集体备课安排》"
    assert mine["没写地点"] == "助手回答 · 《松岭镇集体备课安排》"
    assert "不该给培训者看到" not in browser.find_element(By.ID, "main").text
    browser.find_element(By.CSS_SELECTOR, f"tr[data-id='{rid}'] a[href*='target=']").click()
    wait_text(browser, "#cm-target", "只看对「《松岭镇集体备课安排》」的评语")
    assert {td.text for td in browser.find_elements(By.CSS_SELECTOR, "#comments-table td.comment")} == {
        "备课安排很具体", "没写地点"}
    login(browser, console, "admin")
    browser.get(console.url("/library"))
    wait_for(browser, "#resources")
    assert not browser.find_elements(By.ID, "cm-h")  # an admin reads every comment on the overview


def test_the_outline_shown_after_an_upload_lists_every_heading_and_a_second_copy_points_to_replace(
        browser: WebDriver, console: Console):
    """Two short parts in one chunk: the outline after the upload and in the chunk browser lists both (it
    used to show only the chunk's one label, 二、培训内容). The edited file dropped again is refused, naming
    the resource to replace, instead of becoming a second live notice of the same title."""
    marker = uuid.uuid4().hex[:6]
    title = f"青山县{marker}号暑期培训通知"
    notice = f"{title}\n一、培训时间\n2025年7月10日至7月15日，共六天。\n二、培训内容\n围绕新课标开展大单元教学设计研修。\n"
    login(browser, console, "trainer")
    browser.get(console.url("/library"))
    wait_for(browser, "#drop")
    drop_file(browser, "通知.txt", notice.encode("gbk"), "text/plain")
    shown = WebDriverWait(browser, 120, ignored_exceptions=TRANSIENT).until(
        lambda d: "shown=" in d.current_url and d.find_element(By.ID, "shown-h"))
    assert shown.text == f"《{title}》的章节结构"
    items = [li.text for li in browser.find_elements(By.CSS_SELECTOR, ".outline-list li")]
    assert items == ["一、培训时间", "二、培训内容"]
    assert f"已上传《{title}》：第 1 版，1 个文本块" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    rid = browser.current_url.split("shown=")[1]

    drop_file(browser, "通知v2.txt", notice.replace("共六天", "共五天").encode("gbk"), "text/plain")
    state = wait_text(browser, "#upload-state", "上传失败")
    assert f"知识库中已有同名资源《{title}》（{rid}）" in state.text and "替换" in state.text
    assert len([r for r in browser.find_elements(By.CSS_SELECTOR, "#resources tbody tr") if title in r.text]) == 1

    browser.get(console.url(f"/library/{rid}"))
    outline = [a.text for a in wait_for(browser, ".outline").find_elements(By.CSS_SELECTOR, "li")]
    assert outline == ["一、培训时间", "二、培训内容"]
    console.services.usecases.library.delete(People.operator(), rid)
