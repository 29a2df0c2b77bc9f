"""Two small trainer documents and a look at what is indexed, shared by the resource tests."""

from __future__ import annotations

from assistant.roles import Actor
from assistant.services import Services

TEXT = ("青松镇校本研修安排\n一、时间\n青松镇中心学校的校本教研活动每月举行三次，每次两课时。\n"
        "二、要求\n每位教师每学期至少主讲一次公开课，并提交一份教学反思。\n")
OTHER = TEXT.replace("三次", "四次").replace("一份", "两份").replace("研修安排", "研修补充安排")  # its own title
# A file of the same school that is no version of TEXT: the one a trainer picks by mistake.
MENU = ("青松镇中心学校食堂一周菜谱\n一、周一\n早餐：豆浆、油条、鸡蛋；午餐：米饭、红烧豆腐、清炒白菜、紫菜蛋花汤。\n"
        "二、周二\n早餐：牛奶、包子；午餐：米饭、土豆炖牛肉、番茄炒蛋、冬瓜汤。\n")


def indexed(services: Services) -> tuple[list[tuple[str, int, str]], int]:
    """What is indexed: the resource rows and the chunks in the store."""
    rows = [(r["id"], r["version"], r["status"]) for r in services.resources.list(Actor("cli", "x", role="admin"))]
    return rows, services.assistant.store.count()
